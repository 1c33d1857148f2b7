import { readFile } from 'node:fs/promises';
import { parse } from 'ini';
import { AnwbisError, shown } from '../errors/errors.js';
import { DEFAULT_PATTERNS, type NamingPatterns } from '../naming/patterns.js';
import { parseAssumeSection } from '../session-tags/session-tags.js';
import { DEFAULT_SETTINGS, type Settings } from './defaults.js';
import { settingsFilePath } from '../cache/layout.js';
import { KEY_BACKENDS, type KeyBackend } from '../keys/key-index.js';

export { DEFAULT_SETTINGS, type Settings };

const NAMING_KEYS = Object.keys(DEFAULT_PATTERNS) as Array<keyof NamingPatterns>;

/**
 * Parses the settings file (its `[daemon]` section: {@link parseDaemonSettings}):
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
  const data = parseSettingsFile(text);
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

/** `[daemon]` in the settings file: read by the daemon alone, so a mistake there stops no other command. */
export interface DaemonSettings {
  /** Refresh when this little validity is left; undefined: the scheduler's default. */
  readonly refreshBeforeSeconds: number | undefined;
  /** Desktop notifications (notify-send, osascript) when one of them exists. */
  readonly notifications: boolean;
}

const DEFAULT_DAEMON_SETTINGS: DaemonSettings = { refreshBeforeSeconds: undefined, notifications: true };

/**
 * Parses the `[daemon]` section of the settings file (the daemon's; {@link parseSettings} reads the rest):
 *
 * ```ini
 * [daemon]
 * refresh_before_seconds = 600
 * notifications = false
 * ```
 */
export function parseDaemonSettings(text: string, where: string): DaemonSettings {
  const section = parseSettingsFile(text).daemon as Record<string, unknown> | undefined;
  const bad = (why: string) => new AnwbisError('config', `${where}: ${why}`, { next: 'fix the [daemon] section of the settings file' });
  let refreshBeforeSeconds: number | undefined;
  let notifications = DEFAULT_DAEMON_SETTINGS.notifications;
  for (const [key, value] of Object.entries(section ?? {})) {
    if (key === 'refresh_before_seconds') {
      if (typeof value !== 'string' || !/^\d+$/.test(value) || Number(value) < 1 || Number(value) > 43_200) {
        throw bad('[daemon] refresh_before_seconds must be a whole number of seconds from 1 to 43200');
      }
      refreshBeforeSeconds = Number(value);
    } else if (key === 'notifications') {
      if (value !== true && value !== false) throw bad('[daemon] notifications must be true or false');
      notifications = value;
    } else {
      throw bad(`unknown key ${JSON.stringify(key)} in [daemon]; known: refresh_before_seconds, notifications`);
    }
  }
  return { refreshBeforeSeconds, notifications };
}

/** The settings file as INI sections; anwbis owns it, so the `ini` package reads it. */
function parseSettingsFile(text: string): Record<string, unknown> {
  return parse(text) as Record<string, unknown>;
}

/** Reads `<home>/config`; defaults when it does not exist. */
export async function loadSettings(home: string): Promise<Settings> {
  const read = await readSettingsFile(home);
  return read ? parseSettings(read.text, read.path) : DEFAULT_SETTINGS;
}

/** Reads `[daemon]` from `<home>/config`; defaults when the file or the section is missing. */
export async function loadDaemonSettings(home: string): Promise<DaemonSettings> {
  const read = await readSettingsFile(home);
  return read ? parseDaemonSettings(read.text, read.path) : DEFAULT_DAEMON_SETTINGS;
}

async function readSettingsFile(home: string): Promise<{ text: string; path: string } | undefined> {
  const path = settingsFilePath(home);
  try {
    return { text: await readFile(path, 'utf8'), path };
  } catch (err) {
    // No settings file, or no ANWBIS_HOME to hold one (a path through a regular file): the defaults.
    if (['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw new AnwbisError('file', `cannot read ${path}: ${(err as Error).message}`);
  }
}

function bad(where: string, why: string): AnwbisError {
  return new AnwbisError('config', `${where}: ${why}`, { next: 'fix the settings file (see "Configuration" in the README)' });
}
