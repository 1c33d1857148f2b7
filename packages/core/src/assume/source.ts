import { AnwbisError } from '../errors/errors.js';
import type { AwsCredentials } from '../aws/port.js';
import type { StateStore } from '../cache/state-store.js';
import { describeRemaining } from '../expiry/expiry.js';
import type { InstanceRole } from '../imds/imds.js';
import type { Env } from '../paths/paths.js';

/** Where the source credentials of an assume come from. */
export type Source =
  | { readonly kind: 'profile'; readonly profile: string; readonly credentials: AwsCredentials }
  | { readonly kind: 'ec2'; readonly instance: InstanceRole; readonly credentials: AwsCredentials };

/** The effects needed to get source credentials. */
export interface SourceDeps {
  readonly env: Env;
  readonly loadSourceCredentials: (profile: string, where: string) => Promise<AwsCredentials>;
  readonly instanceMetadata: (env: Env) => Promise<InstanceRole>;
}

/**
 * Fails with what to run when the source profile is a corp session anwbis wrote and it has
 * expired, instead of letting AWS answer with an opaque ExpiredToken.
 */
export async function assertSessionUsable(profile: string, store: StateStore, now: Date): Promise<void> {
  const record = await store.readProfile(profile);
  if (record?.kind !== 'session') return;
  const expiration = new Date(record.expiration);
  if (expiration.getTime() > now.getTime()) return;
  const renew = record.sourceProfile === 'default' ? 'anwbis session' : `anwbis session --profile ${record.sourceProfile}`;
  throw new AnwbisError('config', `the corp session ${profile} expired at ${expiration.toISOString()} (${describeRemaining(expiration, now)})`, {
    next: `start a new one with \`${renew}\` (one MFA code), then run this again`,
  });
}

/**
 * The corp source profile: `--profile`, else `AWS_PROFILE`, else `default`. An `AWS_PROFILE`
 * that names a delegated profile anwbis itself wrote (as the original README suggests
 * exporting) cannot be a source, so it is passed over for `default`.
 */
export async function chooseSourceProfile(flag: string | undefined, env: Env, store: StateStore, reporter?: { verbose(line: string): void }): Promise<string> {
  if (flag !== undefined) return flag;
  const fromEnv = env.AWS_PROFILE;
  if (!fromEnv) return 'default';
  if ((await store.readProfile(fromEnv))?.kind === 'assume') {
    reporter?.verbose(`AWS_PROFILE=${fromEnv} is a delegated profile written by anwbis; using default as the corp profile`);
    return 'default';
  }
  return fromEnv;
}
