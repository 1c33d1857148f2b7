/**
 * The client of a plain `anwbis -p … -e … -r …` (or `assume`) sent to a running daemon, as a
 * small CommonJS bundle of its own (dist/fast/forward.bundle.cjs): bin/run.js loads it when the
 * fast path could not reuse and the daemon's socket is there, so the request reaches the daemon
 * before the ES module loader and the bundle that does the work here (assume-full.js, with the
 * AWS SDK) load. It reads the MFA code from the usual sources, prints the flow's events and
 * exits as that bundle would. When the daemon does not take the request, that bundle does the
 * work, without offering it again.
 */
import { credentialVariables, formatShellExports } from '@anwbis/core/fast';
import { renderEvent, stderrSay } from '../runtime/say.js';
import { mfaSourcesOf } from '../runtime/terminal.js';
import { assumeFlagsOf, plainAssumeRequest } from './assume-flags.js';
import { exitStatusOf } from './exit-status.js';
import { forwardAssume } from './forward.js';
import { writeErr, writeOut } from './out.js';

/** Runs `anwbis assume ARGS` in the daemon and returns its exit status; undefined when the flags are not the plain ones or the daemon did not take it. */
export async function forwardPlainAssume(args: readonly string[]): Promise<number | undefined> {
  const flags = assumeFlagsOf(args);
  if (!flags) return undefined;
  let taken = true;
  const status = await exitStatusOf(async () => {
    // Straight to fd 2 (out.ts): no stream modules for the progress lines.
    const say = stderrSay(flags.verbose, false, writeErr);
    const runtime = { env: process.env, events: (event: Parameters<typeof renderEvent>[0]) => renderEvent(event, say), mfa: mfaSourcesOf({ mfaCode: flags['mfa-code'], mfaProcess: flags['mfa-process'] }) };
    const result = await forwardAssume(plainAssumeRequest(flags), runtime, flags.verbose);
    if (result === undefined) {
      taken = false;
      return;
    }
    if (flags.stdout) writeOut(formatShellExports(credentialVariables(result.credentials, result.region)));
  });
  return taken ? status : undefined;
}
