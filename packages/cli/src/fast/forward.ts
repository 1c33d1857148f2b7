/**
 * `assume` and `session` sent to a running daemon, which does the work with its warm SDK clients
 * and kept-alive connections while this process loads no SDK. The output is this process's, as
 * without the daemon: the flow's events come back and are printed here, the MFA code is read
 * here from the usual sources (`--mfa-code`, `--mfa-process`, a piped stdin, the prompt) and
 * sent over the private socket. No daemon, an older one, a refusal, a busy one: undefined, and
 * the caller does the work itself.
 */
import { AnwbisError, SERVED_SHELL_FILES } from '@anwbis/core/fast';
import type { AnwbisEvent, AssumeRequest, AssumeResult, ErrorKind, FlowDeps, SessionRequest, SessionResult } from '@anwbis/core';
import { FORWARD_METHODS, ForwardedFailure, forwardToDaemon, NotForwarded, type ForwardAsk, type ForwardContext } from '@anwbis/daemon/forward';
import { askPassphrase } from '../runtime/terminal.js';

/** What a forwarded request takes from the command's runtime: where core would read, and where its events go. */
export type ForwardRuntime = Pick<FlowDeps, 'env' | 'events' | 'mfa'>;

/**
 * The variables core and the SDK read (the key file's passphrase and the keychain's session bus
 * too, as the corp keys may be kept there); never AWS keys an environment holds.
 */
const SENT = /^(AWS_(?!ACCESS_KEY_ID$|SECRET_ACCESS_KEY$|SESSION_TOKEN$|SECURITY_TOKEN$)[A-Z0-9_]+|HOME|ANWBIS_HOME|ANWBIS_KEYS_PASSPHRASE|DBUS_SESSION_BUS_ADDRESS|XDG_STATE_HOME|XDG_RUNTIME_DIR|XDG_CONFIG_HOME)$/;

/** A served shell's own files (`env --server`): core reads them before `AWS_*`, and so must the daemon. */
const SERVED_FILES: ReadonlySet<string> = new Set(Object.values(SERVED_SHELL_FILES));

/** The environment a forwarded request carries. */
export function forwardedEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => (SENT.test(entry[0]) || SERVED_FILES.has(entry[0])) && entry[1] !== undefined));
}

interface WireCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: string;
}

const credentialsOf = (c: WireCredentials) => ({ ...c, expiration: new Date(c.expiration) });

/** `assume` through the daemon; undefined when it did not take the request. */
export async function forwardAssume(request: AssumeRequest, runtime: ForwardRuntime, verbose: boolean): Promise<AssumeResult | undefined> {
  // The instance role is read from this machine's metadata service by this process.
  if (request.fromEc2Role) return undefined;
  const result = (await forward(FORWARD_METHODS.assume, request, runtime, verbose, 'anwbis assume')) as (Omit<AssumeResult, 'credentials'> & { credentials: WireCredentials }) | undefined;
  return result && { ...result, credentials: credentialsOf(result.credentials) };
}

/** `session` through the daemon; undefined when it did not take the request. */
export async function forwardSession(request: SessionRequest, runtime: ForwardRuntime, verbose: boolean): Promise<SessionResult | undefined> {
  const result = (await forward(FORWARD_METHODS.session, request, runtime, verbose, 'anwbis session')) as (Omit<SessionResult, 'credentials'> & { credentials: WireCredentials }) | undefined;
  return result && { ...result, credentials: credentialsOf(result.credentials) };
}

/** Sends the request with what core would read from this process (its runtime's environment and MFA sources). */
async function forward(method: string, request: AssumeRequest | SessionRequest, runtime: ForwardRuntime, verbose: boolean, client: string): Promise<unknown> {
  const mfa = runtime.mfa;
  const context: ForwardContext = {
    env: forwardedEnv(runtime.env),
    uid: process.getuid?.() ?? -1,
    verbose,
    mfa: { flag: mfa.flag, process: mfa.process, stdin: mfa.stdinLine !== undefined, interactive: mfa.prompter.interactive },
  };
  const onAsk = async (ask: ForwardAsk): Promise<string | undefined> => {
    switch (ask.kind) {
      case 'mfa-process':
        return mfa.runProcess!(mfa.process!);
      case 'stdin':
        return mfa.stdinLine?.();
      case 'prompt':
        return mfa.prompter.ask(ask.question);
      case 'passphrase':
        return askPassphrase(ask.purpose);
    }
  };
  try {
    return await forwardToDaemon(runtime.env, method, { request, context }, { onEvent: (event) => runtime.events(revived(event)), onAsk }, client);
  } catch (err) {
    if (err instanceof NotForwarded) return undefined;
    if (err instanceof ForwardedFailure) {
      // Core's failures come with their kind; anything else failed in the daemon as a bug would here.
      if (err.kind === undefined) throw new Error(err.message);
      throw new AnwbisError(err.kind as ErrorKind, err.message, err.next === undefined ? {} : { next: err.next });
    }
    throw err;
  }
}

/** An event as core made it: its times are Dates again. */
function revived(event: Record<string, unknown>): AnwbisEvent {
  return (typeof event.expiration === 'string' ? { ...event, expiration: new Date(event.expiration) } : event) as AnwbisEvent;
}
