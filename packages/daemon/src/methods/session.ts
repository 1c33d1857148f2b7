/** `session.unlock`: a new corp session from an MFA code a client sends. */
import type { MethodHandler } from '../server.js';
import type { DaemonParts } from './parts.js';

export function unlockMethod(d: DaemonParts): MethodHandler<'session.unlock'> {
  return async ({ mfaCode, sourceProfile: source }) => {
    const sources = d.scheduler.sourceProfiles();
    const sourceProfile = source ?? (sources.length === 1 ? sources[0]! : 'default');
    const session = await d.backend.unlock(sourceProfile, mfaCode);
    d.log.info(`corp session ${session.profile} renewed from a client, valid until ${session.expiresAt.toISOString()}`);
    d.scheduler.sessionSeen(sourceProfile, session.expiresAt, d.now()).forEach(d.emit);
    void d.refresher.tick();
    return { profile: session.profile, expiresAt: session.expiresAt.toISOString() };
  };
}
