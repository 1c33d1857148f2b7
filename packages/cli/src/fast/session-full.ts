/**
 * `anwbis session` with plain flags when the daemon did not take it (none runs, an older one, a
 * busy one), without oclif: bundled with the parts of core it uses (dist/fast/bundle/) and
 * started from the bin after the small forwarding client (forward-entry.ts) offered it, so it is
 * not offered again. `--json` and anything else oclif parses go to the command itself.
 */
import { corpSession, credentialVariables, formatShellExports } from '@anwbis/core';
import { sessionRequestFromFlags } from '../flags/request.js';
import { cliRuntime } from '../runtime/runtime.js';
import { exitStatusOf } from './exit-status.js';
import { sessionFlagsOf } from './session-flags.js';

/** Runs `anwbis session ARGS` here and returns its exit status; undefined (nothing done) when oclif must parse them. */
export async function fastSessionFull(args: readonly string[]): Promise<number | undefined> {
  const flags = sessionFlagsOf(args);
  if (!flags) return undefined;
  return exitStatusOf(async () => {
    const runtime = cliRuntime({ verbose: flags.verbose, mfaCode: flags['mfa-code'], mfaProcess: flags['mfa-process'] });
    const result = await corpSession(sessionRequestFromFlags(flags, flags.duration), runtime);
    if (flags.stdout) process.stdout.write(formatShellExports(credentialVariables(result.credentials, result.region)));
  });
}
