import { join } from 'node:path';
import { anwbisHome, type Env } from '@anwbis/core';

/**
 * Where the daemon listens: `$XDG_RUNTIME_DIR/anwbis/daemon.sock` (a per-user tmpfs that the
 * system cleans at logout), else `ANWBIS_HOME/daemon.sock`.
 */
export function daemonSocketPath(env: Env): string {
  return env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'anwbis', 'daemon.sock') : join(anwbisHome(env), 'daemon.sock');
}
