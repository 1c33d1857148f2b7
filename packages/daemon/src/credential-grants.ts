/**
 * What `anwbis exec --server` gets from the daemon for its endpoint: the daemon's fresh
 * credentials, the ones its last refresh wrote, or why there are none.
 */
import { sessionCommand, type TemporaryCredentials } from '@anwbis/core';
import { CredentialsUnavailable } from './credential-server.js';
import type { ProfileState } from './scheduler.js';

/** The shortest validity the endpoint announces: less and an SDK may take the answer as expired already. */
export const MIN_ANNOUNCED_SECONDS = 60;

/**
 * The `Expiration` the endpoint announces: when the daemon is due to have new credentials (its
 * next refresh), so an SDK asks again then instead of keeping the old keys until close to their
 * real end (the AWS SDK for JavaScript asks again only 5 minutes before the expiry it was told);
 * never later than the real expiry, and never sooner than {@link MIN_ANNOUNCED_SECONDS} from now
 * while the real expiry allows it (a refresh that is late or failing).
 */
export function announcedExpiration(real: Date, refreshDueAt: Date | undefined, now: Date): Date {
  const at = Math.max(refreshDueAt?.getTime() ?? real.getTime(), now.getTime() + MIN_ANNOUNCED_SECONDS * 1000);
  return new Date(Math.min(at, real.getTime()));
}

/** What the daemon knows of a granted profile. */
export interface GrantedProfileView {
  readonly state: ProfileState;
  /** The corp profile whose corp session the profile is refreshed from. */
  readonly sourceProfile: string;
  readonly refreshDueAt: Date | undefined;
}

export interface CredentialGrantsDeps {
  /** Undefined: the profile is not watched (any more). */
  view(profile: string): GrantedProfileView | undefined;
  /** The keys the profile's section holds, with their recorded expiry. */
  credentials(profile: string): Promise<TemporaryCredentials | undefined>;
  now(): Date;
}

/** What the daemon answers a grant holder's `credentials.fetch`. */
export class CredentialGrants {
  constructor(private readonly deps: CredentialGrantsDeps) {}

  /** What the endpoint answers for a granted profile now; throws what the SDK should report. */
  async answer(profile: string): Promise<TemporaryCredentials> {
    const view = this.deps.view(profile);
    if (!view) throw new CredentialsUnavailable(`anwbis no longer keeps ${profile} fresh; run the program again with anwbis exec --server`);
    if (view.state === 'needs-mfa') {
      throw new CredentialsUnavailable(`the corp session behind ${profile} has ended: renew it with \`${sessionCommand(view.sourceProfile)}\`, and the next call gets credentials again`);
    }
    const now = this.deps.now();
    const credentials = await this.deps.credentials(profile);
    if (!credentials || credentials.expiration.getTime() <= now.getTime()) {
      throw new CredentialsUnavailable(`anwbis has no valid credentials for ${profile} at the moment (${view.state}); see \`anwbis daemon status\``);
    }
    return { ...credentials, expiration: announcedExpiration(credentials.expiration, view.refreshDueAt, now) };
  }
}
