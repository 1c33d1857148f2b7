/**
 * `anwbis credential-process` on a cache miss, without oclif: bundled with the parts of core it
 * uses (dist/fast/bundle/), started from the bin when the small fast path found no cached answer
 * and its flags are simple. It is the one caller of many that makes the STS call, so its start-up
 * is what the others wait for.
 */
import { credentialProcessJson, provideRoleCredentials } from '@anwbis/core';
import { cliRuntime } from '../runtime.js';
import { requestFromFlags } from '../target.js';
import { exitStatusOf, simpleArgs, TARGET_OPTIONS } from './simple-args.js';

const OPTIONS = { ...TARGET_OPTIONS, target: { type: 'string' } } as const;

/** The flags of `anwbis credential-process ARGS` when read as oclif would; else undefined. */
export function credentialProcessFlagsOf(args: readonly string[]) {
  const flags = simpleArgs('credential-process', args, OPTIONS);
  // The command's defaults.
  return flags && { ...flags, nomfa: flags.nomfa ?? false, verbose: flags.verbose ?? false };
}

/** Runs `anwbis credential-process ARGS` and returns its exit status; undefined (nothing done) when oclif must parse them. */
export async function fastProvide(args: readonly string[]): Promise<number | undefined> {
  const flags = credentialProcessFlagsOf(args);
  if (!flags) return undefined;
  return exitStatusOf(async () => {
    const runtime = cliRuntime({ verbose: flags.verbose, mfaCode: flags['mfa-code'], mfaProcess: flags['mfa-process'], ask: 'tty', quiet: true });
    const provided = await provideRoleCredentials(requestFromFlags(flags), runtime);
    process.stdout.write(`${credentialProcessJson(provided.credentials)}\n`);
  });
}
