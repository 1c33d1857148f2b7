/** `watch`, `unwatch` and `refresh`: what the daemon keeps fresh, and a refresh now. */
import { AnwbisError } from '@anwbis/core';
import type { Results } from '../protocol.js';
import type { MethodHandler } from '../server.js';
import type { WatchSpec } from '../watch-spec.js';
import type { DaemonParts } from './parts.js';

export function watchMethod(d: DaemonParts): MethodHandler<'watch'> {
  return ({ watch: spec }) => {
    d.watches.claim(spec.profile);
    return watchProfile(d, spec);
  };
}

export function unwatchMethod(d: DaemonParts): MethodHandler<'unwatch'> {
  return async ({ profile }) => ({ profile, removed: await d.watches.remove(profile) });
}

export function refreshMethod(d: DaemonParts): MethodHandler<'refresh'> {
  return async (params) => {
    const profile = params?.profile;
    if (profile !== undefined && !d.scheduler.spec(profile)) throw notWatched(profile);
    const chosen = d.scheduler.requestRefresh(profile);
    await d.refresher.tick();
    return d.status.status().profiles.filter((p) => chosen.includes(p.profile));
  };
}

/** Watches a profile, saves the list, and starts the tick that refreshes it when due. */
export async function watchProfile(d: DaemonParts, spec: WatchSpec): Promise<Results['watch']> {
  await d.watches.add(spec);
  await d.watches.save();
  await d.refresher.readSession(spec.sourceProfile);
  d.log.info(`watching ${spec.profile} (from the corp session of ${spec.sourceProfile}, ${spec.durationSeconds} s${spec.until ? ` until ${spec.until}` : ''})`);
  void d.refresher.tick();
  return { profile: spec.profile, state: d.scheduler.profiles().find((p) => p.profile === spec.profile)?.state ?? 'pending' };
}

function notWatched(profile: string): AnwbisError {
  return new AnwbisError('usage', `${profile} is not watched`, { next: `watch it with \`anwbis watch\`, or see \`anwbis daemon status\`` });
}
