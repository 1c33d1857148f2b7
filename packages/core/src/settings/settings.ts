import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'ini';
import { AnwbisError, shown } from '../errors/errors.js';
import { DEFAULT_PATTERNS, type NamingPatterns } from '../naming/patterns.js';
import { parseAssumeSection } from '../session-tags/session-tags.js';
import { DEFAULT_SETTINGS, type Settings } from './defaults.js';
import { KEY_BACKENDS, type KeyBackend } from '../keys/key-index.js';

export { DEFAULT_SETTINGS, type Settings };

const NAMING_KEYS = Object.keys(DEFAULT_PATTERNS) as Array<keyof NamingPatterns>;

/**
 * Parses the settings file (INI; anwbis owns it, so the `ini` package reads it):
 *
 * ```ini
 * [naming]
 * group = corp-{project}-master-{role}
 * policy = Delegated_Roles
 * role = {env}-{project}-delegated-{role}
 * profile = {project}-{env}-{role}
 * session = corp-session-{profile}
 *
 * [cache]
 * refresh_margin_seconds = 300
 *
 * [assume]
 * source_identity = auto
 * tags = team=data, cost=42
 * transitive_tags = team
 *
 * [keys]
 * backend = keychain
 * ```
 */
export function parseSettings(text: string, where: string): Settings {
  const data = parse(text) as Record<string, unknown>;
  const naming: Record<string, string> = { ...DEFAULT_PATTERNS };
  const section = data.naming;
  if (section !== undefined) {
    if (typeof section !== 'object' || section === null) throw bad(where, '[naming] is not a section');
    for (const [key, value] of Object.entries(section)) {
      if (!NAMING_KEYS.includes(key as keyof NamingPatterns)) throw bad(where, `unknown key ${shown(key)} in [naming]; known: ${NAMING_KEYS.join(', ')}`);
      if (typeof value !== 'string' || value.trim() === '') throw bad(where, `[naming] ${key} must be a non-empty pattern`);
      naming[key] = value.trim();
    }
  }
  let margin = DEFAULT_SETTINGS.refreshMarginSeconds;
  const cache = data.cache as Record<string, unknown> | undefined;
  const rawMargin = cache?.refresh_margin_seconds;
  if (rawMargin !== undefined) {
    if (typeof rawMargin !== 'string' || !/^\d+$/.test(rawMargin) || Number(rawMargin) > 3600) {
      throw bad(where, '[cache] refresh_margin_seconds must be a whole number from 0 to 3600');
    }
    margin = Number(rawMargin);
  }
  const assume = data.assume;
  if (assume !== undefined && (typeof assume !== 'object' || assume === null)) throw bad(where, '[assume] is not a section');
  let keysBackend = DEFAULT_SETTINGS.keysBackend;
  const backend = (data.keys as Record<string, unknown> | undefined)?.backend;
  if (backend !== undefined) {
    if (!KEY_BACKENDS.includes(backend as KeyBackend)) throw bad(where, `[keys] backend must be one of ${KEY_BACKENDS.join(', ')}`);
    keysBackend = backend as KeyBackend;
  }
  return {
    naming: naming as unknown as NamingPatterns,
    refreshMarginSeconds: margin,
    assume: assume === undefined ? DEFAULT_SETTINGS.assume : parseAssumeSection(assume as Record<string, unknown>, (why) => bad(where, why)),
    keysBackend,
  };
}

/** Reads `<home>/config`; defaults when it does not exist. */
export async function loadSettings(home: string): Promise<Settings> {
  const path = join(home, 'config');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    // No settings file, or no ANWBIS_HOME to hold one (a path through a regular file): the defaults.
    if (['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '')) return DEFAULT_SETTINGS;
    throw new AnwbisError('file', `cannot read ${path}: ${(err as Error).message}`);
  }
  return parseSettings(text, path);
}

function bad(where: string, why: string): AnwbisError {
  return new AnwbisError('config', `${where}: ${why}`, { next: 'fix the settings file (see "Configuration" in the README)' });
}
