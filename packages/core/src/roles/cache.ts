import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { discoveryKey } from '../cache/state-store.js';
import { ensurePrivateDir, writeFileAtomic } from '../fs/atomic-write.js';
import type { NamingPatterns } from '../naming/patterns.js';
import type { DelegatedRole } from './delegated-role.js';

/** How long a fetched role list answers without asking AWS again. */
export const ROLE_LIST_MAX_AGE_MS = 60 * 60 * 1000;

/** A corp user's role list as fetched, kept under `ANWBIS_HOME/roles/` (no secrets in it). */
export interface RoleListRecord {
  readonly version: 1;
  readonly sourceProfile: string;
  readonly userName: string;
  readonly account: string;
  readonly fetchedAt: string;
  readonly roles: DelegatedRole[];
}

// zod's small build, imported by name: a dynamic import of the package would keep all of it in
// a bundle, its 50 locales included. The schema is built when a list is first read.
let schema: ReturnType<typeof buildSchema> | undefined;
const recordSchema = () => (schema ??= buildSchema());
function buildSchema() {
  const role = z.object({
    project: z.nullable(z.string()),
    env: z.nullable(z.string()),
    role: z.string(),
    account: z.string(),
    roleArn: z.string(),
    profile: z.nullable(z.string()),
    group: z.string(),
    policy: z.string(),
  });
  return z.object({
    version: z.literal(1),
    sourceProfile: z.string(),
    userName: z.string(),
    account: z.string(),
    fetchedAt: z.iso.datetime(),
    roles: z.array(role),
  });
}

/**
 * The cache file of a corp profile's role list. The naming patterns are part of the key: a list
 * read back under other patterns would name other profiles.
 */
export function roleListPath(home: string, sourceProfile: string, patterns: NamingPatterns): string {
  return join(home, 'roles', `${discoveryKey([sourceProfile, JSON.stringify(patterns)])}.json`);
}

/** The cached list, or undefined when there is none or it is not what anwbis writes (a miss, never a crash). */
export async function readRoleList(path: string): Promise<RoleListRecord | undefined> {
  try {
    const text = await readFile(path, 'utf8');
    const parsed = recordSchema().safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export async function writeRoleList(path: string, record: RoleListRecord): Promise<void> {
  await ensurePrivateDir(join(path, '..'));
  await writeFileAtomic(path, `${JSON.stringify(record)}\n`, { mode: 0o600 });
}
