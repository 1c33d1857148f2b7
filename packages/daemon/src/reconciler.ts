/**
 * Follows the AWS files: after a change, reads them again for a renewed corp session, a watched
 * section a person deleted (or put back), and a profile another anwbis wrote.
 */
import { basename, dirname } from 'node:path';
import { watch as watchFiles, type FSWatcher } from 'chokidar';
import type { DaemonBackend } from './backend.js';
import type { DaemonLog } from './log.js';
import type { Refresher } from './refresher.js';
import type { DaemonEvent, Scheduler } from './scheduler.js';
import type { Watches } from './watches.js';

/** Editors and anwbis's own writer touch a file several times per save. */
const FILE_SETTLE_MS = 150;
/**
 * An editor that saves in place truncates the file and writes it again, with a pause between
 * that can be far longer than {@link FILE_SETTLE_MS}: a section missing on one read is only
 * taken for deleted when a read this much later still misses it.
 */
export const SECTION_SETTLE_MS = 5_000;

export interface ReconcilerDeps {
  readonly scheduler: Scheduler;
  readonly backend: DaemonBackend;
  readonly watches: Watches;
  readonly refresher: Refresher;
  readonly emit: (event: DaemonEvent) => void;
  readonly log: DaemonLog;
  readonly sectionSettleMs: number;
}

export class Reconciler {
  /** Watched sections missing from the credentials file, and since when (monotonic ms). */
  private readonly missing = new Map<string, number>();
  /** The read that decides whether a missing section was deleted. */
  private recheck: NodeJS.Timeout | undefined;
  /** The read after a burst of changes to the files. */
  private settle: NodeJS.Timeout | undefined;
  private watcher: FSWatcher | undefined;

  constructor(private readonly deps: ReconcilerDeps) {}

  /** Reconciles a moment after the AWS files change, from now on. */
  watchFiles(): void {
    const files = new Set([this.deps.backend.files.credentials, this.deps.backend.files.config]);
    const dirs = new Set([...files].map((f) => dirname(f)));
    const isAwsFile = (path: string) => files.has(path) || [...files].some((f) => basename(f) === basename(path) && dirname(f) === dirname(path));
    // Every write leaves a temporary file and a lock directory beside the AWS files; chokidar
    // would look at each of them (lstat, realpath) hundreds of times in a burst of refreshes.
    const watcher = watchFiles([...dirs], { depth: 0, ignoreInitial: true, ignored: (path: string) => !dirs.has(path) && !isAwsFile(path) });
    watcher.on('all', (_event, path) => {
      if (!isAwsFile(path)) return;
      clearTimeout(this.settle);
      this.settle = setTimeout(() => void this.reconcile().catch((err: Error) => this.deps.log.warn(`re-reading the AWS files: ${err.message}`)), FILE_SETTLE_MS);
    });
    watcher.on('error', (err) => this.deps.log.warn(`watching the AWS files: ${(err as Error).message}`));
    this.watcher = watcher;
  }

  /** Stops watching the files; no read is started any more. */
  async stop(): Promise<void> {
    clearTimeout(this.settle);
    clearTimeout(this.recheck);
    await this.watcher?.close();
    this.watcher = undefined;
  }

  /** Reads the AWS files again after a change: a renewed session, a deleted section, someone else's write. */
  async reconcile(): Promise<void> {
    const { scheduler, backend, watches, refresher, log, sectionSettleMs } = this.deps;
    for (const source of scheduler.sourceProfiles()) await refresher.readSession(source);
    let changed = false;
    const specs = scheduler.specs();
    for (const profile of this.missing.keys()) if (!scheduler.spec(profile)) this.missing.delete(profile);
    const keys = await backend.keys([...specs.map((s) => s.profile), ...watches.deletedProfiles()]);
    const file = backend.files.credentials;
    // A file with no section at all is one being written (or replaced), not a person's deletion
    // of every watched section; refreshes write the sections again.
    if (keys === undefined) {
      if (specs.some((spec) => watches.hasOwnKey(spec.profile))) log.warn(`${file} holds no section now: every watch is kept`);
      return void (await refresher.tick());
    }
    const t = performance.now();
    for (const spec of specs) {
      const key = keys.get(spec.profile);
      if (key === undefined) {
        // Only a section that was there is one the person deleted; a new watch may not be written yet.
        if (!watches.hasOwnKey(spec.profile)) continue;
        const since = this.missing.get(spec.profile);
        if (since === undefined) {
          this.missing.set(spec.profile, t);
          log.info(`${spec.profile}: its section is missing from ${file}; it is no longer watched if still missing in ${sectionSettleMs / 1000} s`);
        } else if (t - since >= sectionSettleMs) {
          this.missing.delete(spec.profile);
          watches.sectionDeleted(spec);
          changed = true;
          this.deps.emit({ type: 'unwatched', profile: spec.profile, reason: `its section was removed from ${file}` });
        }
        continue;
      }
      if (this.missing.delete(spec.profile)) log.info(`${spec.profile}: its section is back in ${file}; still watched`);
      // The daemon's own writes end here: the key is the one it wrote.
      if (key === watches.ownKey(spec.profile)) continue;
      const written = await backend.written(spec.profile);
      if (written.expiresAt) {
        watches.wrote(spec.profile, written.accessKeyId!);
        scheduler.writtenElsewhere(spec.profile, written.expiresAt);
        log.info(`${spec.profile} was written by another anwbis; next refresh follows its expiry ${written.expiresAt.toISOString()}`);
      }
    }
    for (const profile of await watches.restoreDeleted(keys)) {
      changed = true;
      log.info(`watching ${profile} again: its section is back in ${file}`);
    }
    if (changed) await watches.save();
    clearTimeout(this.recheck);
    // The read that decides: once the first missing section has been missing long enough.
    if (this.missing.size > 0) {
      const wait = Math.max(0, Math.min(...this.missing.values()) + sectionSettleMs - performance.now());
      this.recheck = setTimeout(() => void this.reconcile().catch((err: Error) => log.warn(`re-reading the AWS files: ${err.message}`)), wait);
    }
    await refresher.tick();
  }
}
