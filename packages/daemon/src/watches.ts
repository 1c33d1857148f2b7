/**
 * What the daemon watches and why, beyond the scheduler's clock: the key it wrote in each
 * section (so a different one is someone else's write), the profiles held only for programs'
 * grants, the watches a deleted section ended, and the watch list saved under ANWBIS_HOME.
 */
import type { DaemonBackend } from './backend.js';
import type { DaemonLog } from './log.js';
import type { Scheduler } from './scheduler.js';
import type { WatchSpec } from './watch-spec.js';
import type { WatchStore } from './watch-store.js';

export interface WatchesDeps {
  readonly home: string;
  readonly scheduler: Scheduler;
  readonly store: WatchStore;
  readonly backend: Pick<DaemonBackend, 'written'>;
  readonly log: DaemonLog;
}

export class Watches {
  /** The access key each watched profile's section holds from anwbis (this daemon or another anwbis). */
  private readonly ownKeys = new Map<string, string>();
  /**
   * Profiles watched only for `exec --server` grants (how many are live): never saved, and
   * unwatched when their last grant ends.
   */
  private readonly grantOnly = new Map<string, number>();
  /** Watches ended because their section was deleted: a section back with the key anwbis wrote is watched again. */
  private readonly deleted = new Map<string, { spec: WatchSpec; accessKeyId: string }>();
  /** Grants held by programs, of any profile. */
  private held = 0;

  constructor(private readonly deps: WatchesDeps) {}

  /** How many grants programs hold now. */
  get grants(): number {
    return this.held;
  }

  /** Watches what the saved list holds; how many. */
  async load(): Promise<number> {
    const loaded = await this.deps.store.load();
    if (loaded.problem) this.deps.log.warn(loaded.problem);
    for (const spec of loaded.watches) await this.add(spec);
    return loaded.watches.length;
  }

  /** Watches a profile, its next refresh due by what its section holds now. */
  async add(spec: WatchSpec): Promise<void> {
    const written = await this.deps.backend.written(spec.profile);
    if (written.accessKeyId) this.ownKeys.set(spec.profile, written.accessKeyId);
    this.deps.scheduler.watch(spec, written.expiresAt ? { expiresAt: written.expiresAt } : undefined);
  }

  /** Saves the watch list, but for the profiles held only for grants. */
  async save(): Promise<void> {
    const specs = this.deps.scheduler.specs().filter((spec) => !this.grantOnly.has(spec.profile));
    if (!(await this.deps.store.save(specs))) this.deps.log.warn(`${this.deps.home} was deleted: the watch list is not saved`);
  }

  /** A person's watch of a profile: it outlasts the grants that may hold it, and a deleted section's end of it. */
  claim(profile: string): void {
    this.grantOnly.delete(profile);
    this.deleted.delete(profile);
  }

  /** Stops watching a profile a person asked to; whether it was watched. */
  async remove(profile: string): Promise<boolean> {
    const removed = this.deps.scheduler.unwatch(profile);
    this.ownKeys.delete(profile);
    this.claim(profile);
    if (removed) {
      await this.save();
      this.deps.log.info(`stopped watching ${profile}`);
    }
    return removed;
  }

  /** Marks a profile about to be watched for a grant alone (nobody watches it yet). */
  forGrantOnly(profile: string): void {
    this.grantOnly.set(profile, 0);
  }

  /** Counts a grant of a profile; the function that ends it (safe to call twice). */
  grant(profile: string): () => void {
    this.held++;
    const count = this.grantOnly.get(profile);
    if (count !== undefined) this.grantOnly.set(profile, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held--;
      const left = this.grantOnly.get(profile);
      if (left === undefined) return;
      if (left > 1) return void this.grantOnly.set(profile, left - 1);
      this.grantOnly.delete(profile);
      this.deps.scheduler.unwatch(profile);
      this.ownKeys.delete(profile);
      this.deps.log.info(`stopped watching ${profile}: the last program it was granted to has ended`);
    };
  }

  /** The key anwbis wrote in a profile's section, as far as the daemon knows. */
  ownKey(profile: string): string | undefined {
    return this.ownKeys.get(profile);
  }

  /** Whether anwbis wrote the profile's section (a missing one was then deleted, not yet to be written). */
  hasOwnKey(profile: string): boolean {
    return this.ownKeys.has(profile);
  }

  /** Records the key anwbis (this daemon or another) wrote in a profile's section. */
  wrote(profile: string, accessKeyId: string): void {
    this.ownKeys.set(profile, accessKeyId);
  }

  /** Ends the watch of a profile whose section a person deleted; its spec is kept for {@link restoreDeleted}. */
  sectionDeleted(spec: WatchSpec): void {
    this.deleted.set(spec.profile, { spec, accessKeyId: this.ownKeys.get(spec.profile)! });
    this.deps.scheduler.unwatch(spec.profile);
    this.ownKeys.delete(spec.profile);
  }

  /** Profiles whose watch a deleted section ended. */
  deletedProfiles(): string[] {
    return [...this.deleted.keys()];
  }

  /** Watches again each profile whose section is back with the key anwbis wrote; those profiles. */
  async restoreDeleted(keys: ReadonlyMap<string, string | undefined>): Promise<string[]> {
    const restored: string[] = [];
    for (const [profile, { spec, accessKeyId }] of this.deleted) {
      if (keys.get(profile) !== accessKeyId) continue;
      this.deleted.delete(profile);
      const written = await this.deps.backend.written(profile);
      this.ownKeys.set(profile, accessKeyId);
      this.deps.scheduler.watch(spec, written.expiresAt ? { expiresAt: written.expiresAt } : undefined);
      restored.push(profile);
    }
    return restored;
  }
}
