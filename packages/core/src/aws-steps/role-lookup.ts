import { AnwbisError } from '../errors/errors.js';
import { AwsCallError, type AwsPort } from '../aws/port.js';
import { discoveryKey, type DiscoveryRecord, type StateStore } from '../cache/state-store.js';
import { awsFailureKind, explainAwsError } from '../errors/explain-aws.js';
import type { EventSink } from '../events/events.js';
import { chooseMfaSerial } from '../mfa/device.js';
import type { Target } from '../naming/patterns.js';
import { selectRoleArn } from '../policy/select-role.js';
import type { Source } from '../source/source.js';
import { whoAmI } from './who-am-i.js';

/** What a role lookup needs beyond the names. */
export interface RoleLookupRequest {
  readonly target: Target;
  readonly source: Source;
  /** The source profile name (or the EC2 marker), part of what is remembered. */
  readonly sourceProfile: string;
  readonly account?: string | undefined;
  /** Whether the MFA device must be found too (no `--nomfa`, no `--mfa-serial`). */
  readonly wantMfaDevice: boolean;
}

/** A role found, and whether it came from memory (and so may be stale). */
export interface RoleLookup {
  readonly record: DiscoveryRecord;
  readonly remembered: boolean;
  /** The key it is remembered under. */
  readonly key: string;
}

/** The discovery key of a lookup: instance-role keys rotate, so an instance's lookup is keyed by its role. */
export function roleLookupKey(request: RoleLookupRequest): string {
  const sourceKey = request.source.kind === 'ec2' ? `ec2:${request.source.instance.roleName}` : request.source.credentials.accessKeyId;
  const t = request.target;
  return discoveryKey([request.sourceProfile, sourceKey, t.groupName, t.policyName, t.roleName, request.account ?? '']);
}

/**
 * The delegated role ARN for a target: remembered from an earlier run (no AWS call), or looked
 * up in the group policy (the instance role's own for EC2).
 */
export async function lookupRole(aws: AwsPort, request: RoleLookupRequest, store: StateStore, events: EventSink): Promise<RoleLookup> {
  const key = roleLookupKey(request);
  const found = await store.readDiscovery(key);
  if (found && (!request.wantMfaDevice || found.mfaSerial !== undefined)) {
    events({ type: 'role-found', roleArn: found.roleArn, remembered: true });
    return { record: found, remembered: true, key };
  }
  const record = await discoverRole(aws, request, events);
  return { record, remembered: false, key };
}

/**
 * The identity, policy and MFA-device lookups, all at once: one round trip to AWS. The policy
 * is the corp group's, or for an EC2 instance the instance role's own.
 */
export async function discoverRole(aws: AwsPort, request: RoleLookupRequest, events: EventSink): Promise<DiscoveryRecord> {
  const { target, source } = request;
  const owner = source.kind === 'ec2' ? { kind: 'role' as const, name: source.instance.roleName } : { kind: 'group' as const, name: target.groupName };
  const { identity, serials, alongside: document } = await whoAmI(aws, {
    devices: request.wantMfaDevice,
    profile: source.kind === 'profile' ? source.profile : undefined,
    alongside: () =>
      (owner.kind === 'role' ? aws.getRolePolicy(owner.name, target.policyName) : aws.getGroupPolicy(owner.name, target.policyName)).catch((err: unknown) => {
        throw explainPolicyError(err, target, owner);
      }),
  });
  const roleArn = selectRoleArn(document, target, {
    partition: identity.partition,
    project: target.project,
    ...(owner.kind === 'role' ? { where: `instance role ${owner.name} policy ${target.policyName}` } : {}),
    ...(request.account ? { account: request.account } : {}),
  });
  const mfaSerial = chooseMfaSerial(serials);
  if (serials.length > 1) events({ type: 'mfa-devices', count: serials.length, ...(mfaSerial ? { chosen: mfaSerial } : {}) });
  events({ type: 'role-found', roleArn, remembered: false });
  return { version: 1, roleArn, userName: identity.name, account: identity.account, partition: identity.partition, ...(mfaSerial ? { mfaSerial } : {}) };
}

function explainPolicyError(err: unknown, target: Target, owner: { kind: 'group' | 'role'; name: string }): AnwbisError {
  const missing = err instanceof AwsCallError && awsFailureKind(err) === 'missing';
  if (missing && owner.kind === 'role') {
    return new AnwbisError('denied', `instance role ${owner.name} has no inline policy ${target.policyName}`, {
      next: 'add a Delegated_Roles policy to the instance role, or name its policy with --iam_policy',
      cause: err,
    });
  }
  if (missing) {
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
