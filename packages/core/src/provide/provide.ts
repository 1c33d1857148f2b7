import { AnwbisError } from '../errors/errors.js';
import type { TemporaryCredentials } from '../aws/port.js';
import type { CachedCredentials } from '../cache/state-store.js';
import { freshCachedCredentials } from '../cache/answer.js';
import { takeHandedOverLock } from '../locks/handover.js';
import { LOCK_NAMES, namedLockPath, withNamedLock } from '../locks/lock.js';
import { chooseSourceProfile, findValidSession, sessionCommand } from '../source/source.js';
import { saveState } from '../profiles/profile-writer.js';
import { obtainRoleCredentials, rememberLookup } from '../assume/obtain.js';
import { prepareRequest, type FlowDeps, type PreparedRequest } from '../assume/request.js';
import type { AssumeRequest } from '../assume/resolve.js';
import { holderFailureSince, isUnreachable, noteHolderFailure } from './holder-failure.js';

/** Role credentials ready to hand to a program. */
export interface ProvidedCredentials {
  readonly profile: string;
  readonly region: string;
  readonly credentials: TemporaryCredentials;
  readonly fromCache: boolean;
}

/**
 * Credentials for a delegated role without touching the AWS files, for `credential-process`
 * and `exec`: the cached ones while valid and made for this same request; otherwise, under a
 * per-target lock so concurrent callers make one STS call between them, new ones from the corp
 * session (no prompt) or, only when a code can be had, from the source profile with MFA.
 */
export async function provideRoleCredentials(request: AssumeRequest, deps: FlowDeps): Promise<ProvidedCredentials> {
  const waitingSince = Date.now();
  const prepared = await prepareRequest(request, deps);
  const { home, store, target, settings } = prepared;
  const hit = request.refresh ? undefined : await cachedFor(prepared, deps.clock.now());
  if (hit) return fromRecord(hit, true);

  const lockName = LOCK_NAMES.credentials(target.profileName);
  // The credential-process fast path may have taken it already, for this process.
  const held = takeHandedOverLock(namedLockPath(home, lockName));
  return withNamedLock(home, lockName, async () => {
    // Whoever held the lock before may have just fetched them, or found AWS unreachable.
    const fresh = request.refresh ? undefined : await cachedFor(prepared, deps.clock.now());
    if (fresh) return fromRecord(fresh, true);
    const failed = holderFailureSince(home, lockName, prepared.key, waitingSince);
    if (failed) throw new AnwbisError(failed.kind, failed.message, { next: failed.next });

    const sourceProfile = request.fromEc2Role ? '' : await chooseSourceProfile(request.sourceProfile, deps.env, store, deps.events);
    const session = request.fromEc2Role
      ? undefined
      : await findValidSession(sourceProfile, { store, env: deps.env, clock: deps.clock, patterns: settings.naming });
    const canAskForMfa = deps.mfa.flag !== undefined || deps.mfa.process !== undefined || deps.mfa.prompter.interactive;
    if (!session && !request.noMfa && !request.fromEc2Role && !canAskForMfa) {
      throw new AnwbisError('mfa', `no valid corp session for ${sourceProfile} and no terminal to ask for an MFA code`, {
        next: `run \`${sessionCommand(sourceProfile)}\` in a terminal (one MFA code, valid 8 hours), then try again`,
      });
    }
    let obtained: Awaited<ReturnType<typeof obtainRoleCredentials>>;
    try {
      obtained = await obtainRoleCredentials(prepared, { ...request, ...(session ? { noMfa: true } : {}) }, session?.profile ?? sourceProfile, deps);
    } catch (error) {
      // Noted before the lock is released, for those already waiting (see holder-failure.ts).
      if (isUnreachable(error)) await noteHolderFailure(home, lockName, prepared.key, error).catch(() => undefined);
      throw error;
    }
    const record: CachedCredentials = {
      version: 1,
      profile: target.profileName,
      requestKey: prepared.key,
      region: obtained.region,
      roleArn: obtained.roleArn,
      accessKeyId: obtained.credentials.accessKeyId,
      secretAccessKey: obtained.credentials.secretAccessKey,
      sessionToken: obtained.credentials.sessionToken,
      expiration: obtained.credentials.expiration.toISOString(),
    };
    await saveState(() => store.writeCredentials(record), `the credentials could not be cached under ${home}`, deps.events);
    await rememberLookup(store, obtained.lookup, deps.events);
    return fromRecord(record, false);
  }, { held });
}

async function cachedFor(prepared: PreparedRequest, now: Date): Promise<CachedCredentials | undefined> {
  const record = await prepared.store.readCredentials(prepared.target.profileName);
  return freshCachedCredentials(record, prepared.key, { now, marginSeconds: prepared.settings.refreshMarginSeconds });
}

function fromRecord(record: CachedCredentials, fromCache: boolean): ProvidedCredentials {
  return {
    profile: record.profile,
    region: record.region,
    fromCache,
    credentials: {
      accessKeyId: record.accessKeyId,
      secretAccessKey: record.secretAccessKey,
      sessionToken: record.sessionToken,
      expiration: new Date(record.expiration),
    },
  };
}
