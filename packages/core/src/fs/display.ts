import { homedir } from 'node:os';
import { sep } from 'node:path';

/** `path` as the user would write it, for messages: the home directory shown as `~`. */
export function displayPath(path: string): string {
  const home = homedir();
  return path === home || path.startsWith(home + sep) ? `~${path.slice(home.length)}` : path;
}
