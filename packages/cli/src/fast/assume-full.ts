/**
 * `anwbis -p … -e … -r …` (or `assume`) when the profile must be made, without oclif: bundled
 * with the parts of core it uses (dist/fast/bundle/) and started from the bin when the flags
 * are the plain ones; everything else (--json, -b, --watch, --get_session, --duration, …) is
 * parsed by oclif and run by the command itself.
 */
import { assume, credentialVariables, formatShellExports } from '@anwbis/core';
import { cliRuntime } from '../runtime/runtime.js';
import { forwardAssume } from './forward.js';
import { exitStatusOf } from './exit-status.js';
import { assumeFlagsOf, plainAssumeRequest } from './assume-flags.js';

/**
 * Runs `anwbis assume ARGS` and returns its exit status; undefined (nothing done) when oclif must
 * parse them. `forwarded`: the small forwarding client (forward-entry.ts) already offered this
 * request to the daemon, which did not take it; it is not offered again.
 */
export async function fastAssumeFull(args: readonly string[], options: { forwarded?: boolean } = {}): Promise<number | undefined> {
  const flags = assumeFlagsOf(args);
  if (!flags) return undefined;
  return exitStatusOf(async () => {
    const runtime = cliRuntime({ verbose: flags.verbose, mfaCode: flags['mfa-code'], mfaProcess: flags['mfa-process'] });
    const request = plainAssumeRequest(flags);
    const result = (options.forwarded ? undefined : await forwardAssume(request, runtime, flags.verbose)) ?? (await assume(request, runtime));
    if (flags.stdout) process.stdout.write(formatShellExports(credentialVariables(result.credentials, result.region)));
  });
}
