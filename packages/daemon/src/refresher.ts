/**
 * The daemon's tick: reads the corp sessions, asks the scheduler what is due, and refreshes it
 * through the backend, the profiles of one corp session together. Ticks never overlap.
 */
import type { DaemonBackend } from './backend.js';
import type { DaemonLog } from './log.js';
import { afterBursts } from './memory.js';
import type { DaemonEvent, RefreshOutcome, Scheduler } from './scheduler.js';
import type { WatchSpec } from './watch-spec.js';
import type { Watches } from './watches.js';

/** Refreshes at once; more would only queue at STS and the file lock. */
const REFRESH_CONCURRENCY = 4;
/**
 * A refresh a person asked for (`anwbis daemon refresh`) waits for it: its profiles go 16 at a
 * time, and each AWS call gets 10 s (3 attempts) rather than the 30 s a background refresh may take.
 */
const FORCED_CONCURRENCY = 16;
const FORCED_TIMEOUT_MS = 10_000;

export interface RefresherDeps {
  readonly scheduler: Scheduler;
  readonly backend: DaemonBackend;
  readonly watches: Watches;
  readonly emit: (event: DaemonEvent) => void;
  readonly log: DaemonLog;
  readonly now: () => Date;
}

export class Refresher {
  /** The tick running (or the last one, settled); never rejects. */
  private running: Promise<void> = Promise.resolve();
  /** The tick that starts once the running one ends: asked for again meanwhile, it is the same tick. */
  private queued: Promise<void> | undefined;
  /** The profile each source profile's corp session is written in, as last read. */
  private readonly sessionNames = new Map<string, string>();
  private readonly memory = afterBursts();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly deps: RefresherDeps) {}

  /** Ticks every `tickMs` from now on. */
  start(tickMs: number): void {
    this.timer = setInterval(() => void this.tick(), tickMs);
  }

  /** No tick starts from the clock any more; one running (or queued) goes on: see {@link idle}. */
  stopTicking(): void {
    clearInterval(this.timer);
    this.memory.stop();
  }

  /** Resolves once the tick running now (and the one queued behind it) has ended. */
  idle(): Promise<void> {
    return this.running;
  }

  /** Runs a tick after the running one; a tick asked for while one waits is folded into it. */
  tick(): Promise<void> {
    if (this.queued) return this.queued;
    const next = this.running.then(() => {
      this.queued = undefined;
      return this.tickOnce();
    });
    this.queued = next;
    this.running = next.catch((err: Error) => this.deps.log.warn(`tick failed: ${err.message}`));
    return next;
  }

  /** Reads the corp session of a source profile, and tells the scheduler what it found. */
  async readSession(source: string): Promise<void> {
    const session = await this.deps.backend.session(source);
    this.sessionNames.set(source, session.profile);
    this.deps.scheduler.sessionSeen(source, session.expiresAt, this.deps.now()).forEach(this.deps.emit);
  }

  /** The profile a source profile's corp session is written in, once read. */
  sessionName(source: string): string | undefined {
    return this.sessionNames.get(source);
  }

  private async tickOnce(): Promise<void> {
    const { scheduler, log, emit } = this.deps;
    for (const source of scheduler.sourceProfiles()) await this.readSession(source).catch((err: Error) => log.warn(`reading the corp session of ${source}: ${err.message}`));
    const { refresh, forced, events } = scheduler.tick(this.deps.now());
    events.forEach(emit);
    if (events.some((e) => e.type === 'unwatched')) await this.deps.watches.save();
    const bySource = new Map<string, WatchSpec[]>();
    for (const spec of refresh) {
      let group = bySource.get(spec.sourceProfile);
      if (!group) bySource.set(spec.sourceProfile, (group = []));
      group.push(spec);
    }
    await Promise.all([...bySource.values()].map((specs) => this.refreshSource(specs, forced)));
    if (refresh.length > 0) this.memory.refreshed();
  }

  /**
   * The profiles of one corp session: one goes first, and when STS could not be reached or
   * throttled it, or the session is gone, the others take that outcome instead of each waiting
   * out the same timeouts (17 profiles behind a silent endpoint took 80 s, 4 at a time).
   */
  private async refreshSource(specs: readonly WatchSpec[], forced: ReadonlySet<string>): Promise<void> {
    const [first, ...rest] = specs;
    const outcome = await this.refreshOne(first!, forced.has(first!.profile));
    if (!outcome.ok && (outcome.reason === 'throttled' || outcome.reason === 'session-expired')) {
      for (const spec of rest) this.deps.scheduler.refreshed(spec.profile, { ...outcome, message: `${outcome.message} (as for ${first!.profile}, from the same corp session)` }, this.deps.now()).forEach(this.deps.emit);
      return;
    }
    const queue = [...rest];
    const width = rest.some((spec) => forced.has(spec.profile)) ? FORCED_CONCURRENCY : REFRESH_CONCURRENCY;
    await Promise.all(
      Array.from({ length: Math.min(width, queue.length) }, async () => {
        for (let spec = queue.shift(); spec; spec = queue.shift()) await this.refreshOne(spec, forced.has(spec.profile));
      }),
    );
  }

  private async refreshOne(spec: WatchSpec, forced: boolean): Promise<RefreshOutcome> {
    let outcome: RefreshOutcome;
    try {
      const written = await this.deps.backend.refresh(spec, forced ? { timeoutMs: FORCED_TIMEOUT_MS } : {});
      this.deps.watches.wrote(spec.profile, written.accessKeyId);
      outcome = { ok: true, ...written };
    } catch (err) {
      const failure = err as { reason?: string; message?: string };
      const reason = failure.reason === 'throttled' || failure.reason === 'session-expired' || failure.reason === 'denied' ? failure.reason : 'other';
      outcome = { ok: false, reason, message: failure.message ?? String(err) };
    }
    this.deps.scheduler.refreshed(spec.profile, outcome, this.deps.now()).forEach(this.deps.emit);
    return outcome;
  }
}
