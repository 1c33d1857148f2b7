import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Sandbox } from '@anwbis/tools/emulator';

/** Every file under a sandbox with its bytes and mode, to prove a failed run changed nothing. */
export function snapshot(sandbox: Sandbox): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out[path.slice(sandbox.dir.length)] = `${(statSync(path).mode & 0o777).toString(8)} ${readFileSync(path).toString('base64')}`;
    }
  };
  walk(sandbox.dir);
  return out;
}

/** File mode bits of a path, as an octal string. */
export function modeOf(path: string): string {
  return (statSync(path).mode & 0o777).toString(8);
}
