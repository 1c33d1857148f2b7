import { rmSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { Flags } from '@oclif/core';
import { AnwbisError, processRunning } from '@anwbis/core';
import { AnwbisCommand } from '../../base.js';
import { DaemonClient, DaemonNotRunning, daemonSocketPath, tokenPathFor } from '@anwbis/daemon';
import { stderrSay } from '../../runtime/say.js';

export default class DaemonStop extends AnwbisCommand {
  static override summary = 'Stop the daemon and remove its socket';
  static override description = `Waits until the daemon's process has exited. Refuses while programs run with credentials the
daemon keeps fresh (anwbis exec --server, and shells served by anwbis env --server), unless
--force: they would get an error for every call until a daemon runs again.`;
  static override examples = ['anwbis daemon stop', 'anwbis daemon stop --force'];
  static override flags = {
    force: Flags.boolean({ description: 'stop even while programs run with its credentials (anwbis exec --server, anwbis env --server)', default: false }),
    timeout: Flags.integer({ description: 'how many seconds to wait for the process to exit', default: 30, min: 1 }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(DaemonStop);
    const reporter = stderrSay(false);
    let client: DaemonClient;
    try {
      client = await DaemonClient.connect(process.env, { client: 'anwbis daemon stop' });
    } catch (err) {
      if (!(err instanceof DaemonNotRunning)) throw err;
      // A daemon killed with -9 leaves its socket behind: nothing listens, so it can go.
      const socket = daemonSocketPath(process.env);
      rmSync(socket, { force: true });
      rmSync(tokenPathFor(socket), { force: true });
      reporter.info('The anwbis daemon is not running.');
      return;
    }
    let pid: number;
    try {
      const status = await client.status();
      pid = status.pid;
      if (status.grants > 0 && !flags.force) {
        const programs = status.grants === 1 ? '1 program runs' : `${status.grants} programs run`;
        throw new AnwbisError('usage', `${programs} with credentials the daemon (pid ${pid}) keeps fresh (anwbis exec --server, anwbis env --server): it was not stopped`, {
          next: 'let them end first, or stop it anyway with `anwbis daemon stop --force` (their calls then fail until a daemon runs again)',
        });
      }
      await client.shutdown();
    } catch (err) {
      client.close();
      throw err;
    }
    // The daemon closes every connection only once its running refreshes are written.
    await client.closed();
    if (!(await exited(pid, flags.timeout * 1000))) {
      throw new AnwbisError('config', `the anwbis daemon (pid ${pid}) has closed its socket but its process has not exited within ${flags.timeout} s`, {
        next: `see whether it is still running with \`ps -p ${pid}\`; end it with \`kill ${pid}\``,
      });
    }
    reporter.ok(`The anwbis daemon (pid ${pid}) has stopped`);
  }
}

/** Whether process `pid` exits within `timeoutMs`. Polled: Node cannot wait for a process it did not start. */
async function exited(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (processRunning(pid)) {
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
  return true;
}
