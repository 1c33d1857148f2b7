import { provideRoleCredentials } from '@anwbis/core';
import { execEnv, runChild } from './exec-child.js';
import { cliRuntime } from '../runtime/runtime.js';
import { requestFromFlags, type TargetFlagValues } from '../flags/request.js';

/** `anwbis exec`, as parsed (the flags before `--`). */
export interface ExecFlags extends TargetFlagValues {
  readonly verbose: boolean;
  readonly 'mfa-code'?: string | undefined;
  readonly 'mfa-process'?: string | undefined;
  readonly server: boolean;
  readonly duration?: number | undefined;
}

/**
 * Runs `command` with the role's credentials, in its environment or (`--server`) served by this
 * process from the daemon for as long as it runs; resolves with the command's exit status.
 */
export async function execWithCredentials(flags: ExecFlags, command: string, args: string[]): Promise<number> {
  if (flags.server) {
    // Loaded only here: the daemon client and the endpoint are no part of a plain exec's start.
    const { serveCredentials } = await import('./exec-server.js');
    const served = await serveCredentials(requestFromFlags(flags), { corpProfile: flags.profile, durationSeconds: flags.duration ?? 3600, verbose: flags.verbose });
    return runChild(command, args, served.env, served.inherit).finally(() => served.close());
  }
  const runtime = cliRuntime({ verbose: flags.verbose, mfaCode: flags['mfa-code'], mfaProcess: flags['mfa-process'], quiet: true });
  const provided = await provideRoleCredentials(requestFromFlags(flags), runtime);
  return runChild(command, args, execEnv(provided));
}
