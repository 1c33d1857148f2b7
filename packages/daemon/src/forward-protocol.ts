/**
 * The forwarded methods' names and codes (see PROTOCOL.md, "Forwarded work"), apart from their
 * schemas (zod) so the CLI's client can speak them without loading the daemon's parts.
 */

/** `assume` and `session` run by the daemon for a client; `forward.answer` answers the daemon's `forward.ask`. */
export const FORWARD_METHODS = { assume: 'assume.run', session: 'session.run', answer: 'forward.answer' } as const;

/** Notifications the daemon sends on the connection of a forwarded request. */
export const FORWARD_NOTIFICATIONS = { event: 'forward.event', ask: 'forward.ask' } as const;

/**
 * The daemon will not do this request (another ANWBIS_HOME or user, settings it cannot honour):
 * the client does it itself, as without a daemon.
 */
export const DECLINED = -32007;

/** What a forwarded flow asks its client for: an MFA code from its sources, or the key file's passphrase. */
export type ForwardAsk =
  | { readonly kind: 'mfa-process' }
  | { readonly kind: 'stdin' }
  | { readonly kind: 'prompt'; readonly question: string }
  | { readonly kind: 'passphrase'; readonly purpose: 'open' | 'create' };

/** Where the client can take an MFA code from, in the order core tries them; the code itself only from `--mfa-code`. */
export interface ForwardMfa {
  readonly flag?: string | undefined;
  readonly process?: string | undefined;
  /** Whether a piped stdin may hold the code (not for credential-process, whose stdin is the caller's). */
  readonly stdin: boolean;
  /** Whether the client has a terminal to prompt on. */
  readonly interactive: boolean;
}

/** The client's side of a forwarded request: what core would read from the process. */
export interface ForwardContext {
  /** The client's environment, only the variables core and the SDK read (no keys). */
  readonly env: Readonly<Record<string, string>>;
  readonly uid: number;
  readonly verbose: boolean;
  readonly mfa: ForwardMfa;
}
