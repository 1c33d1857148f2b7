import { readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { daemonWatchesPath, ensurePrivateDir, writeFileAtomic } from '@anwbis/core';
import { watchSpecSchema, type WatchSpec } from './watch-spec.js';

const fileSchema = z.object({ version: z.literal(1), watches: z.array(watchSpecSchema) }).strict();

/**
 * The watch list, `ANWBIS_HOME/daemon/watches.json`: replaced atomically on every change, so a
 * kill -9 at any moment leaves the old list or the new one.
 */
export class WatchStore {
  readonly path: string;

  constructor(private readonly home: string) {
    this.path = daemonWatchesPath(home);
  }

  /**
   * The saved list; empty when there is none. A file that fails validation is moved aside
   * (`watches.json.invalid`) and reported, so the daemon starts rather than crash-looping.
   */
  async load(): Promise<{ watches: WatchSpec[]; problem?: string }> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { watches: [] };
      throw err;
    }
    let parsed: ReturnType<typeof fileSchema.safeParse>;
    try {
      parsed = fileSchema.safeParse(JSON.parse(text));
    } catch (err) {
      return this.setAside(`not JSON (${(err as Error).message})`);
    }
    if (!parsed.success) return this.setAside(z.prettifyError(parsed.error).replace(/\n/g, '; '));
    return { watches: parsed.data.watches };
  }

  /**
   * Replaces the saved list. An `ANWBIS_HOME` that was deleted is not made again (false): its
   * owner removed anwbis's state, and the profiles it watched went with the AWS files, as when
   * a test removes its whole sandbox while the daemon still runs.
   */
  async save(watches: readonly WatchSpec[]): Promise<boolean> {
    try {
      await stat(this.home);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
    await ensurePrivateDir(join(this.path, '..'));
    await writeFileAtomic(this.path, `${JSON.stringify({ version: 1, watches }, null, 2)}\n`, { mode: 0o600 });
    return true;
  }

  private async setAside(why: string): Promise<{ watches: WatchSpec[]; problem: string }> {
    await rename(this.path, `${this.path}.invalid`);
    return { watches: [], problem: `${this.path} was invalid and is kept as ${this.path}.invalid: ${why}` };
  }
}
