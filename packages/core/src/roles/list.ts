import { AnwbisError } from '../errors/errors.js';
import type { AwsCredentials, AwsPort } from '../aws/port.js';
import { resolveRegion } from '../aws/region.js';
import { explainAwsError } from '../errors/explain-aws.js';
import { assertSessionUsable, chooseSourceProfile } from '../source/source.js';
import { StateStore } from '../cache/state-store.js';
import { displayPath } from '../credentials-file/aws-file.js';
import type { Clock } from '../expiry/expiry.js';
import { parseCallerArn } from '../identity/caller-arn.js';
import { sessionProfileName } from '../naming/patterns.js';
import { anwbisHome, credentialsFilePath, type Env } from '../paths/paths.js';
import { readValidSession } from '../profiles/profiles.js';
import { loadSettings } from '../settings/settings.js';
import { readRoleList, roleListPath, writeRoleList, ROLE_LIST_MAX_AGE_MS } from './cache.js';
import type { DelegatedRole } from './delegated-role.js';
import { discoverDelegatedRoles, type DiscoveryProgress } from './discover.js';

/** The user's groups grant no delegated role: not a failure of anwbis, a state to explain. */
export class NoDelegatedRolesError extends AnwbisError {
  constructor(message: string, next: string) {
    super('denied', message, { next });
    this.name = 'NoDelegatedRolesError';
  }
}

/** One `anwbis roles` (or the TUI's list). */
export interface RoleListRequest {
  /** `--profile`: the corp profile; else `AWS_PROFILE`, else `default`. */
  readonly sourceProfile?: string;
  readonly region?: string;
  /** Ask AWS even when the cached list is young enough. */
  readonly refresh?: boolean;
  readonly onProgress?: (progress: DiscoveryProgress) => void;
  /** Told which credentials the IAM reads use (a corp session or the corp keys). */
  readonly onSource?: (profile: string) => void;
}

export interface RoleListDeps {
  readonly env: Env;
  readonly clock: Clock;
  readonly loadSourceCredentials: (profile: string, where: string) => Promise<AwsCredentials>;
  readonly createAws: (options: { credentials: AwsCredentials; region: string }) => AwsPort;
}

export interface RoleList {
  readonly roles: DelegatedRole[];
  readonly userName: string;
  readonly account: string;
  readonly sourceProfile: string;
  readonly fetchedAt: Date;
  readonly fromCache: boolean;
  /** Policies that were skipped because they could not be read as policy documents. */
  readonly problems: readonly string[];
}

/**
 * Every delegated role the corp user may assume. Answers from the cached list while it is
 * younger than an hour; otherwise reads the user's groups with IAM, needing no MFA code: with
 * a still-valid corp session (`corp-session-<profile>`) when there is one, else the corp keys.
 */
export async function listDelegatedRoles(request: RoleListRequest, deps: RoleListDeps): Promise<RoleList> {
  const { env } = deps;
  const home = anwbisHome(env);
  const settings = await loadSettings(home);
  const store = new StateStore(home);
  const sourceProfile = await chooseSourceProfile(request.sourceProfile, env, store);
  const cachePath = roleListPath(home, sourceProfile, settings.naming);
  const now = deps.clock.now();
  if (!request.refresh) {
    const cached = await youngList(cachePath, sourceProfile, now);
    if (cached) return cached;
  }

  const credentialsFile = credentialsFilePath(env);
  const sessionProfile = sessionProfileName(sourceProfile, settings.naming);
  const session =
    sessionProfile === sourceProfile
      ? undefined
      : await readValidSession(store, credentialsFile, sessionProfile, deps.clock).catch(() => undefined);
  let readWith = sourceProfile;
  let credentials: AwsCredentials;
  if (session) {
    readWith = sessionProfile;
    credentials = session.credentials;
  } else {
    await assertSessionUsable(sourceProfile, store, deps.clock);
    credentials = await deps.loadSourceCredentials(sourceProfile, displayPath(credentialsFile));
  }
  request.onSource?.(readWith);
  const region = await resolveRegion(request.region, env, sourceProfile);
  const aws = deps.createAws({ credentials, region });
  const asked = aws.getCallerIdentity();
  // Every read after this one goes to IAM: its client loads while STS answers.
  aws.preload?.('iam');
  const identity = await asked.catch((err: unknown) => {
    throw explainAwsError(err, 'checking who you are', { profile: readWith });
  });
  const who = parseCallerArn(identity.arn);
  if (who.kind !== 'user') {
    throw new AnwbisError('config', `profile ${readWith} is not a corp IAM user (${identity.arn}): the roles come from an IAM user's groups`, {
      next: 'use --profile with your corp user access keys',
    });
  }
  const found = await discoverDelegatedRoles(aws, {
    userName: who.name,
    partition: who.partition,
    patterns: settings.naming,
    ...(request.onProgress ? { onProgress: request.onProgress } : {}),
  });
  if (found.groups.length === 0) {
    throw new NoDelegatedRolesError(
      `your corp user ${who.name} is in no IAM group, so no delegated role is granted to it`,
      `anwbis reads groups named ${settings.naming.group} whose inline policy ${settings.naming.policy} allows sts:AssumeRole on the delegated roles; ask the corp account administrators to add you to one`,
    );
  }
  if (found.roles.length === 0) {
    const why = found.problems.length > 0 ? ` (${found.problems.join('; ')})` : '';
    throw new NoDelegatedRolesError(
      `none of the ${found.groups.length} IAM groups of ${who.name} grants a delegated role${why}`,
      `a group grants roles through an inline policy ${settings.naming.policy} that allows sts:AssumeRole on role ARNs; ask the corp account administrators`,
    );
  }
  const record = { version: 1 as const, sourceProfile, userName: who.name, account: who.account, fetchedAt: now.toISOString(), roles: found.roles };
  await writeRoleList(cachePath, record);
  return { roles: found.roles, userName: who.name, account: who.account, sourceProfile, fetchedAt: now, fromCache: false, problems: found.problems };
}

/**
 * The cached list of the corp profile while it is younger than an hour, else undefined: never
 * an AWS call (the picker reads it before it draws its first frame).
 */
export async function cachedDelegatedRoles(request: Pick<RoleListRequest, 'sourceProfile'>, deps: Pick<RoleListDeps, 'env' | 'clock'>): Promise<RoleList | undefined> {
  const home = anwbisHome(deps.env);
  const settings = await loadSettings(home);
  const sourceProfile = await chooseSourceProfile(request.sourceProfile, deps.env, new StateStore(home));
  return youngList(roleListPath(home, sourceProfile, settings.naming), sourceProfile, deps.clock.now());
}

async function youngList(cachePath: string, sourceProfile: string, now: Date): Promise<RoleList | undefined> {
  const cached = await readRoleList(cachePath);
  const fetchedAt = cached ? new Date(cached.fetchedAt) : undefined;
  const age = fetchedAt ? now.getTime() - fetchedAt.getTime() : Infinity;
  if (!cached || !fetchedAt || age < 0 || age >= ROLE_LIST_MAX_AGE_MS) return undefined;
  return { roles: cached.roles, userName: cached.userName, account: cached.account, sourceProfile, fetchedAt, fromCache: true, problems: [] };
}
