import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { ensurePrivateDir, writeFileAtomic } from '../fs/atomic-write.js';
import { roleHistoryPath } from '../cache/layout.js';

/** How often and how lately a role was picked. */
export interface RoleUse {
  readonly count: number;
  readonly lastUsed: string;
}

// Imported by name: a dynamic import of zod would keep all of it in a bundle, locales included.
// This module is @anwbis/core/history, not in the index: through the index, zod would be
// reachable from every bundle of core, and a bundler puts what another chunk keeps alive of it
// (the daemon client's zod) in the chunk every assume loads.
let schema: ReturnType<typeof buildSchema> | undefined;
const historySchema = () => (schema ??= buildSchema());
function buildSchema() {
  return z.object({
    version: z.literal(1),
    uses: z.record(z.string(), z.object({ count: z.int().check(z.positive()), lastUsed: z.iso.datetime() })),
  });
}

const HOUR = 3_600_000;

/**
 * Frecency of a role: how often it was used, weighted by how lately (the weights of Firefox's
 * address bar, coarsened), so a role used daily outranks one used often last year.
 */
export function frecencyScore(use: RoleUse, now: Date): number {
  const age = now.getTime() - new Date(use.lastUsed).getTime();
  const weight = age < 4 * HOUR ? 100 : age < 24 * HOUR ? 70 : age < 7 * 24 * HOUR ? 50 : age < 30 * 24 * HOUR ? 30 : 10;
  return use.count * weight;
}

/** The picker's record of used roles, by role ARN, under `ANWBIS_HOME/roles/used.json`. */
export class RoleHistory {
  private readonly path: string;

  constructor(home: string) {
    this.path = roleHistoryPath(home);
  }

  /** The uses recorded; a missing or invalid file is no history. */
  async read(): Promise<Map<string, RoleUse>> {
    try {
      const text = await readFile(this.path, 'utf8');
      const parsed = historySchema().safeParse(JSON.parse(text));
      return new Map(parsed.success ? Object.entries(parsed.data.uses) : []);
    } catch {
      return new Map();
    }
  }

  /** Counts one use of a role now. */
  async record(roleArn: string, now: Date): Promise<Map<string, RoleUse>> {
    const uses = await this.read();
    uses.set(roleArn, { count: (uses.get(roleArn)?.count ?? 0) + 1, lastUsed: now.toISOString() });
    await ensurePrivateDir(join(this.path, '..'));
    await writeFileAtomic(this.path, `${JSON.stringify({ version: 1, uses: Object.fromEntries(uses) })}\n`, { mode: 0o600 });
    return uses;
  }
}
