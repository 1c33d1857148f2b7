// core/fast: the fast paths build their requests here too, without loading the rest of core.
import { AnwbisError, type AssumeRequest, type SessionTaggingFlags, type TargetSpec } from '@anwbis/core/fast';
import type { SessionRequest } from '@anwbis/core';

/** `--source-identity`, `--tag` and `--transitive-tag` as parsed. */
export interface SessionTagFlagValues {
  'source-identity'?: string | undefined;
  tag?: readonly string[] | undefined;
  'transitive-tag'?: readonly string[] | undefined;
}

/** The session tag flags for core (which merges them with `[assume]` and checks them); undefined when none was given. */
export function taggingFromFlags(flags: SessionTagFlagValues): SessionTaggingFlags | undefined {
  if (flags['source-identity'] === undefined && !flags.tag?.length && !flags['transitive-tag']?.length) return undefined;
  return { sourceIdentity: flags['source-identity'], tags: flags.tag, transitiveTags: flags['transitive-tag'] };
}

/** The flags of {@link requestFromFlags}. */
export interface TargetFlagValues extends SessionTagFlagValues {
  project?: string | undefined;
  env?: string | undefined;
  role?: string | undefined;
  target?: string | undefined;
  contractor?: string | undefined;
  externalid?: string | undefined;
  'iam-master-group'?: string | undefined;
  'iam-policy'?: string | undefined;
  'iam-delegated-role'?: string | undefined;
  account?: string | undefined;
  profile?: string | undefined;
  region?: string | undefined;
  nomfa?: boolean | undefined;
  'mfa-serial'?: string | undefined;
}

/**
 * Builds the request shared by assume, credential-process, exec, env and configure. Only the
 * flags' shape is checked here; core checks the names and reads `--target` with the naming
 * patterns in force.
 */
export function requestFromFlags(flags: TargetFlagValues): AssumeRequest {
  let target: TargetSpec;
  const overrides = {
    ...(flags.contractor ? { contractor: flags.contractor } : {}),
    ...(flags['iam-master-group'] ? { groupName: flags['iam-master-group'] } : {}),
    ...(flags['iam-policy'] ? { policyName: flags['iam-policy'] } : {}),
    ...(flags['iam-delegated-role'] ? { delegatedRoleName: flags['iam-delegated-role'] } : {}),
  };
  if (flags.target !== undefined) {
    if (flags.project || flags.env || flags.role) throw new AnwbisError('usage', 'give either --target or -p/-e/-r, not both');
    target = { name: flags.target, ...overrides };
  } else if (flags.project && flags.env && flags.role) {
    target = { project: flags.project, env: flags.env, role: flags.role, ...overrides };
  } else {
    throw new AnwbisError('usage', 'say which role: -p PROJECT -e ENV -r ROLE (or --target PROJECT-ENV-ROLE)');
  }
  const tagging = taggingFromFlags(flags);
  return {
    target,
    ...(flags.profile ? { sourceProfile: flags.profile } : {}),
    ...(flags.region ? { region: flags.region } : {}),
    ...(flags.nomfa ? { noMfa: true } : {}),
    ...(flags['mfa-serial'] ? { mfaSerial: flags['mfa-serial'] } : {}),
    ...(flags.externalid ? { externalId: flags.externalid } : {}),
    ...(flags.account ? { account: flags.account } : {}),
    ...(tagging ? { tagging } : {}),
  };
}

/** The flags of {@link sessionRequestFromFlags}. */
export interface SessionFlagValues {
  profile?: string | undefined;
  region?: string | undefined;
  'mfa-serial'?: string | undefined;
  refresh?: boolean | undefined;
}

/**
 * The corp session of `anwbis session` (`durationSeconds`: its `--duration`) and of `--get_session`
 * (none: `--duration` there is the role's, and the session lasts its default).
 */
export function sessionRequestFromFlags(flags: SessionFlagValues, durationSeconds?: number): SessionRequest {
  return {
    ...(flags.profile ? { sourceProfile: flags.profile } : {}),
    ...(durationSeconds === undefined ? {} : { durationSeconds }),
    refresh: flags.refresh ?? false,
    ...(flags.region ? { region: flags.region } : {}),
    ...(flags['mfa-serial'] ? { mfaSerial: flags['mfa-serial'] } : {}),
  };
}
