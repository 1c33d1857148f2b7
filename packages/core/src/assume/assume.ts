import { AnwbisError, shown } from '../errors/errors.js';
import { AwsCallError, type AwsCredentials, type AwsPort, type TemporaryCredentials } from '../aws/port.js';
import { withMfaCode } from '../mfa/retry.js';
import { resolveRegion } from '../aws/source.js';
import { displayPath } from '../credentials-file/aws-file.js';
import { StateStore, discoveryKey, type DiscoveryRecord } from '../cache/state-store.js';
import type { Clock } from '../expiry/expiry.js';
import { parseCallerArn } from '../identity/identity.js';
import { precheckMfaSources, type MfaSources } from '../mfa/code.js';
import { resolveTarget, type Target, type TargetRequest } from '../naming/patterns.js';
import { assertValidName, toRoleSessionName } from '../naming/validate.js';
import { anwbisHome, configFilePath, credentialsFilePath } from '../paths/paths.js';
import { assertEditable, readValidWrittenProfile, writeConfigProfile, writeCredentialsProfile } from '../profiles/profiles.js';
import { loadSettings } from '../settings/settings.js';
import { chooseMfaSerial, selectRoleArn } from './discovery.js';
import { explainAwsError } from './errors.js';
import { assertSessionUsable, chooseSourceProfile, type Source, type SourceDeps } from './source.js';
import type { Reporter } from './reporter.js';

/** STS limits for AssumeRole's DurationSeconds. */
export const ASSUME_ROLE_DURATION = { min: 900, max: 43_200, default: 3600 } as const;

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
  /** Take the source credentials from the EC2 instance role (implies no MFA). */
  readonly fromEc2Role?: boolean;
  /**
   * Write the profile into the AWS files (default). `credential-process` and `exec` hand the
   * credentials over directly instead, and keep them in their own cache.
   */
  readonly writeProfile?: boolean;
}

/** The effects an assume needs, wired by the app. */
export interface AssumeDeps extends SourceDeps {
  readonly clock: Clock;
  readonly reporter: Reporter;
  readonly mfa: MfaSources;
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

  const writeProfile = request.writeProfile ?? true;
  if (!request.refresh && writeProfile) {
    const reused = await reuse(target.profileName, store, credentialsFile, deps.clock.now(), settings.refreshMarginSeconds);
    if (reused) {
      reporter.ok(`Reusing profile ${target.profileName}: still valid until ${reused.credentials.expiration.toISOString()}`);
      return { ...reused, credentialsFile };
    }
  }

  if (writeProfile) await assertEditable(credentialsFile, configFile);
  const noMfa = request.noMfa === true || request.fromEc2Role === true;
  const sourceProfile = request.fromEc2Role ? 'ec2-instance-role' : await chooseSourceProfile(request.sourceProfile, env, store, reporter);
  if (writeProfile && target.profileName === sourceProfile) {
    throw new AnwbisError('usage', `the profile to write, ${target.profileName}, is the source profile: writing it would replace your corp credentials`, {
      next: 'change the [naming] profile pattern in ANWBIS_HOME/config, or use another --profile',
    });
  }
  const region = await resolveRegion(request.region, env, sourceProfile);
  let source: Source;
  if (request.fromEc2Role) {
    const instance = await deps.instanceMetadata(env);
    reporter.verbose(`instance role ${instance.roleName}${instance.instanceId ? ` on ${instance.instanceId}` : ''} from ${instance.endpoint}`);
    source = { kind: 'ec2', instance, credentials: instance.credentials };
  } else {
    await assertSessionUsable(sourceProfile, store, deps.clock.now());
    source = { kind: 'profile', profile: sourceProfile, credentials: await deps.loadSourceCredentials(sourceProfile, displayPath(credentialsFile)) };
  }
  const aws = deps.createAws({ credentials: source.credentials, region });

  // Instance role keys rotate, so an instance's discovery is remembered by its role instead.
  const sourceKey = source.kind === 'ec2' ? `ec2:${source.instance.roleName}` : source.credentials.accessKeyId;
  const key = discoveryKey([sourceProfile, sourceKey, target.groupName, target.policyName, target.roleName, request.account ?? '']);
  let found = await store.readDiscovery(key);
  const remembered = found !== undefined && (noMfa || request.mfaSerial !== undefined || found.mfaSerial !== undefined);
  if (remembered) {
    reporter.verbose(`using remembered role ${found!.roleArn} (discovery skipped)`);
  } else {
    found = await discover(aws, target, request, source, noMfa, reporter);
  }
  const discovered = found!;
  reporter.ok(`You are authenticated as ${discovered.userName}`);

  const serial = noMfa ? undefined : (request.mfaSerial ?? discovered.mfaSerial);
  if (!noMfa && !serial) {
    throw new AnwbisError('mfa', `no MFA device is registered for ${discovered.userName}`, {
      next: 'register one in the IAM console, pass --mfa-serial ARN, or use --nomfa where your policies allow it',
    });
  }
  reporter.info(
    `Assuming role ${target.role} from project ${target.project}` + (serial ? ` using MFA device from user ${discovered.userName}...` : ' without MFA...'),
  );

  const sessionName =
    request.sessionName ?? (source.kind === 'ec2' ? toRoleSessionName(source.instance.instanceId ?? discovered.userName) : toRoleSessionName(discovered.userName));
  const durationSeconds = request.durationSeconds ?? ASSUME_ROLE_DURATION.default;
  const assumeWith = (roleArn: string, tokenCode?: string) =>
    aws.assumeRole({
      roleArn,
      sessionName,
      durationSeconds,
      ...(serial ? { serialNumber: serial, tokenCode } : {}),
      ...(request.externalId ? { externalId: request.externalId } : {}),
    });
  const attempt = (roleArn: string) =>
    serial ? withMfaCode(deps.mfa, (code) => assumeWith(roleArn, code), () => reporter.info('AWS rejected that MFA code.')) : assumeWith(roleArn);

  let roleArn = discovered.roleArn;
  let credentials: TemporaryCredentials;
  try {
    credentials = await attempt(roleArn);
  } catch (err) {
    if (!(remembered && err instanceof AwsCallError && err.code === 'AccessDenied')) throw explainAssumeError(err, roleArn, request);
    // The policy may have changed since the role was remembered: look it up again once.
    await store.forgetDiscovery(key);
    const fresh = await discover(aws, target, request, source, noMfa, reporter);
    if (fresh.roleArn === roleArn) throw explainAssumeError(err, roleArn, request);
    roleArn = fresh.roleArn;
    found = fresh;
    try {
      credentials = await attempt(roleArn);
    } catch (retryErr) {
      throw explainAssumeError(retryErr, roleArn, request);
    }
  }
  reporter.ok('Assumed the role successfully');

  const account = roleArn.split(':')[4] ?? '';
  await store.writeDiscovery(key, { ...found!, roleArn });
  if (!writeProfile) return { profile: target.profileName, credentials, region, roleArn, account, reused: false, credentialsFile };
  await writeCredentialsProfile(credentialsFile, target.profileName, credentials);
  await writeConfigProfile(configFile, target.profileName, [['region', region]]);
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
  reporter.info(`Profile ${target.profileName} written to ${displayPath(credentialsFile)} (expires ${credentials.expiration.toISOString()})`);
  return { profile: target.profileName, credentials, region, roleArn, account, reused: false, credentialsFile };
}

async function reuse(profile: string, store: StateStore, credentialsFile: string, now: Date, marginSeconds: number) {
  const written = await readValidWrittenProfile(store, credentialsFile, profile, { kind: 'assume', now, marginSeconds }).catch(() => undefined);
  if (!written) return undefined;
  const { record, credentials } = written;
  return {
    profile,
    credentials,
    region: record.region,
    roleArn: record.roleArn ?? '',
    account: record.account ?? '',
    reused: true,
  };
}

/**
 * The identity, policy and MFA-device lookups, all at once: one round trip to AWS. The policy
 * is the corp group's, or for an EC2 instance the instance role's own. ListMFADevices is asked
 * without a user name (AWS infers the caller); where an implementation cannot infer it, it is
 * asked again with the name once the identity is known.
 */
async function discover(aws: AwsPort, target: Target, request: AssumeRequest, source: Source, noMfa: boolean, reporter: Reporter): Promise<DiscoveryRecord> {
  const profile = source.kind === 'profile' ? source.profile : undefined;
  const wantDevices = !noMfa && request.mfaSerial === undefined;
  const policyOwner = source.kind === 'ec2' ? { kind: 'role' as const, name: source.instance.roleName } : { kind: 'group' as const, name: target.groupName };
  const [identity, document, devices] = await Promise.all([
    aws.getCallerIdentity().catch((err: unknown) => {
      throw explainAwsError(err, 'checking who you are', profile ? { profile } : {});
    }),
    (policyOwner.kind === 'role' ? aws.getRolePolicy(policyOwner.name, target.policyName) : aws.getGroupPolicy(policyOwner.name, target.policyName)).catch(
      (err: unknown) => {
        throw explainPolicyError(err, target, policyOwner);
      },
    ),
    wantDevices ? aws.listMfaDevices().catch((err: unknown) => err as Error) : Promise.resolve([] as string[]),
  ]);
  const who = parseCallerArn(identity.arn);
  let serials = devices;
  if (serials instanceof Error) {
    if (who.kind !== 'user') throw explainAwsError(serials, 'listing your MFA devices', profile ? { profile } : {});
    serials = await aws.listMfaDevices(who.name).catch((err: unknown) => {
      throw explainAwsError(err, 'listing your MFA devices', profile ? { profile } : {});
    });
  }
  const roleArn = selectRoleArn(document, target, {
    partition: who.partition,
    project: target.project,
    ...(policyOwner.kind === 'role' ? { where: `instance role ${policyOwner.name} policy ${target.policyName}` } : {}),
    ...(request.account ? { account: request.account } : {}),
  });
  const mfaSerial = chooseMfaSerial(serials);
  if (serials.length > 1) reporter.verbose(`${serials.length} MFA devices; using ${mfaSerial ?? 'none of them (no code-based device)'}`);
  return { version: 1, roleArn, userName: who.name, account: who.account, partition: who.partition, ...(mfaSerial ? { mfaSerial } : {}) };
}

function explainPolicyError(err: unknown, target: Target, owner: { kind: 'group' | 'role'; name: string }): AnwbisError {
  if (owner.kind === 'role' && err instanceof AwsCallError && (err.code === 'NoSuchEntity' || err.code === 'NoSuchEntityException')) {
    return new AnwbisError('denied', `instance role ${owner.name} has no inline policy ${target.policyName}`, {
      next: 'add a Delegated_Roles policy to the instance role, or name its policy with --iam_policy',
      cause: err,
    });
  }
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
  return explainAwsError(err, `reading policy ${target.policyName} of ${owner.kind} ${owner.name}`);
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
