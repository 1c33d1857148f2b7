import { readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ensurePrivateDir, writeFileAtomic } from '@anwbis/core';
import { watchSpecSchema, type WatchSpec } from './watch-spec.js';

const fileSchema = z.object({ version: z.literal(1), watches: z.array(watchSpecSchema) }).strict();

/**
 * The watch list, `ANWBIS_HOME/daemon/watches.json`: replaced atomically on every change, so a
 * kill -9 at any moment leaves the old list or the new one.
 */
export class WatchStore {
  readonly path: string;

  constructor(home: string) {
    this.path = join(home, 'daemon', 'watches.json');
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

  async save(watches: readonly WatchSpec[]): Promise<void> {
    await ensurePrivateDir(join(this.path, '..'));
    await writeFileAtomic(this.path, `${JSON.stringify({ version: 1, watches }, null, 2)}\n`, { mode: 0o600 });
  }

  private async setAside(why: string): Promise<{ watches: WatchSpec[]; problem: string }> {
    await rename(this.path, `${this.path}.invalid`);
    return { watches: [], problem: `${this.path} was invalid and is kept as ${this.path}.invalid: ${why}` };
  }
}
