/**
 * Starting the daemon in the background and waiting until it answers: `anwbis daemon start`,
 * and `anwbis exec --server` when no daemon runs yet.
 */
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnwbisError, anwbisHome, ensurePrivateDir, logsDir } from '@anwbis/core';
import { daemonLaunch, DaemonClient, DaemonNotRunning, tightenPrivateDir } from '@anwbis/daemon/client';
import { selfProgram } from '../runtime/self.js';

const START_TIMEOUT_MS = 30_000;

/** The daemon that answers, and whether this call started it. */
export interface DaemonRunning {
  readonly pid: number;
  readonly socket: string;
  /** False: it was running already (or another start won the race). */
  readonly started: boolean;
}

/**
 * Starts the daemon detached from this process unless one answers already, and returns once it
 * answers; its early failures (a refused directory, a broken config) come back in the error.
 * `client` names the caller in the daemon's hello.
 */
export async function ensureDaemonRunning(client: string): Promise<DaemonRunning> {
  const home = anwbisHome(process.env);
  // Without XDG_RUNTIME_DIR the socket is in ANWBIS_HOME, which the client checks before the
  // daemon could narrow a home a person made with mkdir.
  await ensurePrivateDir(home);
  tightenPrivateDir(home);
  const running = await answering(client);
  if (running) return { ...running, started: false };
  const logs = logsDir(home);
  mkdirSync(logs, { recursive: true, mode: 0o700 });
  const stderrFile = join(logs, 'daemon.stderr');
  const err = openSync(stderrFile, 'w', 0o600);
  const {
    argv: [command, ...args],
    environment,
  } = daemonLaunch(selfProgram(), process.env.NODE_OPTIONS);
  const child = spawn(command!, args, { detached: true, stdio: ['ignore', 'ignore', err], env: { ...process.env, ...environment } });
  closeSync(err);
  let exited: number | null | undefined;
  child.once('exit', (code) => (exited = code));
  const deadline = Date.now() + START_TIMEOUT_MS;
  let lastError: Error | undefined;
  for (;;) {
    // While it starts, a daemon that is slow to answer is not yet an error.
    const status = await answering(client).catch((e: Error) => void (lastError = e));
    if (status) {
      child.unref();
      return { ...status, started: true };
    }
    if (exited !== undefined || Date.now() > deadline) {
      const said = readFileSync(stderrFile, 'utf8').trim().split('\n').slice(-6).join('\n') || (lastError ? `the last try to reach it said: ${lastError.message}` : '');
      if (exited === undefined) child.kill('SIGTERM');
      // Two starts at once: the other one won, which is what was asked for.
      const other = /already running/.test(said) ? await answering(client).catch(() => undefined) : undefined;
      if (other) return { ...other, started: false };
      throw new AnwbisError('config', `the daemon did not start${exited !== undefined ? ` (exit status ${exited})` : ` within ${START_TIMEOUT_MS / 1000} s`}${said ? `:\n${said}` : ''}`, {
        next: `see ${join(logs, 'daemon.log')}, or run \`anwbis daemon run\` to watch it in the foreground`,
      });
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function answering(client: string): Promise<{ pid: number; socket: string } | undefined> {
  let connection: DaemonClient | undefined;
  try {
    connection = await DaemonClient.connect(process.env, { client, timeoutMs: 5000 });
    const { pid, socket } = await connection.status();
    return { pid, socket };
  } catch (err) {
    if (err instanceof DaemonNotRunning) return undefined;
    throw err;
  } finally {
    connection?.close();
  }
}
