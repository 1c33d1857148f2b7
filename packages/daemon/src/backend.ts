/**
 * The daemon's one port onto core: everything it does to AWS and the AWS files goes through
 * {@link DaemonBackend}. The real one composes core's assume and corp-session services; the
 * scheduler and server tests use {@link FakeBackend} from `backend-fake.ts`.
 */
import {
  AnwbisError,
  AwsCallError,
  StateStore,
  anwbisHome,
  assume,
  configFilePath,
  corpSession,
  createSdkPort,
  credentialsFilePath,
  fromInstanceMetadata,
  loadProfileCredentials,
  loadSettings,
  readCredentialsProfile,
  sessionProfileName,
  silentReporter,
  systemClock,
  type Env,
} from '@anwbis/core';
import type { FailureReason } from './scheduler.js';
import { chainedDuration } from './scheduler.js';
import type { WatchSpec } from './watch-spec.js';

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

export interface DaemonBackend {
  /** The AWS files, whose directories the daemon watches. */
  readonly files: { readonly credentials: string; readonly config: string };
  /** New credentials for a watched profile from its corp session, written; throws {@link RefreshFailure}. */
  refresh(watch: WatchSpec): Promise<{ expiresAt: Date; accessKeyId: string }>;
  /** The corp session of a source profile, as recorded. */
  session(sourceProfile: string): Promise<{ profile: string; expiresAt?: Date }>;
  /** A new corp session from an MFA code (GetSessionToken), written. */
  unlock(sourceProfile: string, mfaCode: string): Promise<{ profile: string; expiresAt: Date }>;
  written(profile: string): Promise<WrittenProfile>;
}

const TRANSIENT = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'Network', 'TimeoutError', 'ServiceUnavailable', 'InternalFailure']);
const SESSION_GONE = new Set(['ExpiredToken', 'ExpiredTokenException', 'InvalidClientTokenId', 'RequestExpired']);
const DENIED = new Set(['AccessDenied', 'AccessDeniedException']);

/** Sorts a failure of core's assume into what the scheduler does about it. */
export function classifyFailure(error: unknown): RefreshFailure {
  if (error instanceof RefreshFailure) return error;
  let code: string | undefined;
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e instanceof AwsCallError) {
      code = e.code;
      break;
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  if (code !== undefined && SESSION_GONE.has(code)) return new RefreshFailure('session-expired', message);
  if (code !== undefined && TRANSIENT.has(code)) return new RefreshFailure('throttled', message);
  if ((code !== undefined && DENIED.has(code)) || (error instanceof AnwbisError && error.kind === 'denied')) return new RefreshFailure('denied', message);
  return new RefreshFailure('other', message);
}

/** The backend on today's core: `assume` from `corp-session-<source>` with no MFA, `corpSession` to unlock. */
export function coreBackend(env: Env): DaemonBackend {
  const home = anwbisHome(env);
  const store = new StateStore(home);
  const credentials = credentialsFilePath(env);
  const deps = {
    env,
    clock: systemClock,
    reporter: silentReporter,
    loadSourceCredentials: loadProfileCredentials,
    instanceMetadata: fromInstanceMetadata,
    createAws: createSdkPort,
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
    async refresh(watch) {
      const corp = await session(watch.sourceProfile);
      if (corp.expiresAt === undefined || corp.expiresAt.getTime() <= Date.now()) {
        throw new RefreshFailure('session-expired', `the corp session ${corp.profile} ${corp.expiresAt ? 'has expired' : 'does not exist'}`);
      }
      try {
        const result = await assume(
          {
            target: watch.target,
            sourceProfile: corp.profile,
            noMfa: true,
            refresh: true,
            durationSeconds: chainedDuration(watch),
            ...(watch.region ? { region: watch.region } : {}),
            ...(watch.externalId ? { externalId: watch.externalId } : {}),
            ...(watch.account ? { account: watch.account } : {}),
            ...(watch.sessionName ? { sessionName: watch.sessionName } : {}),
          },
          { ...deps, mfa: { prompter: { interactive: false, ask: () => Promise.reject(new Error('the daemon never prompts')) } } },
        );
        return { expiresAt: result.credentials.expiration, accessKeyId: result.credentials.accessKeyId };
      } catch (error) {
        throw classifyFailure(error);
      }
    },
    async unlock(sourceProfile, mfaCode) {
      const result = await corpSession(
        { sourceProfile, refresh: true },
        { ...deps, mfa: { flag: mfaCode, prompter: { interactive: false, ask: () => Promise.reject(new Error('the daemon never prompts')) } } },
      );
      return { profile: result.profile, expiresAt: result.credentials.expiration };
    },
    async written(profile) {
      const keys = await readCredentialsProfile(credentials, profile);
      if (!keys) return { present: false };
      const record = await store.readProfile(profile);
      return {
        present: true,
        accessKeyId: keys.accessKeyId,
        ...(record && record.accessKeyId === keys.accessKeyId ? { expiresAt: new Date(record.expiration) } : {}),
      };
    },
  };
}
