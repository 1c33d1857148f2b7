/**
 * `anwbis -p … -e … -r …` (or `assume`) when the profile must be made, without oclif: bundled
 * with the parts of core it uses (dist/fast/bundle/) and started from the bin when the flags
 * are the plain ones; everything else (--json, -b, --watch, --get_session, --duration, …) is
 * parsed by oclif and run by the command itself.
 */
import { assume, credentialVariables, formatShellExports } from '@anwbis/core';
import { cliRuntime } from '../runtime/runtime.js';
import { forwardAssume } from './forward.js';
import { requestFromFlags } from '../flags/request.js';
import { exitStatusOf } from './exit-status.js';
import { readFlags, TARGET_AND_SOURCE } from './simple-args.js';

const FLAGS = [...TARGET_AND_SOURCE, 'refresh', 'stdout', 'session-name'] as const;

/** The flags of `anwbis assume ARGS` when read as oclif would and -p, -e and -r are all there; else undefined. */
export function assumeFlagsOf(args: readonly string[]) {
  const flags = readFlags('assume', args, FLAGS);
  // oclif's own message names a missing required flag.
  if (!flags?.project || !flags.env || !flags.role) return undefined;
  // The command's defaults, for the flags this reader takes and for those it declines.
  return { ...DEFAULTS, ...flags, project: flags.project, env: flags.env, role: flags.role };
}

const DEFAULTS = { nomfa: false, verbose: false, refresh: false, stdout: false, duration: 3600, 'get-session': false, watch: false, 'from-ec2-role': false, isolate: false } as const;

/** Runs `anwbis assume ARGS` and returns its exit status; undefined (nothing done) when oclif must parse them. */
export async function fastAssumeFull(args: readonly string[]): Promise<number | undefined> {
  const flags = assumeFlagsOf(args);
  if (!flags) return undefined;
  return exitStatusOf(async () => {
    const runtime = cliRuntime({ verbose: flags.verbose, mfaCode: flags['mfa-code'], mfaProcess: flags['mfa-process'] });
    const request = {
      ...requestFromFlags(flags),
      durationSeconds: flags.duration,
      refresh: flags.refresh,
      noMfa: flags.nomfa,
      fromEc2Role: false,
      ...(flags['session-name'] ? { sessionName: flags['session-name'] } : {}),
    };
    const result = (await forwardAssume(request, runtime, flags.verbose)) ?? (await assume(request, runtime));
    if (flags.stdout) process.stdout.write(formatShellExports(credentialVariables(result.credentials, result.region)));
  });
}
