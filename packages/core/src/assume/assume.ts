import { AnwbisError, shown } from '../errors/errors.js';
import { AwsCallError, type AwsCredentials, type AwsPort, type TemporaryCredentials } from '../aws/port.js';
import { resolveRegion } from '../aws/source.js';
import { readAwsFile, displayPath } from '../credentials-file/aws-file.js';
import { StateStore, discoveryKey, type DiscoveryRecord } from '../cache/state-store.js';
import { isFresh, type Clock } from '../expiry/expiry.js';
import { parseCallerArn } from '../identity/identity.js';
import { obtainMfaCode, precheckMfaSources, type MfaSources } from '../mfa/code.js';
import { resolveTarget, type Target, type TargetRequest } from '../naming/patterns.js';
import { assertValidName, toRoleSessionName } from '../naming/validate.js';
import { anwbisHome, configFilePath, credentialsFilePath, type Env } from '../paths/paths.js';
import { readCredentialsProfile, writeConfigProfile, writeCredentialsProfile } from '../profiles/profiles.js';
import { loadSettings } from '../settings/settings.js';
import { chooseMfaSerial, selectRoleArn } from './discovery.js';
import { explainAwsError, isMfaRejection } from './errors.js';
import type { Reporter } from './reporter.js';

/** STS limits for AssumeRole's DurationSeconds. */
export const ASSUME_ROLE_DURATION = { min: 900, max: 43_200, default: 3600 } as const;
const MFA_ATTEMPTS = 3;

/** One `anwbis assume`, as the flags describe it. */
export interface AssumeRequest {
  readonly target: TargetRequest;
  /** `--profile`: the corp source profile; else `AWS_PROFILE`, else `default`. */
  readonly sourceProfile?: string;
  readonly region?: string;
  readonly durationSeconds?: number;
  readonly refresh?: boolean;
  readonly noMfa?: boolean;
  readonly mfaSerial?: string;
  readonly externalId?: string;
  readonly account?: string;
  readonly sessionName?: string;
}

/** The effects an assume needs, wired by the app. */
export interface AssumeDeps {
  readonly env: Env;
  readonly clock: Clock;
  readonly reporter: Reporter;
  readonly mfa: MfaSources;
  readonly loadSourceCredentials: (profile: string, where: string) => Promise<AwsCredentials>;
  readonly createAws: (options: { credentials: AwsCredentials; region: string }) => AwsPort;
}

/** What an assume produced. */
export interface AssumeResult {
  readonly profile: string;
  readonly credentials: TemporaryCredentials;
  readonly region: string;
  readonly roleArn: string;
  readonly account: string;
  /** True when still-valid credentials were reused without calling AWS. */
  readonly reused: boolean;
  readonly credentialsFile: string;
}

/** Checks everything the user typed, before any file is read or AWS is called. */
export function validateAssumeRequest(request: AssumeRequest): void {
  const t = request.target;
  assertValidName('project', t.project);
  assertValidName('environment', t.env);
  assertValidName('role', t.role);
  if (t.contractor !== undefined) assertValidName('contractor', t.contractor);
  if (t.profileName !== undefined) assertValidName('profile', t.profileName);
  if (t.groupName !== undefined) assertValidName('group', t.groupName);
  if (t.policyName !== undefined) assertValidName('policy', t.policyName);
  if (t.delegatedRoleName !== undefined) assertValidName('delegated role', t.delegatedRoleName);
  if (request.sourceProfile !== undefined) assertValidName('profile', request.sourceProfile);
  if (request.sessionName !== undefined) assertValidName('session name', request.sessionName);
  const d = request.durationSeconds;
  if (d !== undefined && (!Number.isInteger(d) || d < ASSUME_ROLE_DURATION.min || d > ASSUME_ROLE_DURATION.max)) {
    throw new AnwbisError('usage', `--duration ${d} is outside what STS allows for AssumeRole: ${ASSUME_ROLE_DURATION.min} to ${ASSUME_ROLE_DURATION.max} seconds`);
  }
  if (request.externalId !== undefined && !/^[\w+=,.@:/-]{2,1224}$/.test(request.externalId)) {
    throw new AnwbisError('usage', `invalid external id ${shown(request.externalId)}: 2 to 1224 of letters, digits and + = , . @ : / - _`);
  }
  if (request.account !== undefined && !/^\d{12}$/.test(request.account)) {
    throw new AnwbisError('usage', `invalid account ${shown(request.account)}: an AWS account id is 12 digits`);
  }
  if (request.mfaSerial !== undefined && !/^[\w+=/:,.@-]{9,256}$/.test(request.mfaSerial)) {
    throw new AnwbisError('usage', `invalid MFA serial ${shown(request.mfaSerial)}`);
  }
}

/**
 * Gets credentials for a delegated role and writes them as a profile: reuses valid ones,
 * else discovers the role (or remembers it), asks for MFA, calls AssumeRole, writes the files.
 */
export async function assume(request: AssumeRequest, deps: AssumeDeps): Promise<AssumeResult> {
  validateAssumeRequest(request);
  if (!request.noMfa) precheckMfaSources(deps.mfa);
  const { env, reporter } = deps;
  const home = anwbisHome(env);
  const settings = await loadSettings(home);
  const target = resolveTarget(request.target, settings.naming);
  const credentialsFile = credentialsFilePath(env);
  const configFile = configFilePath(env);
  const store = new StateStore(home);

  if (!request.refresh) {
    const reused = await reuse(target.profileName, store, credentialsFile, deps.clock.now(), settings.refreshMarginSeconds);
    if (reused) {
      reporter.ok(`Reusing profile ${target.profileName}: still valid until ${reused.credentials.expiration.toISOString()}`);
      return { ...reused, credentialsFile };
    }
  }

  const sourceProfile = request.sourceProfile ?? env.AWS_PROFILE ?? 'default';
  const configText = await readAwsFile(configFile).catch(() => '');
  const region = resolveRegion(request.region, env, configText, sourceProfile);
  const source = await deps.loadSourceCredentials(sourceProfile, displayPath(credentialsFile));
  const aws = deps.createAws({ credentials: source, region });

  const key = discoveryKey([sourceProfile, source.accessKeyId, target.groupName, target.policyName, target.roleName, request.account ?? '']);
  let found = await store.readDiscovery(key);
  const remembered = found !== undefined && (request.noMfa || request.mfaSerial !== undefined || found.mfaSerial !== undefined);
  if (remembered) {
    reporter.verbose(`using remembered role ${found!.roleArn} (discovery skipped)`);
  } else {
    found = await discover(aws, target, request, sourceProfile);
  }
  const discovered = found!;
  reporter.ok(`You are authenticated as ${discovered.userName}`);

  const serial = request.noMfa ? undefined : (request.mfaSerial ?? discovered.mfaSerial);
  if (!request.noMfa && !serial) {
    throw new AnwbisError('mfa', `no MFA device is registered for ${discovered.userName}`, {
      next: 'register one in the IAM console, pass --mfa-serial ARN, or use --nomfa where your policies allow it',
    });
  }
  reporter.info(
    `Assuming role ${target.role} from project ${target.project}` + (serial ? ` using MFA device from user ${discovered.userName}...` : ' without MFA...'),
  );

  const sessionName = request.sessionName ?? toRoleSessionName(discovered.userName);
  const durationSeconds = request.durationSeconds ?? ASSUME_ROLE_DURATION.default;
  const assumeWith = (roleArn: string, tokenCode?: string) =>
    aws.assumeRole({
      roleArn,
      sessionName,
      durationSeconds,
      ...(serial ? { serialNumber: serial, tokenCode } : {}),
      ...(request.externalId ? { externalId: request.externalId } : {}),
    });

  let roleArn = discovered.roleArn;
  let credentials: TemporaryCredentials;
  for (let attempt = 1; ; attempt++) {
    const obtained = serial ? await obtainMfaCode(deps.mfa) : undefined;
    try {
      credentials = await assumeWith(roleArn, obtained?.code);
      break;
    } catch (err) {
      if (isMfaRejection(err)) {
        if (obtained?.canAskAgain && attempt < MFA_ATTEMPTS) {
          reporter.info('AWS rejected that MFA code.');
          continue;
        }
        throw new AnwbisError('mfa', 'AWS rejected the MFA code', { next: 'wait for the next code of your MFA device and run again', cause: err });
      }
      if (remembered && err instanceof AwsCallError && err.code === 'AccessDenied') {
        // The policy may have changed since the role was remembered: look it up again once.
        await store.forgetDiscovery(key);
        const fresh = await discover(aws, target, request, sourceProfile);
        if (fresh.roleArn !== roleArn) {
          roleArn = fresh.roleArn;
          found = fresh;
          try {
            credentials = await assumeWith(roleArn, obtained?.code);
            break;
          } catch (retryErr) {
            throw explainAssumeError(retryErr, roleArn, request);
          }
        }
      }
      throw explainAssumeError(err, roleArn, request);
    }
  }
  reporter.ok('Assumed the role successfully');

  await writeCredentialsProfile(credentialsFile, target.profileName, credentials);
  await writeConfigProfile(configFile, target.profileName, [['region', region]]);
  const account = roleArn.split(':')[4] ?? '';
  await store.writeProfile({
    version: 1,
    profile: target.profileName,
    kind: 'assume',
    accessKeyId: credentials.accessKeyId,
    expiration: credentials.expiration.toISOString(),
    region,
    roleArn,
    account,
    sourceProfile,
  });
  await store.writeDiscovery(key, { ...found!, roleArn });
  reporter.info(`Profile ${target.profileName} written to ${displayPath(credentialsFile)} (expires ${credentials.expiration.toISOString()})`);
  return { profile: target.profileName, credentials, region, roleArn, account, reused: false, credentialsFile };
}

async function reuse(profile: string, store: StateStore, credentialsFile: string, now: Date, margin: number) {
  const record = await store.readProfile(profile);
  if (!record || record.kind !== 'assume') return undefined;
  const expiration = new Date(record.expiration);
  if (!isFresh(expiration, now, margin)) return undefined;
  const stored = await readCredentialsProfile(credentialsFile, profile).catch(() => undefined);
  if (!stored?.sessionToken || stored.accessKeyId !== record.accessKeyId) return undefined;
  return {
    profile,
    credentials: { accessKeyId: stored.accessKeyId, secretAccessKey: stored.secretAccessKey, sessionToken: stored.sessionToken, expiration },
    region: record.region,
    roleArn: record.roleArn ?? '',
    account: record.account ?? '',
    reused: true,
  };
}

/**
 * The identity, group-policy and MFA-device lookups, all at once: one round trip to AWS.
 * ListMFADevices is asked without a user name (AWS infers the caller); where an implementation
 * cannot infer it, it is asked again with the name once the identity is known.
 */
async function discover(aws: AwsPort, target: Target, request: AssumeRequest, profile: string): Promise<DiscoveryRecord> {
  const wantDevices = !request.noMfa && request.mfaSerial === undefined;
  const [identity, document, devices] = await Promise.all([
    aws.getCallerIdentity().catch((err: unknown) => {
      throw explainAwsError(err, 'checking who you are', { profile });
    }),
    aws.getGroupPolicy(target.groupName, target.policyName).catch((err: unknown) => {
      throw explainPolicyError(err, target);
    }),
    wantDevices ? aws.listMfaDevices().catch((err: unknown) => err as Error) : Promise.resolve([] as string[]),
  ]);
  const who = parseCallerArn(identity.arn);
  let serials = devices;
  if (serials instanceof Error) {
    if (who.kind !== 'user') throw explainAwsError(serials, 'listing your MFA devices', { profile });
    serials = await aws.listMfaDevices(who.name).catch((err: unknown) => {
      throw explainAwsError(err, 'listing your MFA devices', { profile });
    });
  }
  const roleArn = selectRoleArn(document, target, { partition: who.partition, project: target.project, ...(request.account ? { account: request.account } : {}) });
  const mfaSerial = chooseMfaSerial(serials);
  return { version: 1, roleArn, userName: who.name, account: who.account, partition: who.partition, ...(mfaSerial ? { mfaSerial } : {}) };
}

function explainPolicyError(err: unknown, target: Target): AnwbisError {
  if (err instanceof AwsCallError && (err.code === 'NoSuchEntity' || err.code === 'NoSuchEntityException')) {
    // AWS: "The group with name G cannot be found." / "The group policy with name P cannot be found."
    const groupMissing = !/polic(y|ies)/i.test(err.message);
    return new AnwbisError(
      'denied',
      groupMissing
        ? `not authorized to use role ${target.role} for project ${target.project}: group ${target.groupName} does not exist in the corp account`
        : `not authorized to use role ${target.role} for project ${target.project}: group ${target.groupName} has no inline policy ${target.policyName}`,
      { next: 'check -p and -r, or the --iam_master_group / --iam_policy names; ask the corp account administrators for access', cause: err },
    );
  }
  return explainAwsError(err, `reading policy ${target.policyName} of group ${target.groupName}`);
}

function explainAssumeError(err: unknown, roleArn: string, request: AssumeRequest): AnwbisError {
  if (err instanceof AwsCallError && err.code === 'AccessDenied') {
    const externalHint = request.externalId ? ' (check the external id given with -ext)' : '';
    return new AnwbisError('denied', `AWS denied assuming ${roleArn}${externalHint}: ${err.message}`, {
      next: 'check that the role exists and trusts the corp account, and that your group allows it',
      cause: err,
    });
  }
  if (err instanceof AwsCallError && err.code === 'ValidationError' && /duration/i.test(err.message)) {
    return new AnwbisError('usage', `AWS refused the session duration for ${roleArn}: ${err.message}`, {
      next: 'use a shorter --duration (the role\'s maximum session duration applies)',
      cause: err,
    });
  }
  return explainAwsError(err, `assuming ${roleArn}`);
}
