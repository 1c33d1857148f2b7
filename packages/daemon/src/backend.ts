/**
 * The daemon's one port onto core: everything it does to AWS and the AWS files goes through
 * {@link DaemonBackend}. The real one composes core's assume and corp-session services; the
 * scheduler and server tests use {@link FakeBackend} from `backend-fake.ts`.
 */
import { createHash } from 'node:crypto';
import {
  AnwbisError,
  AWS_FAILURES,
  awsFailureBehind,
  StateStore,
  anwbisHome,
  configFilePath,
  corpSession,
  createSdkPort,
  credentialsFilePath,
  fromInstanceMetadata,
  isSessionValid,
  listDelegatedRoles,
  loadProfileCredentials,
  loadSettings,
  provideRoleCredentials,
  readAccessKeyIds,
  readCredentialsProfile,
  sessionProfileName,
  refreshWrittenProfile,
  roleStatuses,
  silentEvents,
  systemClock,
  type AwsCredentials,
  type AwsFailureRemedy,
  type AwsPort,
  type Env,
  type TargetRequest,
  type TemporaryCredentials,
  type RoleList,
  type RoleStatus,
} from '@anwbis/core';
import type { WarmEngine } from './engine.js';
import type { FailureReason } from './scheduler.js';
import { chainedDuration } from './scheduler.js';
import type { WatchSpec } from './watch-spec.js';

/** A `credential-process` request, as its caller asked it. */
export interface ProvideRequest {
  readonly target: TargetRequest;
  /** As asked: `--profile`, else `AWS_PROFILE`, else `default`. */
  readonly sourceProfile: string;
  /** As asked; '' leaves it to the source profile. */
  readonly region: string;
  readonly externalId?: string | undefined;
  readonly account?: string | undefined;
}

/** A refresh that did not work, classified for the scheduler; the message is for a person. */
export class RefreshFailure extends Error {
  constructor(
    readonly reason: FailureReason,
    message: string,
  ) {
    super(message);
    this.name = 'RefreshFailure';
  }
}

/** What the credentials file holds for a profile now, and what anwbis recorded about it. */
export interface WrittenProfile {
  /** Whether the credentials file has the section at all. */
  readonly present: boolean;
  readonly accessKeyId?: string;
  /** Expiry anwbis recorded, when the section still holds the key it recorded. */
  readonly expiresAt?: Date;
}

/** A corp user's delegated roles and where each role's profile stands (keyed by role ARN). */
export interface RoleListing {
  readonly list: RoleList;
  readonly statuses: ReadonlyMap<string, RoleStatus>;
}

export interface DaemonBackend {
  /** The AWS files, whose directories the daemon watches. */
  readonly files: { readonly credentials: string; readonly config: string };
  /**
   * New credentials for a watched profile from its corp session, written; throws
   * {@link RefreshFailure}. `timeoutMs` bounds each AWS call, retries included (default 30 s).
   */
  refresh(watch: WatchSpec, options?: { timeoutMs?: number }): Promise<{ expiresAt: Date; accessKeyId: string }>;
  /** The corp session of a source profile, as recorded. */
  session(sourceProfile: string): Promise<{ profile: string; expiresAt?: Date }>;
  /** A new corp session from an MFA code (GetSessionToken), written. */
  unlock(sourceProfile: string, mfaCode: string): Promise<{ profile: string; expiresAt: Date }>;
  written(profile: string): Promise<WrittenProfile>;
  /**
   * The access key id each profile's section holds now (undefined: no section); one read of the
   * file for all. Undefined when the file holds no section at all (missing, empty, or between
   * an editor's truncate and write).
   */
  keys(profiles: readonly string[]): Promise<Map<string, string | undefined> | undefined>;
  /**
   * Credentials for a request as `credential-process` makes them (cached under ANWBIS_HOME, the
   * AWS files untouched), from the corp session only: never a prompt.
   */
  provide(request: ProvideRequest): Promise<{ profile: string; expiresAt: Date }>;
  /** The keys a profile's section holds now with the expiry anwbis recorded for them; undefined when either is missing. */
  credentials(profile: string): Promise<TemporaryCredentials | undefined>;

  /** The roles `anwbis roles` lists: core's cached list (AWS asked when it is older than an hour, or when `refresh`). */
  roles(request: { sourceProfile?: string; refresh?: boolean }): Promise<RoleListing>;
}

/** What the scheduler does about an AWS failure, by what helps (core's table of AWS failures). */
const REASON_BY_REMEDY: Readonly<Record<AwsFailureRemedy, FailureReason | undefined>> = {
  'new-credentials': 'session-expired',
  wait: 'throttled',
  permission: 'denied',
  none: undefined,
};

/** Sorts a failure of core's assume into what the scheduler does about it. */
export function classifyFailure(error: unknown): RefreshFailure {
  if (error instanceof RefreshFailure) return error;
  const kind = awsFailureBehind(error);
  const message = error instanceof Error ? error.message : String(error);
  const reason = kind === undefined ? undefined : REASON_BY_REMEDY[AWS_FAILURES[kind].remedy];
  if (reason !== undefined) return new RefreshFailure(reason, message);
  if (error instanceof AnwbisError && error.kind === 'denied') return new RefreshFailure('denied', message);
  // Core found no valid corp session (or one too close to its end): only a person can start one.
  if (error instanceof AnwbisError && error.kind === 'mfa') return new RefreshFailure('session-expired', message);
  return new RefreshFailure('other', message);
}

const neverPrompts = { interactive: false, ask: () => Promise.reject(new Error('the daemon never prompts')) };

/**
 * A copy of a string that shares no memory with the text it was cut from. V8 keeps a substring
 * as a slice of its parent, so an access key id the daemon remembers per watched profile would
 * keep the whole credentials file alive (secrets included), one copy per profile: 500 watches
 * of a 250 KB file ran the daemon out of its 96 MB heap.
 */
export function detached(value: string): string {
  return Buffer.from(value, 'utf8').toString('utf8');
}

/** Corp sessions whose SDK clients are kept; one is in use, the rest are about to be dropped. */
const KEPT_PORTS = 4;

/**
 * One set of SDK clients per corp session and region, reused by every refresh: a new client
 * per refresh would open (and keep alive) a connection pool each time.
 */
export function reusedPorts(create: (options: { credentials: AwsCredentials; region: string }) => AwsPort) {
  const ports = new Map<string, AwsPort>();
  return (options: { credentials: AwsCredentials; region: string }): AwsPort => {
    const c = options.credentials;
    // Hashed: the key must change with the secret and token, and must not hold them.
    const key = createHash('sha256').update(JSON.stringify([c.accessKeyId, c.secretAccessKey, c.sessionToken ?? '', options.region])).digest('hex');
    let port = ports.get(key);
    if (port) ports.delete(key);
    // A kept client keeps its credentials: copies, so it does not keep the file they were read from.
    else port = create({ region: options.region, credentials: { ...c, accessKeyId: detached(c.accessKeyId), secretAccessKey: detached(c.secretAccessKey), ...(c.sessionToken ? { sessionToken: detached(c.sessionToken) } : {}) } });
    ports.set(key, port);
    while (ports.size > KEPT_PORTS) ports.delete(ports.keys().next().value!);
    return port;
  };
}

/**
 * The backend on core: refreshes with core's "refresh the profile I wrote" composition (the
 * remembered role, from the corp session, no discovery, no prompt); unlocks with `corpSession`.
 */
export function coreBackend(env: Env, engine?: Pick<WarmEngine, 'portsOf'>): DaemonBackend {
  const home = anwbisHome(env);
  const store = new StateStore(home);
  const credentials = credentialsFilePath(env);
  const deps = {
    env,
    clock: systemClock,
    events: silentEvents,
    loadSourceCredentials: loadProfileCredentials,
    instanceMetadata: fromInstanceMetadata,
    // The warm engine's, when the daemon has one: one kept-alive connection per endpoint for
    // the backend and forwarded requests alike (a miss after a forwarded assume paid a new one).
    createAws: engine ? engine.portsOf(env, reusedPorts(createSdkPort)) : reusedPorts(createSdkPort),
  };
  // SDK clients are made with their timeout: one set per timeout asked for.
  const portsByTimeout = new Map<number, ReturnType<typeof reusedPorts>>();
  const portsWithin = (timeoutMs: number) => {
    let ports = portsByTimeout.get(timeoutMs);
    if (!ports) portsByTimeout.set(timeoutMs, (ports = reusedPorts((options) => createSdkPort({ ...options, timeoutMs }))));
    return ports;
  };
  const sessionName = async (source: string) => sessionProfileName(source, (await loadSettings(home)).naming);
  const session = async (source: string) => {
    const profile = await sessionName(source);
    const record = await store.readProfile(profile);
    return record?.kind === 'session' ? { profile, expiresAt: new Date(record.expiration) } : { profile };
  };

  return {
    files: { credentials, config: configFilePath(env) },
    session,
    async refresh(watch, options = {}) {
      const corp = await session(watch.sourceProfile);
      if (corp.expiresAt === undefined || !isSessionValid(corp.expiresAt, deps.clock)) {
        throw new RefreshFailure('session-expired', `the corp session ${corp.profile} ${corp.expiresAt ? `is no longer valid (it ends at ${corp.expiresAt.toISOString()})` : 'does not exist'}`);
      }
      try {
        const within = options.timeoutMs === undefined ? deps : { ...deps, createAws: portsWithin(options.timeoutMs) };
        const result = await refreshWrittenProfile(watch.profile, within, { durationSeconds: chainedDuration(watch) });
        // Cut from STS's answer, which holds the secret key and token.
        return { expiresAt: result.credentials.expiration, accessKeyId: detached(result.credentials.accessKeyId) };
      } catch (error) {
        throw classifyFailure(error);
      }
    },
    async provide(request) {
      // The request's fingerprint is the caller's: made from what it asked, not from this
      // daemon's environment.
      const { AWS_PROFILE: _profile, AWS_DEFAULT_PROFILE: _default, AWS_REGION: _region, AWS_DEFAULT_REGION: _defaultRegion, ...rest } = env;
      const provided = await provideRoleCredentials(
        {
          target: request.target,
          sourceProfile: request.sourceProfile,
          ...(request.region ? { region: request.region } : {}),
          ...(request.externalId ? { externalId: request.externalId } : {}),
          ...(request.account ? { account: request.account } : {}),
        },
        { ...deps, env: rest, mfa: { prompter: neverPrompts } },
      );
      return { profile: provided.profile, expiresAt: provided.credentials.expiration };
    },
    async unlock(sourceProfile, mfaCode) {
      const result = await corpSession(
        { sourceProfile, refresh: true },
        { ...deps, mfa: { flag: mfaCode, prompter: neverPrompts } },
      );
      return { profile: result.profile, expiresAt: result.credentials.expiration };
    },
    async keys(profiles) {
      const found = await readAccessKeyIds(credentials);
      return found && new Map(profiles.map((p) => [p, found.has(p) ? detached(found.get(p)!) : undefined]));
    },
    async roles(request) {
      const list = await listDelegatedRoles({ ...(request.sourceProfile ? { sourceProfile: request.sourceProfile } : {}), refresh: request.refresh ?? false }, deps);
      return { list, statuses: await roleStatuses(list.roles, home, credentials, deps.clock.now()) };
    },
    async credentials(profile) {
      const [keys, record] = await Promise.all([readCredentialsProfile(credentials, profile), store.readProfile(profile)]);
      if (!keys?.sessionToken || !record || record.accessKeyId !== keys.accessKeyId) return undefined;
      return { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey, sessionToken: keys.sessionToken, expiration: new Date(record.expiration) };
    },
    async written(profile) {
      const keys = await readCredentialsProfile(credentials, profile);
      if (!keys) return { present: false };
      const record = await store.readProfile(profile);
      return {
        present: true,
        accessKeyId: detached(keys.accessKeyId),
        ...(record && record.accessKeyId === keys.accessKeyId ? { expiresAt: new Date(record.expiration) } : {}),
      };
    },
  };
}
