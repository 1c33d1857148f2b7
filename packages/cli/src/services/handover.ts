/**
 * What `anwbis watch` and `anwbis assume --watch` share: finding the corp session the daemon
 * will refresh from, and handing the written profile over to the daemon.
 */
import {
  AnwbisError,
  StateStore,
  anwbisHome,
  chooseSourceProfile,
  credentialsFilePath,
  loadSettings,
  readValidSession,
  sessionCommand,
  sessionProfileName,
  shown,
  targetRequestOf,
  type AssumeRequest,
  type Clock,
  type Env,
} from '@anwbis/core';
import { DaemonClient, MAX_CHAINED_DURATION_SECONDS, type WatchSpec } from '@anwbis/daemon/client';

/** Connects to the running daemon, or fails with how to start it, before anything is assumed. */
export function connectDaemon(client: string): Promise<DaemonClient> {
  return DaemonClient.connect(process.env, { client });
}

/** The corp profile (long-term keys) behind `flag`: a corp session named by `--profile` stands for its own source. */
export async function corpProfileFor(flag: string | undefined, env: Env): Promise<string> {
  const store = new StateStore(anwbisHome(env));
  const chosen = await chooseSourceProfile(flag, env, store);
  const record = await store.readProfile(chosen);
  return record?.kind === 'session' ? record.sourceProfile : chosen;
}

/**
 * The still-valid corp session of `corpProfile`, or an error naming the command that starts
 * one: the daemon never asks for an MFA code.
 */
export async function requireCorpSession(corpProfile: string, deps: { env: Env; clock: Clock }): Promise<string> {
  const home = anwbisHome(deps.env);
  const profile = sessionProfileName(corpProfile, (await loadSettings(home)).naming);
  const valid = await readValidSession(new StateStore(home), credentialsFilePath(deps.env), profile, deps.clock);
  if (!valid) {
    throw new AnwbisError('config', `there is no valid corp session ${profile} for the daemon to refresh from`, {
      next: `start one with \`${sessionCommand(corpProfile)}\` (one MFA code), then run this again`,
    });
  }
  return profile;
}

/** Checks `--duration` and `--until` for a watched profile. */
export function watchLimits(duration: number, until: string | undefined, now = new Date()): { durationSeconds: number; until?: string } {
  if (duration > MAX_CHAINED_DURATION_SECONDS) {
    throw new AnwbisError('usage', `--duration ${duration} is too long for a watched profile: AWS allows at most ${MAX_CHAINED_DURATION_SECONDS} s for a role assumed with corp session credentials`, {
      next: 'leave --duration at 3600 or less; the daemon refreshes it as often as needed',
    });
  }
  if (until === undefined) return { durationSeconds: duration };
  const end = new Date(until);
  if (Number.isNaN(end.getTime()) || end.getTime() <= now.getTime()) {
    throw new AnwbisError('usage', `--until ${shown(until)} is not a time in the future`, { next: 'give a date and time such as 2026-12-01T18:00:00+01:00' });
  }
  return { durationSeconds: duration, until: end.toISOString() };
}

/** Hands a profile written from `request` to the daemon to keep fresh. */
export async function handOver(client: DaemonClient, request: AssumeRequest, profile: string, corpProfile: string, limits: { durationSeconds: number; until?: string }): Promise<void> {
  await client.watch(await watchSpecFor(request, profile, corpProfile, limits));
}

/** What the daemon needs to keep a profile written from `request` fresh. */
export async function watchSpecFor(request: AssumeRequest, profile: string, corpProfile: string, limits: { durationSeconds: number; until?: string }): Promise<WatchSpec> {
  const { naming } = await loadSettings(anwbisHome(process.env));
  return {
    profile,
    sourceProfile: corpProfile,
    target: targetRequestOf(request.target, naming),
    ...(request.region ? { region: request.region } : {}),
    ...(request.externalId ? { externalId: request.externalId } : {}),
    ...(request.account ? { account: request.account } : {}),
    ...(request.sessionName ? { sessionName: request.sessionName } : {}),
    ...limits,
  };
}
