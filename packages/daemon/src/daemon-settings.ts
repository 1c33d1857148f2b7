import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'ini';
import { AnwbisError } from '@anwbis/core';

/** `[daemon]` in `ANWBIS_HOME/config`. */
export interface DaemonSettings {
  /** Refresh when this little validity is left; undefined: the scheduler's default. */
  readonly refreshBeforeSeconds: number | undefined;
  /** Desktop notifications (notify-send, osascript) when one of them exists. */
  readonly notifications: boolean;
}

/**
 * Parses the `[daemon]` section of the settings file (core reads the rest):
 *
 * ```ini
 * [daemon]
 * refresh_before_seconds = 600
 * notifications = false
 * ```
 */
export function parseDaemonSettings(text: string, where: string): DaemonSettings {
  const section = (parse(text) as Record<string, unknown>).daemon as Record<string, unknown> | undefined;
  const bad = (why: string) => new AnwbisError('config', `${where}: ${why}`, { next: 'fix the [daemon] section of the settings file' });
  let refreshBeforeSeconds: number | undefined;
  let notifications = true;
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

/** Reads `[daemon]` from `<home>/config`; defaults when the file or the section is missing. */
export async function loadDaemonSettings(home: string): Promise<DaemonSettings> {
  const path = join(home, 'config');
  try {
    return parseDaemonSettings(await readFile(path, 'utf8'), path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { refreshBeforeSeconds: undefined, notifications: true };
    throw err;
  }
}
