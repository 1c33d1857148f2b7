/** `credentials.hold` and `credentials.fetch`: a profile granted to a program (`anwbis exec --server`). */
import { CredentialGrants } from '../credential-grants.js';
import type { DaemonApi } from '../server.js';
import type { DaemonParts } from './parts.js';
import { watchProfile } from './watching.js';

export function holdMethod(d: DaemonParts): DaemonApi['holdCredentials'] {
  return async (spec) => {
    if (!d.scheduler.spec(spec.profile)) {
      d.watches.forGrantOnly(spec.profile);
      await watchProfile(d, spec);
    }
    const release = d.watches.grant(spec.profile);
    d.log.info(`granted ${spec.profile} to a program (anwbis exec --server)`);
    const expiresAt = d.scheduler.profiles().find((p) => p.profile === spec.profile)?.expiresAt;
    return { result: { profile: spec.profile, expiresAt: expiresAt ? expiresAt.toISOString() : null }, release };
  };
}

export function fetchMethod(d: DaemonParts): DaemonApi['fetchCredentials'] {
  const grants = new CredentialGrants({
    now: d.now,
    credentials: (profile) => d.backend.credentials(profile),
    view: (profile) => {
      const view = d.scheduler.profiles().find((p) => p.profile === profile);
      return view && { state: view.state, sourceProfile: view.sourceProfile, refreshDueAt: d.scheduler.refreshDueAt(profile) };
    },
  });
  return async (profile) => {
    const answer = () => grants.answer(profile);
    // A grant held again after a restart finds its profile expired and pending: the refresh
    // that tick starts is worth the wait, rather than an error the program has to retry.
    const state = d.scheduler.profiles().find((p) => p.profile === profile)?.state;
    const c = await answer().catch(async (err: unknown) => {
      if (state !== 'pending' && state !== 'refreshing') throw err;
      await d.refresher.tick();
      return answer();
    });
    return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration.toISOString() };
  };
}
