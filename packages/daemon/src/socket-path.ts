import { lstatSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
// The fast entry: the credential-process fast path reaches the socket through this module.
import { anwbisHome } from '@anwbis/core/fast';

/**
 * Where the daemon listens: `$XDG_RUNTIME_DIR/anwbis/daemon.sock` (a per-user tmpfs that the
 * system cleans at logout), else `ANWBIS_HOME/daemon.sock`.
 */
export function daemonSocketPath(env: Readonly<Record<string, string | undefined>>): string {
  return env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'anwbis', 'daemon.sock') : join(anwbisHome(env), 'daemon.sock');
}

/** The token file beside a socket. */
export function tokenPathFor(socketPath: string): string {
  return join(dirname(socketPath), `${basename(socketPath, '.sock')}.token`);
}

/**
 * Why `dir` cannot hold the socket (a symbolic link, not a directory, another owner, group or
 * other bits), or undefined when it is a private directory of this user. Throws when it cannot
 * be read.
 */
export function privateDirProblem(dir: string): string | undefined {
  const info = lstatSync(dir);
  if (info.isSymbolicLink()) return 'it is a symbolic link';
  if (!info.isDirectory()) return 'it is not a directory';
  if (typeof process.getuid === 'function' && info.uid !== process.getuid()) return `it belongs to uid ${info.uid}, not to you`;
  if ((info.mode & 0o077) !== 0) return `its mode is ${(info.mode & 0o777).toString(8)}: others can reach the socket (it must be 700)`;
  return undefined;
}
