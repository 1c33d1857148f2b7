import { AnwbisError } from '../errors/errors.js';
import type { TemporaryCredentials } from '../aws/port.js';
import { resolveRegion } from '../aws/region.js';
import { StateStore } from '../cache/state-store.js';
import { precheckMfaSources } from '../mfa/code.js';
import { chooseMfaSerial, requireMfaSerial } from '../mfa/device.js';
import { sessionProfileName } from '../naming/patterns.js';
import { assertValidName } from '../naming/validate.js';
import { anwbisHome, configFilePath, credentialsFilePath } from '../paths/paths.js';
import { assertEditable, readValidSession } from '../profiles/profiles.js';
import { loadSettings } from '../settings/settings.js';
import { chooseSourceProfile, loadProfileSource } from '../source/source.js';
import { whoAmI } from '../aws-steps/who-am-i.js';
import { writeProfile } from '../profiles/profile-writer.js';
import { getSessionTokenStep, SESSION_DURATION } from '../aws-steps/session-token.js';
import type { FlowDeps } from '../assume/request.js';

export { SESSION_DURATION };

/** One `anwbis session` (or the session half of `--get_session`). */
export interface SessionRequest {
  /** `--profile`: the corp profile with long-term keys; else `AWS_PROFILE`, else `default`. */
  readonly sourceProfile?: string;
  readonly durationSeconds?: number;
  readonly refresh?: boolean;
  readonly mfaSerial?: string;
  readonly region?: string;
}

/** The effects a corp session needs (no instance metadata: sessions are for people). */
export type SessionDeps = Omit<FlowDeps, 'instanceMetadata'>;

export interface SessionResult {
  /** The profile written: `corp-session-<source>`. */
  readonly profile: string;
  readonly credentials: TemporaryCredentials;
  readonly region: string;
  readonly reused: boolean;
}

/** Refuses a session duration STS would refuse, before anything runs. */
export function validateSessionRequest(request: SessionRequest): void {
  if (request.sourceProfile !== undefined) assertValidName('profile', request.sourceProfile);
  const d = request.durationSeconds;
  if (d !== undefined && (!Number.isInteger(d) || d < SESSION_DURATION.min || d > SESSION_DURATION.max)) {
    throw new AnwbisError(
      'usage',
      `--duration ${d} is outside what STS allows for GetSessionToken: ${SESSION_DURATION.min} to ${SESSION_DURATION.max} seconds (36 hours)`,
    );
  }
}

/**
 * A corp session: GetSessionToken with the MFA device, written as `corp-session-<profile>`, so
 * later assumes need no MFA code (`--profile corp-session-<profile> --nomfa`) until it expires.
 * A still-valid session is reused unless `refresh`.
 */
export async function corpSession(request: SessionRequest, deps: SessionDeps): Promise<SessionResult> {
  validateSessionRequest(request);
  precheckMfaSources(deps.mfa);
  const { env, events } = deps;
  const home = anwbisHome(env);
  const settings = await loadSettings(home);
  const files = { credentialsFile: credentialsFilePath(env), configFile: configFilePath(env) };
  const store = new StateStore(home);
  const sourceProfile = await chooseSourceProfile(request.sourceProfile, env, store, events);
  const profile = sessionProfileName(sourceProfile, settings.naming);
  if (profile === sourceProfile) throw new AnwbisError('usage', `${profile} is already a corp session; give the profile with your long-term keys`);

  if (!request.refresh) {
    const written = await readValidSession(store, files.credentialsFile, profile, deps.clock).catch(() => undefined);
    if (written) {
      events({ type: 'reused', kind: 'session', profile, expiration: written.credentials.expiration });
      return { profile, credentials: written.credentials, region: written.record.region, reused: true };
    }
  }

  await assertEditable(files.credentialsFile, files.configFile);
  const region = await resolveRegion(request.region, env, sourceProfile);
  const source = await loadProfileSource(sourceProfile, store, deps);
  if (source.credentials.sessionToken) {
    throw new AnwbisError('config', `profile ${sourceProfile} holds temporary credentials; GetSessionToken needs your long-term corp keys`, {
      next: 'use --profile with the profile of your IAM user access keys',
    });
  }
  const aws = deps.createAws({ credentials: source.credentials, region });
  const { identity, serials } = await whoAmI(aws, { devices: request.mfaSerial === undefined, profile: sourceProfile });
  const serial = requireMfaSerial(request.mfaSerial ?? chooseMfaSerial(serials), identity.name, { canGoWithout: false });
  events({ type: 'authenticated', userName: identity.name });
  events({ type: 'session-starting', userName: identity.name, serial });
  const durationSeconds = request.durationSeconds ?? SESSION_DURATION.default;
  const credentials = await getSessionTokenStep(aws, { durationSeconds, serial, sources: deps.mfa, profile: sourceProfile }, events);
  await writeProfile(files, store, { credentials, record: { profile, kind: 'session', region, account: identity.account, sourceProfile } }, events);
  return { profile, credentials, region, reused: false };
}
