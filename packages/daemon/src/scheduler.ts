/**
 * The daemon's decisions, with no I/O: which watched profiles to refresh now, what a refresh's
 * outcome means, what the corp session's clock means. Time always comes in as an argument,
 * read from the wall clock on a periodic tick, so a laptop that slept catches up on the first
 * tick after it wakes instead of trusting a timer that slept with it.
 */
import { MAX_CHAINED_DURATION_SECONDS } from './protocol-version.js';
import type { WatchSpec } from './watch-spec.js';

/** Where a watched profile stands. */
export type ProfileState = 'pending' | 'fresh' | 'refreshing' | 'retrying' | 'failed' | 'needs-mfa';

/** Where a corp session stands. */
export type SessionState = 'unknown' | 'valid' | 'expiring' | 'expired';

/** Why a refresh failed, as far as the scheduler cares. */
export type FailureReason = 'throttled' | 'session-expired' | 'denied' | 'other';

export type RefreshOutcome =
  | { readonly ok: true; readonly expiresAt: Date; readonly accessKeyId: string }
  | { readonly ok: false; readonly reason: FailureReason; readonly message: string };

/** What the daemon tells its subscribers (and the log, and the desktop). */
export type DaemonEvent =
  | { readonly type: 'refreshed'; readonly profile: string; readonly expiresAt: string }
  | { readonly type: 'failed'; readonly profile: string; readonly state: ProfileState; readonly error: string; readonly retryAt?: string }
  | { readonly type: 'session.expiring'; readonly profile: string; readonly expiresAt: string; readonly minutesLeft: number }
  | { readonly type: 'session.expired'; readonly profile: string; readonly expiresAt?: string }
  | { readonly type: 'session.renewed'; readonly profile: string; readonly expiresAt: string }
  | { readonly type: 'unwatched'; readonly profile: string; readonly reason: string };

export interface SchedulerConfig {
  /** `[daemon] refresh_before_seconds`; undefined: the larger of 15 minutes and a third of the lifetime. */
  readonly refreshBeforeSeconds?: number;
  /** Up to this much random delay per profile, so profiles watched together spread out. */
  readonly jitterMs: number;
  /** Minutes before the corp session ends at which subscribers are warned. */
  readonly sessionWarningsMinutes: readonly number[];
}

export const DEFAULT_SCHEDULER_CONFIG: SchedulerConfig = { jitterMs: 5000, sessionWarningsMinutes: [30, 10] };

/** A profile's state as status shows it. */
export interface ProfileView {
  readonly profile: string;
  readonly sourceProfile: string;
  readonly state: ProfileState;
  readonly expiresAt: Date | undefined;
  readonly lastRefreshAt: Date | undefined;
  readonly lastError: string | undefined;
}

/** A corp session's state as status shows it; `profile` is the source profile's session. */
export interface SessionView {
  readonly sourceProfile: string;
  readonly state: SessionState;
  readonly expiresAt: Date | undefined;
}

interface Track {
  spec: WatchSpec;
  state: ProfileState;
  expiresAt: number | undefined;
  lastRefreshAt: number | undefined;
  lastError: string | undefined;
  notBefore: number | undefined;
  failures: number;
  jitterMs: number;
  /** Due on the next tick whatever its expiry: asked for, or its corp session was just renewed. */
  forced: boolean;
}

interface SessionTrack {
  expiresAt: number | undefined;
  expired: boolean;
  warned: Set<number>;
}

const MINUTE = 60_000;
/** A refreshed profile is not refreshed again sooner than this, whatever the settings say. */
export const MIN_REFRESH_INTERVAL_MS = 30_000;
/** AWS said no: not asked again sooner than this. */
export const DENIED_RETRY_MS = MINUTE;
const BACKOFF_BASE_MS = 10_000;
const BACKOFF_MAX_MS = 15 * MINUTE;

/**
 * Seconds of validity left at which a profile is refreshed: the setting, else the larger of
 * 15 minutes and a third of the lifetime, but never more than half the lifetime (a 15-minute
 * credential would otherwise be due the moment it is written).
 */
export function refreshBeforeSeconds(lifetimeSeconds: number, configured: number | undefined): number {
  if (configured !== undefined) return configured;
  return Math.min(Math.max(15 * 60, lifetimeSeconds / 3), lifetimeSeconds / 2);
}

/** The DurationSeconds to ask for: the watch's, at most the role-chaining cap. */
export function chainedDuration(spec: WatchSpec): number {
  return Math.min(spec.durationSeconds, MAX_CHAINED_DURATION_SECONDS);
}

/** Exponential back-off after the `failures`-th failure in a row. */
export function backoffMs(failures: number): number {
  return Math.min(BACKOFF_BASE_MS * 2 ** Math.max(0, failures - 1), BACKOFF_MAX_MS);
}

/** The watched profiles and corp sessions, and every rule about when to act on them. */
export class Scheduler {
  private readonly tracks = new Map<string, Track>();
  private readonly sessions = new Map<string, SessionTrack>();

  constructor(
    private readonly config: SchedulerConfig,
    private readonly random: () => number = Math.random,
  ) {}

  /** Starts watching (or replaces the watch of) a profile; `written` is what the files hold now. */
  watch(spec: WatchSpec, written?: { expiresAt: Date }): void {
    const old = this.tracks.get(spec.profile);
    const expiresAt = written?.expiresAt.getTime() ?? old?.expiresAt;
    this.tracks.set(spec.profile, {
      spec,
      state: old?.state === 'refreshing' ? 'refreshing' : expiresAt === undefined ? 'pending' : 'fresh',
      expiresAt,
      lastRefreshAt: old?.lastRefreshAt,
      lastError: undefined,
      notBefore: undefined,
      failures: 0,
      jitterMs: Math.floor(this.random() * this.config.jitterMs),
      forced: false,
    });
    if (!this.sessions.has(spec.sourceProfile)) this.sessions.set(spec.sourceProfile, { expiresAt: undefined, expired: false, warned: new Set() });
  }

  unwatch(profile: string): boolean {
    const removed = this.tracks.delete(profile);
    const sources = new Set([...this.tracks.values()].map((t) => t.spec.sourceProfile));
    for (const source of this.sessions.keys()) if (!sources.has(source)) this.sessions.delete(source);
    return removed;
  }

  specs(): WatchSpec[] {
    return [...this.tracks.values()].map((t) => t.spec);
  }

  spec(profile: string): WatchSpec | undefined {
    return this.tracks.get(profile)?.spec;
  }

  /** The source profiles whose corp sessions the watched profiles depend on. */
  sourceProfiles(): string[] {
    return [...this.sessions.keys()];
  }

  /**
   * One tick: the profiles due for a refresh now (marked `refreshing`), which of them were asked
   * for (`forced`), the watches that ran past `until` (removed), and the corp-session events the
   * clock implies.
   */
  tick(now: Date): { refresh: WatchSpec[]; forced: ReadonlySet<string>; events: DaemonEvent[] } {
    const t = now.getTime();
    const events: DaemonEvent[] = [];
    for (const [source, session] of this.sessions) events.push(...this.sessionClock(source, session, t));
    for (const [profile, track] of this.tracks) {
      if (track.spec.until !== undefined && Date.parse(track.spec.until) <= t) {
        this.unwatch(profile);
        events.push({ type: 'unwatched', profile, reason: `watched until ${track.spec.until}` });
      }
    }
    const refresh: WatchSpec[] = [];
    const forced = new Set<string>();
    for (const track of this.tracks.values()) {
      if (!this.isDue(track, t)) continue;
      track.state = 'refreshing';
      if (track.forced) forced.add(track.spec.profile);
      track.forced = false;
      refresh.push(track.spec);
    }
    return { refresh, forced, events };
  }

  /** Forces a refresh of one profile (or all) on the next tick, past any back-off. */
  requestRefresh(profile?: string): string[] {
    const chosen = [...this.tracks.values()].filter((track) => profile === undefined || track.spec.profile === profile);
    for (const track of chosen) {
      if (track.state === 'refreshing') continue;
      track.notBefore = undefined;
      track.lastRefreshAt = undefined;
      track.forced = true;
    }
    return chosen.map((track) => track.spec.profile);
  }

  /**
   * When a profile's next refresh is due by its expiry (and no sooner than the rules allow);
   * undefined when nothing was written yet or it waits for a person (needs-mfa).
   */
  refreshDueAt(profile: string): Date | undefined {
    const track = this.tracks.get(profile);
    if (!track || track.expiresAt === undefined || track.state === 'needs-mfa') return undefined;
    const before = refreshBeforeSeconds(chainedDuration(track.spec), this.config.refreshBeforeSeconds) * 1000 + track.jitterMs;
    return new Date(Math.max(track.expiresAt - before, (track.lastRefreshAt ?? 0) + MIN_REFRESH_INTERVAL_MS, track.notBefore ?? 0));
  }

  private isDue(track: Track, t: number): boolean {
    if (track.state === 'refreshing' || track.state === 'needs-mfa') return false;
    if (this.sessions.get(track.spec.sourceProfile)?.expired) return false;
    if (track.notBefore !== undefined && t < track.notBefore) return false;
    if (track.lastRefreshAt !== undefined && t - track.lastRefreshAt < MIN_REFRESH_INTERVAL_MS) return false;
    // A failed refresh is tried again at the time it showed (its back-off), whatever the expiry:
    // a forced refresh that failed would otherwise say `retrying` until the expiry came due.
    if (track.expiresAt === undefined || track.forced || track.failures > 0) return true;
    const before = refreshBeforeSeconds(chainedDuration(track.spec), this.config.refreshBeforeSeconds) * 1000 + track.jitterMs;
    return track.expiresAt - t <= before;
  }

  private sessionClock(source: string, session: SessionTrack, t: number): DaemonEvent[] {
    if (session.expiresAt === undefined || session.expired) return [];
    const left = session.expiresAt - t;
    const expiresAt = new Date(session.expiresAt).toISOString();
    if (left <= 0) return this.expireSession(source, session, 'the corp session has ended');
    // After a sleep several marks may have passed at once: one event, for the nearest.
    const crossed = this.config.sessionWarningsMinutes.filter((m) => left <= m * MINUTE && !session.warned.has(m));
    if (crossed.length === 0) return [];
    for (const m of crossed) session.warned.add(m);
    return [{ type: 'session.expiring', profile: source, expiresAt, minutesLeft: Math.min(...crossed) }];
  }

  private expireSession(source: string, session: SessionTrack, why: string): DaemonEvent[] {
    session.expired = true;
    const events: DaemonEvent[] = [
      { type: 'session.expired', profile: source, ...(session.expiresAt !== undefined ? { expiresAt: new Date(session.expiresAt).toISOString() } : {}) },
    ];
    for (const track of this.tracks.values()) {
      if (track.spec.sourceProfile !== source || track.state === 'needs-mfa') continue;
      // A refresh in flight finds out for itself and lands here through its outcome.
      if (track.state === 'refreshing') continue;
      track.state = 'needs-mfa';
      track.lastError = why;
      events.push({ type: 'failed', profile: track.spec.profile, state: 'needs-mfa', error: why });
    }
    return events;
  }

  /**
   * What the session profile holds now (read at start, on every tick and when the AWS files
   * change). A later expiry than before is a renewed session: the profiles waiting for it are
   * due at once.
   */
  sessionSeen(source: string, expiresAt: Date | undefined, now: Date): DaemonEvent[] {
    const session = this.sessions.get(source);
    if (!session) return [];
    const next = expiresAt?.getTime();
    if (next === undefined || next === session.expiresAt) return [];
    const renewed = next > now.getTime() && (session.expired || session.expiresAt === undefined || next > session.expiresAt);
    if (!renewed) {
      // An earlier end than believed (the record was rewritten): the next tick's clock acts on it.
      session.expiresAt = next;
      return [];
    }
    const wasExpired = session.expired;
    const hadExpiry = session.expiresAt !== undefined;
    session.expiresAt = next;
    session.expired = false;
    session.warned = new Set(this.config.sessionWarningsMinutes.filter((m) => next - now.getTime() <= m * MINUTE));
    for (const track of this.tracks.values()) {
      if (track.spec.sourceProfile !== source || track.state !== 'needs-mfa') continue;
      track.state = 'pending';
      track.notBefore = undefined;
      track.lastRefreshAt = undefined;
      track.failures = 0;
      track.forced = true;
    }
    return wasExpired || hadExpiry ? [{ type: 'session.renewed', profile: source, expiresAt: new Date(next).toISOString() }] : [];
  }

  /** The files now hold credentials someone else wrote (the person ran `anwbis assume`). */
  writtenElsewhere(profile: string, expiresAt: Date): void {
    const track = this.tracks.get(profile);
    if (!track || track.state === 'refreshing') return;
    track.expiresAt = expiresAt.getTime();
    if (track.state === 'needs-mfa') return;
    Object.assign(track, { state: 'fresh', failures: 0, notBefore: undefined, lastError: undefined });
  }

  /** Applies the outcome of a refresh that {@link tick} started. */
  refreshed(profile: string, outcome: RefreshOutcome, now: Date): DaemonEvent[] {
    const track = this.tracks.get(profile);
    if (!track) return [];
    const t = now.getTime();
    if (outcome.ok) {
      Object.assign(track, { state: 'fresh', expiresAt: outcome.expiresAt.getTime(), lastRefreshAt: t, lastError: undefined, notBefore: undefined, failures: 0 });
      return [{ type: 'refreshed', profile, expiresAt: outcome.expiresAt.toISOString() }];
    }
    track.lastError = outcome.message;
    track.failures += 1;
    switch (outcome.reason) {
      case 'session-expired': {
        track.state = 'needs-mfa';
        const session = this.sessions.get(track.spec.sourceProfile);
        const events: DaemonEvent[] = [{ type: 'failed', profile, state: 'needs-mfa', error: outcome.message }];
        if (session && !session.expired) events.unshift(...this.expireSession(track.spec.sourceProfile, session, outcome.message));
        return events;
      }
      case 'denied':
        track.state = 'failed';
        track.notBefore = t + Math.max(DENIED_RETRY_MS, backoffMs(track.failures));
        break;
      default:
        track.state = 'retrying';
        track.notBefore = t + backoffMs(track.failures);
    }
    return [{ type: 'failed', profile, state: track.state, error: outcome.message, retryAt: new Date(track.notBefore).toISOString() }];
  }

  profiles(): ProfileView[] {
    return [...this.tracks.values()].map((track) => ({
      profile: track.spec.profile,
      sourceProfile: track.spec.sourceProfile,
      state: track.state,
      expiresAt: track.expiresAt === undefined ? undefined : new Date(track.expiresAt),
      lastRefreshAt: track.lastRefreshAt === undefined ? undefined : new Date(track.lastRefreshAt),
      lastError: track.lastError,
    }));
  }

  sessionViews(now: Date): SessionView[] {
    return [...this.sessions].map(([sourceProfile, session]) => ({
      sourceProfile,
      expiresAt: session.expiresAt === undefined ? undefined : new Date(session.expiresAt),
      state:
        session.expired || (session.expiresAt !== undefined && session.expiresAt <= now.getTime())
          ? 'expired'
          : session.expiresAt === undefined
            ? 'unknown'
            : session.expiresAt - now.getTime() <= Math.max(...this.config.sessionWarningsMinutes) * MINUTE
              ? 'expiring'
              : 'valid',
    }));
  }
}
