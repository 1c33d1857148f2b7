import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { roleListsDir } from '../cache/layout.js';
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

const isText = (v: unknown): v is string => typeof v === 'string';
const isTextOrNull = (v: unknown): v is string | null => v === null || typeof v === 'string';
/** An ISO 8601 UTC time as `Date.prototype.toISOString` writes it. */
const isIsoTime = (v: unknown): v is string => typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(v) && !Number.isNaN(Date.parse(v));

function roleOf(value: unknown): DelegatedRole | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { project, env, role, account, roleArn, profile, group, policy } = value as Record<string, unknown>;
  if (!isTextOrNull(project) || !isTextOrNull(env) || !isText(role) || !isText(account) || !isText(roleArn) || !isTextOrNull(profile) || !isText(group) || !isText(policy)) return undefined;
  return { project, env, role, account, roleArn, profile, group, policy };
}

/**
 * The record in `value`, with only the fields anwbis writes, or undefined when it is not one.
 * Checked by hand rather than with a schema library: the picker's first frame waits for it, and
 * a list of hundreds of roles took a schema 6-12 ms.
 */
export function roleListRecordOf(value: unknown): RoleListRecord | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const { version, sourceProfile, userName, account, fetchedAt, roles } = value as Record<string, unknown>;
  if (version !== 1 || !isText(sourceProfile) || !isText(userName) || !isText(account) || !isIsoTime(fetchedAt) || !Array.isArray(roles)) return undefined;
  const read: DelegatedRole[] = [];
  for (const r of roles) {
    const role = roleOf(r);
    if (!role) return undefined;
    read.push(role);
  }
  return { version, sourceProfile, userName, account, fetchedAt, roles: read };
}

/**
 * The cache file of a corp profile's role list. The naming patterns are part of the key: a list
 * read back under other patterns would name other profiles.
 */
export function roleListPath(home: string, sourceProfile: string, patterns: NamingPatterns): string {
  return join(roleListsDir(home), `${discoveryKey([sourceProfile, JSON.stringify(patterns)])}.json`);
}

/** The cached list, or undefined when there is none or it is not what anwbis writes (a miss, never a crash). */
export async function readRoleList(path: string): Promise<RoleListRecord | undefined> {
  try {
    return roleListRecordOf(JSON.parse(await readFile(path, 'utf8')));
  } catch {
    return undefined;
  }
}

export async function writeRoleList(path: string, record: RoleListRecord): Promise<void> {
  await ensurePrivateDir(join(path, '..'));
  await writeFileAtomic(path, `${JSON.stringify(record)}\n`, { mode: 0o600 });
}
