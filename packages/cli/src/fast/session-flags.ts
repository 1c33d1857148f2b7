/**
 * The plain `anwbis session` command line that runs without oclif: read by the forwarding client
 * (forward-entry.ts) when a daemon runs.
 */
import { readFlags } from './simple-args.js';

const FLAGS = ['profile', 'duration', 'refresh', 'region', 'mfa-code', 'mfa-process', 'mfa-serial', 'stdout', 'verbose'] as const;

/**
 * The flags of `anwbis session ARGS` when read as oclif would (no `--json`: oclif prints it, and
 * its errors); else undefined. `duration` stays undefined when not given: core's default is the
 * command's.
 */
export function sessionFlagsOf(args: readonly string[]) {
  const flags = readFlags('session', args, FLAGS);
  return flags && { ...flags, refresh: flags.refresh ?? false, stdout: flags.stdout ?? false, verbose: flags.verbose ?? false };
}
