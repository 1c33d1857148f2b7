import { AnwbisError } from '../errors/errors.js';
import type { AwsCredentials, AwsPort, TemporaryCredentials } from '../aws/port.js';
import { resolveRegion } from '../aws/source.js';
import { StateStore } from '../cache/state-store.js';
import { displayPath } from '../credentials-file/aws-file.js';
import type { Clock } from '../expiry/expiry.js';
import { parseCallerArn } from '../identity/identity.js';
import { precheckMfaSources, type MfaSources } from '../mfa/code.js';
import { withMfaCode } from '../mfa/retry.js';
import { sessionProfileName } from '../naming/patterns.js';
import { assertValidName } from '../naming/validate.js';
import { anwbisHome, configFilePath, credentialsFilePath, type Env } from '../paths/paths.js';
import { assertEditable, readValidWrittenProfile, writeConfigProfile, writeCredentialsProfile } from '../profiles/profiles.js';
import { loadSettings } from '../settings/settings.js';
import { chooseMfaSerial } from '../assume/discovery.js';
import { explainAwsError } from '../assume/errors.js';
import { chooseSourceProfile } from '../assume/source.js';
import type { Reporter } from '../assume/reporter.js';

/** STS limits for GetSessionToken called by an IAM user (36 hours at most). */
export const SESSION_DURATION = { min: 900, max: 129_600, default: 28_800 } as const;

/** One `anwbis session` (or the session half of `--get_session`). */
export interface SessionRequest {
  /** `--profile`: the corp profile with long-term keys; else `AWS_PROFILE`, else `default`. */
  readonly sourceProfile?: string;
  readonly durationSeconds?: number;
  readonly refresh?: boolean;
  readonly mfaSerial?: string;
  readonly region?: string;
}

export interface SessionDeps {
  readonly env: Env;
  readonly clock: Clock;
  readonly reporter: Reporter;
  readonly mfa: MfaSources;
  readonly loadSourceCredentials: (profile: string, where: string) => Promise<AwsCredentials>;
  readonly createAws: (options: { credentials: AwsCredentials; region: string }) => AwsPort;
}

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
  const { env, reporter } = deps;
  const home = anwbisHome(env);
  const settings = await loadSettings(home);
  const credentialsFile = credentialsFilePath(env);
  const configFile = configFilePath(env);
  const store = new StateStore(home);
  const sourceProfile = await chooseSourceProfile(request.sourceProfile, env, store, reporter);
  const profile = sessionProfileName(sourceProfile, settings.naming);
  if (profile === sourceProfile) throw new AnwbisError('usage', `${profile} is already a corp session; give the profile with your long-term keys`);

  if (!request.refresh) {
    const written = await readValidWrittenProfile(store, credentialsFile, profile, {
      kind: 'session',
      now: deps.clock.now(),
      marginSeconds: settings.refreshMarginSeconds,
    }).catch(() => undefined);
    if (written) {
      reporter.ok(`Reusing corp session ${profile}: valid until ${written.record.expiration}`);
      return { profile, credentials: written.credentials, region: written.record.region, reused: true };
    }
  }

  await assertEditable(credentialsFile, configFile);
  const region = await resolveRegion(request.region, env, sourceProfile);
  const source = await deps.loadSourceCredentials(sourceProfile, displayPath(credentialsFile));
  if (source.sessionToken) {
    throw new AnwbisError('config', `profile ${sourceProfile} holds temporary credentials; GetSessionToken needs your long-term corp keys`, {
      next: 'use --profile with the profile of your IAM user access keys',
    });
  }
  const aws = deps.createAws({ credentials: source, region });
  const [identity, serials] = await Promise.all([
    aws.getCallerIdentity().catch((err: unknown) => {
      throw explainAwsError(err, 'checking who you are', { profile: sourceProfile });
    }),
    request.mfaSerial ? Promise.resolve([request.mfaSerial]) : aws.listMfaDevices().catch(() => undefined),
  ]);
  const who = parseCallerArn(identity.arn);
  const devices = serials ?? (await aws.listMfaDevices(who.name).catch((err: unknown) => {
    throw explainAwsError(err, 'listing your MFA devices', { profile: sourceProfile });
  }));
  const serial = chooseMfaSerial(devices);
  if (!serial) {
    throw new AnwbisError('mfa', `no MFA device is registered for ${who.name}`, { next: 'register one in the IAM console, or pass --mfa-serial ARN' });
  }
  reporter.ok(`You are authenticated as ${who.name}`);
  reporter.info(`Starting a corp session for ${who.name} using MFA device ${serial}...`);
  const durationSeconds = request.durationSeconds ?? SESSION_DURATION.default;
  const credentials = await withMfaCode(
    deps.mfa,
    (tokenCode) => aws.getSessionToken({ durationSeconds, serialNumber: serial, tokenCode }),
    () => reporter.info('AWS rejected that MFA code.'),
  ).catch((err: unknown) => {
    throw explainAwsError(err, 'starting the corp session', { profile: sourceProfile });
  });

  await writeCredentialsProfile(credentialsFile, profile, credentials);
  await writeConfigProfile(configFile, profile, [['region', region]]);
  await store.writeProfile({
    version: 1,
    profile,
    kind: 'session',
    accessKeyId: credentials.accessKeyId,
    expiration: credentials.expiration.toISOString(),
    region,
    account: who.account,
    sourceProfile,
  });
  reporter.ok(`Corp session ${profile} written to ${displayPath(credentialsFile)} (expires ${credentials.expiration.toISOString()})`);
  return { profile, credentials, region, reused: false };
}
