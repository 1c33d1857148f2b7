/**
 * `anwbis credential-process` on a cache miss, without oclif: bundled with the parts of core it
 * uses (dist/fast/bundle/), started from the bin when the small fast path found no cached answer
 * and its flags are simple. It is the one caller of many that makes the STS call, so its start-up
 * is what the others wait for.
 */
import { credentialProcessJson, provideRoleCredentials } from '@anwbis/core';
import { cliRuntime } from '../runtime/runtime.js';
import { requestFromFlags } from '../flags/request.js';
import { exitStatusOf } from './exit-status.js';
import { targetOrNameFlagsOf } from './simple-args.js';

/** The flags of `anwbis credential-process ARGS` when read as oclif would; else undefined. */
export const credentialProcessFlagsOf = (args: readonly string[]) => targetOrNameFlagsOf('credential-process', args);

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
