import { readFileSync } from 'node:fs';

/**
 * Whether process `pid` exists and has not exited. A process that has exited but whose parent
 * has not reaped it (a zombie: a container's init may never reap) is not running, though
 * `kill(pid, 0)` still finds it. One of another user is running (EPERM).
 */
export function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH';
  }
  try {
    // "pid (comm) state …": comm may hold spaces and parentheses, the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat[stat.lastIndexOf(')') + 2] !== 'Z';
  } catch {
    // No /proc (macOS): kill's answer stands.
    return true;
  }
}
