import { assume } from '@anwbis/core';
import { cliRuntime } from '../runtime/runtime.js';
import { requestFromFlags, type TargetFlagValues } from '../flags/request.js';
import { connectDaemon, corpProfileFor, handOver, requireCorpSession, watchLimits } from './handover.js';

/** `anwbis watch`, as parsed. */
export interface WatchFlags extends TargetFlagValues {
  readonly duration: number;
  readonly until?: string | undefined;
  readonly 'session-name'?: string | undefined;
  readonly verbose: boolean;
}

/**
 * Assumes the role from the corp session (no MFA code), writes its profile and hands it to the
 * running daemon; fails before anything is assumed when no daemon runs or no corp session is valid.
 */
export async function watchProfile(flags: WatchFlags): Promise<void> {
  const request = requestFromFlags(flags);
  const limits = watchLimits(flags.duration, flags.until);
  const client = await connectDaemon('anwbis watch');
  try {
    const corpProfile = await corpProfileFor(flags.profile, process.env);
    const deps = cliRuntime({ verbose: flags.verbose });
    const sessionProfile = await requireCorpSession(corpProfile, deps);
    const result = await assume(
      {
        ...request,
        sourceProfile: sessionProfile,
        noMfa: true,
        durationSeconds: limits.durationSeconds,
        ...(flags['session-name'] ? { sessionName: flags['session-name'] } : {}),
      },
      deps,
    );
    await handOver(client, { ...request, ...(flags['session-name'] ? { sessionName: flags['session-name'] } : {}) }, result.profile, corpProfile, limits);
    deps.say.ok(`The daemon keeps ${result.profile} fresh from ${sessionProfile}${limits.until ? ` until ${limits.until}` : ''}`);
  } finally {
    client.close();
  }
}
