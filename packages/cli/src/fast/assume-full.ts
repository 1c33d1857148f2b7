/**
 * `anwbis -p … -e … -r …` (or `assume`, also with `--get_session`) when the profile must be made,
 * without oclif: bundled with the parts of core it uses (dist/fast/bundle/) and started from the
 * bin when the flags are the plain ones; everything else (--json, -b, --watch, --duration, …) is
 * parsed by oclif and run by the command itself.
 */
import { assume, corpSession, credentialVariables, formatShellExports } from '@anwbis/core';
import { sessionRequestFromFlags } from '../flags/request.js';
import { cliRuntime } from '../runtime/runtime.js';
import { forwardAssume, forwardSession } from './forward.js';
import { exitStatusOf } from './exit-status.js';
import { assumeFlagsOf, plainAssumeRequest } from './assume-flags.js';
import type { AssumeLeft } from './forward-entry.js';

/**
 * Runs `anwbis assume ARGS` and returns its exit status; undefined (nothing done) when oclif must
 * parse them. `forwarded`: the small forwarding client (forward-entry.ts) already offered this
 * request to the daemon, which did not take it (`left`: what it left to do); it is not offered again.
 */
export async function fastAssumeFull(args: readonly string[], options: { forwarded?: boolean; left?: AssumeLeft | undefined } = {}): Promise<number | undefined> {
  const flags = assumeFlagsOf(args);
  if (!flags) return undefined;
  const offer = !options.forwarded;
  return exitStatusOf(async () => {
    const runtime = cliRuntime({ verbose: flags.verbose, mfaCode: flags['mfa-code'], mfaProcess: flags['mfa-process'] });
    let session = options.left?.session;
    if (flags['get-session'] && session === undefined) {
      const request = sessionRequestFromFlags(flags);
      session = ((offer ? await forwardSession(request, runtime, flags.verbose) : undefined) ?? (await corpSession(request, runtime))).profile;
    }
    const request = plainAssumeRequest(flags, session);
    const result = (offer ? await forwardAssume(request, runtime, flags.verbose) : undefined) ?? (await assume(request, runtime));
    if (flags.stdout) process.stdout.write(formatShellExports(credentialVariables(result.credentials, result.region)));
  });
}
