import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { profileRecordsDir, roleListsDir } from '../cache/layout.js';
import { isErrno } from '../fs/errno.js';
import { isValidName } from '../naming/validate.js';
import { anwbisHome, type Env } from '../paths/paths.js';

/** A delegated role offered when completing `-p`, `-e` and `-r`. */
export interface RoleCandidate {
  readonly project: string;
  readonly env: string;
  readonly role: string;
}

async function jsonFiles(dir: string): Promise<unknown[]> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  } catch (error) {
    if (isErrno(error, 'ENOENT', 'ENOTDIR')) return [];
    throw error;
  }
  const values = await Promise.all(
    names.map(async (name) => {
      try {
        return JSON.parse(await readFile(join(dir, name), 'utf8')) as unknown;
      } catch {
        // A file being rewritten or damaged only costs a few candidates.
        return undefined;
      }
    }),
  );
  return values.filter((v) => v !== undefined);
}

const isText = (v: unknown): v is string => typeof v === 'string' && v !== '';

/** Roles of the cached role lists: `roles/*.json` holding `{ version: 1, roles: [{ project, env, role }] }`. */
function fromRoleLists(lists: unknown[]): RoleCandidate[] {
  const out: RoleCandidate[] = [];
  for (const list of lists) {
    const l = list as { version?: unknown; roles?: unknown } | null;
    if (l?.version !== 1 || !Array.isArray(l.roles)) continue;
    for (const r of l.roles as Array<Record<string, unknown> | null>) {
      // A role name that does not parse is listed raw, as its policy has it (escape sequences
      // and all): a shell shows candidates on the terminal, so only names IAM accepts are offered.
      const name = (kind: 'project' | 'environment' | 'role', v: unknown): v is string => typeof v === 'string' && isValidName(kind, v);
      if (name('project', r?.project) && name('environment', r.env) && name('role', r.role)) out.push({ project: r.project, env: r.env, role: r.role });
    }
  }
  return out;
}

/** Roles of the profiles anwbis wrote (`profiles/<project>-<env>-<role>.json`, kind `assume`). */
function fromProfileRecords(records: unknown[]): RoleCandidate[] {
  const out: RoleCandidate[] = [];
  for (const record of records) {
    const { kind, profile } = (record ?? {}) as { kind?: unknown; profile?: unknown };
    if (kind !== 'assume' || !isText(profile)) continue;
    // Only a three-part name splits back unambiguously (as for --target).
    const parts = profile.split('-');
    if (parts.length === 3 && parts.every(isText)) out.push({ project: parts[0]!, env: parts[1]!, role: parts[2]! });
  }
  return out;
}

/**
 * The roles shell completion offers: the cached role lists under `ANWBIS_HOME/roles/`, and the
 * profiles anwbis wrote under `ANWBIS_HOME/profiles/`. Never calls AWS; `[]` when neither exists.
 */
export async function completionRoles(env: Env): Promise<RoleCandidate[]> {
  const home = anwbisHome(env);
  const [lists, records] = await Promise.all([jsonFiles(roleListsDir(home)), jsonFiles(profileRecordsDir(home))]);
  const seen = new Set<string>();
  return [...fromRoleLists(lists), ...fromProfileRecords(records)].filter((r) => {
    const key = `${r.project}\0${r.env}\0${r.role}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
