/**
 * `anwbis exec … -- COMMAND` without oclif: bundled with the parts of core it uses
 * (dist/fast/bundle/) and started from the bin when the flags before `--` are the plain target
 * and source flags. With cached credentials its command starts without oclif's command tree or
 * the AWS SDK loading first. `--server`, `--help` and anything else go to the command itself.
 */
import { provideRoleCredentials } from '@anwbis/core';
import { execEnv, runChild } from '../services/exec-child.js';
import { cliRuntime } from '../runtime/runtime.js';
import { requestFromFlags } from '../flags/request.js';
import { exitStatusOf } from './exit-status.js';
import { targetOrNameFlagsOf } from './simple-args.js';

/** The flags of `anwbis exec ARGS -- …` (ARGS: those before `--`) when read as oclif would; else undefined. */
export function execFlagsOf(args: readonly string[]) {
  const flags = targetOrNameFlagsOf('exec', args);
  return flags && { ...flags, server: false };
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
    const runtime = cliRuntime({ verbose: flags.verbose, mfaCode: flags['mfa-code'], mfaProcess: flags['mfa-process'], quiet: true });
    const provided = await provideRoleCredentials(requestFromFlags(flags), runtime);
    status = await runChild(command, args, execEnv(provided));
  });
  return failed === 0 ? status : failed;
}
