/**
 * `anwbis exec … -- COMMAND` without oclif: bundled with the parts of core it uses
 * (dist/fast/bundle/) and started from the bin when the flags before `--` are the plain target
 * and source flags, `--server` and `--duration`. With cached credentials its command starts
 * without oclif's command tree or the AWS SDK loading first; with `--server`, the daemon client
 * and the endpoint load only then. `--help` and anything else go to the command itself.
 */
import { execWithCredentials } from '../services/exec.js';
import { exitStatusOf } from './exit-status.js';
import { targetOrNameFlagsOf } from './simple-args.js';

/** The flags of `anwbis exec ARGS -- …` (ARGS: those before `--`) when read as oclif would; else undefined. */
export function execFlagsOf(args: readonly string[]) {
  const flags = targetOrNameFlagsOf('exec', args, ['server', 'duration']);
  if (!flags) return undefined;
  const server = flags.server ?? false;
  // The command's own rules, left to oclif for its messages: --server goes without the MFA
  // flags, and --duration with --server, at least 900.
  const mfaFlag = flags.nomfa || flags['mfa-code'] !== undefined || flags['mfa-process'] !== undefined || flags['mfa-serial'] !== undefined;
  if (server && mfaFlag) return undefined;
  if (flags.duration !== undefined && (!server || flags.duration < 900)) return undefined;
  return { ...flags, server };
}

/** Runs `anwbis exec ARGV` and returns its exit status (the command's); undefined (nothing done) when oclif must parse them. */
export async function fastExec(argv: readonly string[]): Promise<number | undefined> {
  const split = argv.indexOf('--');
  if (split === -1) return undefined;
  const [command, ...args] = argv.slice(split + 1);
  const flags = execFlagsOf(argv.slice(0, split));
  if (command === undefined || !flags) return undefined;
  let status = 0;
  const failed = await exitStatusOf(async () => {
    status = await execWithCredentials(flags, command, args);
  });
  return failed === 0 ? status : failed;
}
