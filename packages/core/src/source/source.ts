import { AnwbisError } from '../errors/errors.js';
import type { AwsCredentials, TemporaryCredentials } from '../aws/port.js';
import type { StateStore } from '../cache/state-store.js';
import { credentialsFilePath, type Env } from '../paths/paths.js';
import { describeRemaining, isSessionValid, type Clock } from '../expiry/expiry.js';
import type { EventSink } from '../events/events.js';
import type { InstanceRole } from '../imds/imds.js';
import { displayPath } from '../credentials-file/aws-file.js';
import { corpProfileOf, sessionProfileName, type NamingPatterns } from '../naming/patterns.js';
import { readValidSession } from '../profiles/profiles.js';

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

/** The EC2 instance role's credentials, from instance metadata (IMDSv2). */
export async function loadInstanceSource(deps: Pick<SourceDeps, 'env' | 'instanceMetadata'> & { readonly events: EventSink }): Promise<Source> {
  const instance = await deps.instanceMetadata(deps.env);
  deps.events({ type: 'instance-role', roleName: instance.roleName, ...(instance.instanceId ? { instanceId: instance.instanceId } : {}), endpoint: instance.endpoint });
  return { kind: 'ec2', instance, credentials: instance.credentials };
}

/**
 * A named profile's credentials through the SDK's own resolver. An expired corp session anwbis
 * wrote fails with what to run instead, before AWS answers with an opaque ExpiredToken.
 */
export async function loadProfileSource(
  profile: string,
  store: StateStore,
  deps: Pick<SourceDeps, 'env' | 'loadSourceCredentials'> & { readonly clock: Clock },
): Promise<Source> {
  await assertSessionUsable(profile, store, deps.clock);
  const credentials = await deps.loadSourceCredentials(profile, displayPath(credentialsFilePath(deps.env)));
  return { kind: 'profile', profile, credentials };
}

/** The command that starts a corp session for a corp profile. */
export function sessionCommand(corpProfile: string): string {
  return corpProfile === 'default' ? 'anwbis session' : `anwbis session --profile ${corpProfile}`;
}

/**
 * Fails with what to run when the source profile is a corp session anwbis wrote that is no
 * longer valid ({@link isSessionValid}), instead of letting AWS answer with an opaque ExpiredToken.
 */
export async function assertSessionUsable(profile: string, store: StateStore, clock: Clock): Promise<void> {
  const record = await store.readProfile(profile);
  if (record?.kind !== 'session') return;
  const expiration = new Date(record.expiration);
  if (isSessionValid(expiration, clock)) return;
  const left = describeRemaining(expiration, clock.now());
  const ended = left === 'expired' ? `expired at ${expiration.toISOString()} (${left})` : `ends at ${expiration.toISOString()} (${left} left), too close to its end to use`;
  throw new AnwbisError('config', `the corp session ${profile} ${ended}`, {
    next: `start a new one with \`${sessionCommand(record.sourceProfile)}\` (one MFA code), then run this again`,
  });
}

/**
 * The corp source profile: `--profile`, else `AWS_PROFILE`, else `default`. An `AWS_PROFILE`
 * that names a delegated profile anwbis itself wrote (as the original README suggests
 * exporting) cannot be a source, so it is passed over for `default`.
 */
export async function chooseSourceProfile(flag: string | undefined, env: Env, store: StateStore, events?: EventSink): Promise<string> {
  if (flag !== undefined) return flag;
  const fromEnv = env.AWS_PROFILE;
  if (!fromEnv) return 'default';
  if ((await store.readProfile(fromEnv))?.kind === 'assume') {
    events?.({ type: 'source-passed-over', profile: fromEnv });
    return 'default';
  }
  return fromEnv;
}

/**
 * The valid corp session ({@link isSessionValid}) anwbis wrote for a source profile (the source
 * itself when it is one), with the credentials the credentials file holds for it, or undefined
 * when there is none.
 */
export async function findValidSession(
  sourceProfile: string,
  options: { store: StateStore; env: Env; clock: Clock; patterns: NamingPatterns },
): Promise<{ profile: string; expiration: Date; credentials: TemporaryCredentials } | undefined> {
  const own = await options.store.readProfile(sourceProfile);
  const name = own?.kind === 'session' ? sourceProfile : sessionProfileName(corpProfileOf(sourceProfile, options.patterns), options.patterns);
  const written = await readValidSession(options.store, credentialsFilePath(options.env), name, options.clock).catch(() => undefined);
  return written ? { profile: name, expiration: written.credentials.expiration, credentials: written.credentials } : undefined;
}
