import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnwbisCommand } from '../../base.js';
import { AnwbisError, anwbisHome } from '@anwbis/core';
import { daemonLaunch, DaemonClient, DaemonNotRunning } from '@anwbis/daemon';
import { stderrSay } from '../../runtime.js';
import { selfProgram } from '../../self.js';

const START_TIMEOUT_MS = 30_000;

export default class DaemonStart extends AnwbisCommand {
  static override summary = 'Start the daemon in the background; returns once it answers';
  static override examples = ['anwbis daemon start'];

  async run(): Promise<void> {
    await this.parse(DaemonStart);
    const reporter = stderrSay(false);
    const running = await answering();
    if (running) {
      reporter.ok(`The anwbis daemon is already running (pid ${running.pid}, ${running.socket})`);
      return;
    }
    const logs = join(anwbisHome(process.env), 'logs');
    mkdirSync(logs, { recursive: true, mode: 0o700 });
    // Its early failures (a refused directory, a broken config) are shown from here.
    const stderrFile = join(logs, 'daemon.stderr');
    const err = openSync(stderrFile, 'w', 0o600);
    const { argv: [command, ...args], environment } = daemonLaunch(selfProgram(), process.env.NODE_OPTIONS);
    const child = spawn(command, args, { detached: true, stdio: ['ignore', 'ignore', err], env: { ...process.env, ...environment } });
    closeSync(err);
    let exited: number | null | undefined;
    child.once('exit', (code) => (exited = code));
    const deadline = Date.now() + START_TIMEOUT_MS;
    let lastError: Error | undefined;
    for (;;) {
      // While it starts, a daemon that is slow to answer is not yet an error.
      const status = await answering().catch((err: Error) => void (lastError = err));
      if (status) {
        child.unref();
        reporter.ok(`The anwbis daemon is running (pid ${status.pid}, ${status.socket})`);
        return;
      }
      if (exited !== undefined || Date.now() > deadline) {
        const said = readFileSync(stderrFile, 'utf8').trim().split('\n').slice(-6).join('\n') || (lastError ? `the last try to reach it said: ${lastError.message}` : '');
        if (exited === undefined) child.kill('SIGTERM');
        // Two starts at once: the other one won, which is what was asked for.
        if (/already running/.test(said) && (await answering().catch(() => undefined))) return reporter.ok('The anwbis daemon is already running');
        throw new AnwbisError('config', `the daemon did not start${exited !== undefined ? ` (exit status ${exited})` : ` within ${START_TIMEOUT_MS / 1000} s`}${said ? `:\n${said}` : ''}`, {
          next: `see ${join(logs, 'daemon.log')}, or run \`anwbis daemon run\` to watch it in the foreground`,
        });
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

async function answering(): Promise<{ pid: number; socket: string } | undefined> {
  let client: DaemonClient | undefined;
  try {
    client = await DaemonClient.connect(process.env, { client: 'anwbis daemon start', timeoutMs: 5000 });
    const { pid, socket } = await client.status();
    return { pid, socket };
  } catch (err) {
    if (err instanceof DaemonNotRunning) return undefined;
    throw err;
  } finally {
    client?.close();
  }
}
