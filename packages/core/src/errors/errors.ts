import { sanitizeRemoteText } from './sanitize.js';

/**
 * What went wrong, in the user's terms. Every failure anwbis reports is an {@link AnwbisError};
 * anything else reaching the entry point is a bug.
 */
export type ErrorKind =
  | 'usage' // bad flags or names: nothing was attempted
  | 'config' // missing or broken local setup (profile, credentials, config file)
  | 'denied' // AWS or the policy says no
  | 'mfa' // no code, a malformed code, or a code AWS rejected
  | 'aws' // AWS answered with an error anwbis cannot explain better, or could not be reached
  | 'file'; // a file anwbis must read or write is unusable

/** Process exit status for each kind; the single place that maps failures to exit codes. */
export const EXIT_CODES: Readonly<Record<ErrorKind | 'bug', number>> = {
  usage: 2,
  config: 3,
  denied: 4,
  mfa: 5,
  aws: 6,
  file: 7,
  bug: 70,
};

export interface AnwbisErrorOptions {
  /** What the user can do about it, in one sentence. */
  readonly next?: string;
  readonly cause?: unknown;
}

/** A failure with a message for the user and, where there is one, the next step. */
export class AnwbisError extends Error {
  readonly kind: ErrorKind;
  readonly next: string | undefined;

  constructor(kind: ErrorKind, message: string, options: AnwbisErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AnwbisError';
    this.kind = kind;
    this.next = options.next;
  }

  get exitCode(): number {
    return EXIT_CODES[this.kind];
  }
}

/** Quotes a value for a message so control characters, bidi and invisible ones cannot reach the terminal. */
export function shown(value: string): string {
  return sanitizeRemoteText(JSON.stringify(value));
}
