import { AnwbisError } from '../errors/errors.js';
import type { TemporaryCredentials } from '../aws/port.js';
import { StateStore, type CachedCredentials } from '../cache/state-store.js';
import { isFresh } from '../expiry/expiry.js';
import { withNamedLock } from '../locks/lock.js';
import { resolveTarget, sessionProfileName } from '../naming/patterns.js';
import { anwbisHome, credentialsFilePath } from '../paths/paths.js';
import { readValidWrittenProfile } from '../profiles/profiles.js';
import { loadSettings } from '../settings/settings.js';
import { assume, validateAssumeRequest, type AssumeDeps, type AssumeRequest } from '../assume/assume.js';
import { chooseSourceProfile } from '../assume/source.js';

/** Role credentials ready to hand to a program. */
export interface ProvidedCredentials {
  readonly profile: string;
  readonly region: string;
  readonly credentials: TemporaryCredentials;
  readonly fromCache: boolean;
}

/**
 * Credentials for a delegated role without touching the AWS files, for `credential-process`
 * and `exec`: the cached ones while valid; otherwise, under a per-target lock so concurrent
 * callers make one STS call between them, new ones from the corp session (no prompt) or, only
 * when a code can be had, from the source profile with MFA.
 */
export async function provideRoleCredentials(request: AssumeRequest, deps: AssumeDeps): Promise<ProvidedCredentials> {
  validateAssumeRequest(request);
  const home = anwbisHome(deps.env);
  const settings = await loadSettings(home);
  const target = resolveTarget(request.target, settings.naming);
  const store = new StateStore(home);
  const margin = settings.refreshMarginSeconds;

  const cached = async () => {
    if (request.refresh) return undefined;
    const record = await store.readCredentials(target.profileName);
    return record && isFresh(new Date(record.expiration), deps.clock.now(), margin) ? record : undefined;
  };
  const hit = await cached();
  if (hit) return fromRecord(hit, true);

  return withNamedLock(home, `credentials-${target.profileName}`, async () => {
    // Whoever held the lock before may have just fetched them.
    const fresh = await cached();
    if (fresh) return fromRecord(fresh, true);

    const sourceProfile = await chooseSourceProfile(request.sourceProfile, deps.env, store);
    const viaSession = await usableSession(sourceProfile, store, deps, margin, settings.naming);
    const canAskForMfa = deps.mfa.flag !== undefined || deps.mfa.process !== undefined || deps.mfa.prompter.interactive;
    if (!viaSession && !request.noMfa && !request.fromEc2Role && !canAskForMfa) {
      const session = sourceProfile === 'default' ? 'anwbis session' : `anwbis session --profile ${sourceProfile}`;
      throw new AnwbisError('mfa', `no valid corp session for ${sourceProfile} and no terminal to ask for an MFA code`, {
        next: `run \`${session}\` in a terminal (one MFA code, valid 8 hours), then try again`,
      });
    }
    const result = await assume(
      {
        ...request,
        ...(viaSession ? { sourceProfile: viaSession, noMfa: true } : {}),
        refresh: true,
        writeProfile: false,
      },
      deps,
    );
    const record: CachedCredentials = {
      version: 1,
      profile: target.profileName,
      region: result.region,
      roleArn: result.roleArn,
      accessKeyId: result.credentials.accessKeyId,
      secretAccessKey: result.credentials.secretAccessKey,
      sessionToken: result.credentials.sessionToken,
      expiration: result.credentials.expiration.toISOString(),
    };
    await store.writeCredentials(record);
    return fromRecord(record, false);
  });
}

async function usableSession(
  sourceProfile: string,
  store: StateStore,
  deps: AssumeDeps,
  margin: number,
  naming: Parameters<typeof sessionProfileName>[1],
): Promise<string | undefined> {
  const name = sourceProfile.startsWith('corp-session-') ? sourceProfile : sessionProfileName(sourceProfile, naming);
  const written = await readValidWrittenProfile(store, credentialsFilePath(deps.env), name, {
    kind: 'session',
    now: deps.clock.now(),
    marginSeconds: margin,
  }).catch(() => undefined);
  return written ? name : undefined;
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
