import { rm, stat } from 'node:fs/promises';
import { discoveryDir, roleListsDir } from '../cache/layout.js';
import { anwbisHome, type Env } from '../paths/paths.js';

/**
 * What anwbis remembers about the corp account apart from profiles, under `ANWBIS_HOME`: role
 * lookups (`discovery/`), and role lists with the picker's history (`roles/`, `used.json` in it).
 */
const REMEMBERED = [discoveryDir, roleListsDir] as const;

/**
 * Removes what anwbis remembers about the corp account's roles (`logout --all`), which no
 * profile owns. Settings, logs and the daemon's files stay.
 * @returns whether there was anything to remove.
 */
export async function forgetRemembered(env: Env): Promise<boolean> {
  const home = anwbisHome(env);
  let found = false;
  for (const dirOf of REMEMBERED) {
    const path = dirOf(home);
    if (await stat(path).then(() => true, () => false)) found = true;
    await rm(path, { recursive: true, force: true });
  }
  return found;
}
