/** The daemon's `status`: its process, the corp session to act on first, and each watched profile. */
import type { StatusResult } from './protocol.js';
import type { Scheduler } from './scheduler.js';

export interface StatusDeps {
  readonly scheduler: Scheduler;
  readonly now: () => Date;
  readonly version: string;
  readonly socketPath: string;
  /** How many grants programs hold now. */
  grants(): number;
  /** The profile a source profile's corp session is written in, once read. */
  sessionName(source: string): string | undefined;
}

export class StatusReport {
  /**
   * toISOString was most of a status of hundreds of profiles, and their times change only when
   * one is refreshed: the strings of the last status are reused (and only those are kept).
   */
  private shownTimes = new Map<number, string>();

  constructor(private readonly deps: StatusDeps) {}

  status(): StatusResult {
    const { scheduler } = this.deps;
    const views = scheduler.sessionViews(this.deps.now());
    // One session in status: the one that ends first is the one a person must act on.
    const urgent = [...views].sort((a, b) => (a.expiresAt?.getTime() ?? 0) - (b.expiresAt?.getTime() ?? 0))[0];
    const last = this.shownTimes;
    const times = (this.shownTimes = new Map<number, string>());
    const iso = (d: Date | undefined) => {
      if (!d) return null;
      const text = last.get(d.getTime()) ?? d.toISOString();
      times.set(d.getTime(), text);
      return text;
    };
    return {
      pid: process.pid,
      version: this.deps.version,
      socket: this.deps.socketPath,
      grants: this.deps.grants(),
      session: urgent ? { profile: this.deps.sessionName(urgent.sourceProfile) ?? urgent.sourceProfile, state: urgent.state, expiresAt: iso(urgent.expiresAt) } : null,
      profiles: scheduler.profiles().map((p) => ({
        profile: p.profile,
        state: p.state,
        expiresAt: iso(p.expiresAt),
        lastRefreshAt: iso(p.lastRefreshAt),
        lastError: p.lastError ?? null,
      })),
    };
  }
}
