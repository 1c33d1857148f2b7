/**
 * The client of a plain `anwbis -p … -e … -r …` (or `assume`, also with `--get_session`) and of a
 * plain `anwbis session` sent to a running daemon, as a small CommonJS bundle of its own
 * (dist/fast/forward.bundle.cjs): bin/run.js loads it when the fast path could not reuse and the
 * daemon's socket is there (for `session`, first), so the request reaches the daemon before the
 * ES module loader and the code that does the work here (assume-full.js or the full CLI, with
 * the AWS SDK) load. It reads the MFA code from the usual sources, prints the flow's events and
 * exits as that code would. When the daemon does not take the request, that code does the work,
 * without offering it again.
 */
import { credentialVariables, formatShellExports } from '@anwbis/core/fast';
import { sessionRequestFromFlags } from '../flags/request.js';
import { renderEvent, stderrSay } from '../runtime/say.js';
import { mfaSourcesOf } from '../runtime/terminal.js';
import { assumeFlagsOf, plainAssumeRequest } from './assume-flags.js';
import { exitStatusOf } from './exit-status.js';
import { forwardAssume, forwardSession, type ForwardRuntime } from './forward.js';
import { writeErr, writeOut } from './out.js';
import { sessionFlagsOf } from './session-flags.js';

/**
 * What is left to do here of an assume the daemon did not take: all of it, or with
 * `--get_session`, when the daemon made (or reused) the corp session and then did not take the
 * role, the role alone, from `session`.
 */
export interface AssumeLeft {
  readonly session?: string;
}

/**
 * Runs `anwbis assume ARGS` in the daemon and returns its exit status; undefined when the flags
 * are not the plain ones, else what the daemon left to do.
 */
export async function forwardPlainAssume(args: readonly string[]): Promise<number | AssumeLeft | undefined> {
  const flags = assumeFlagsOf(args);
  if (!flags) return undefined;
  let left: AssumeLeft | undefined;
  const status = await exitStatusOf(async () => {
    const runtime = forwardRuntime(flags);
    let session: string | undefined;
    if (flags['get-session']) {
      const made = await forwardSession(sessionRequestFromFlags(flags), runtime, flags.verbose);
      if (made === undefined) {
        left = {};
        return;
      }
      session = made.profile;
    }
    const result = await forwardAssume(plainAssumeRequest(flags, session), runtime, flags.verbose);
    if (result === undefined) {
      left = session === undefined ? {} : { session };
      return;
    }
    if (flags.stdout) writeOut(formatShellExports(credentialVariables(result.credentials, result.region)));
  });
  return left ?? status;
}

/** Runs `anwbis session ARGS` in the daemon and returns its exit status; undefined when the flags are not the plain ones or the daemon did not take it. */
export async function forwardPlainSession(args: readonly string[]): Promise<number | undefined> {
  const flags = sessionFlagsOf(args);
  if (!flags) return undefined;
  let taken = true;
  const status = await exitStatusOf(async () => {
    const result = await forwardSession(sessionRequestFromFlags(flags, flags.duration), forwardRuntime(flags), flags.verbose);
    if (result === undefined) {
      taken = false;
      return;
    }
    if (flags.stdout) writeOut(formatShellExports(credentialVariables(result.credentials, result.region)));
  });
  return taken ? status : undefined;
}

/** The command's progress lines (straight to fd 2, out.ts: no stream modules) and MFA sources. */
function forwardRuntime(flags: { readonly verbose: boolean; readonly 'mfa-code'?: string | undefined; readonly 'mfa-process'?: string | undefined }): ForwardRuntime {
  const say = stderrSay(flags.verbose, false, writeErr);
  return { env: process.env, events: (event) => renderEvent(event, say), mfa: mfaSourcesOf({ mfaCode: flags['mfa-code'], mfaProcess: flags['mfa-process'] }) };
}
