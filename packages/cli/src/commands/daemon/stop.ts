import { rmSync } from 'node:fs';
import { AnwbisCommand } from '../../base.js';
import { DaemonClient, DaemonNotRunning, daemonSocketPath, tokenPathFor } from '@anwbis/daemon';
import { stderrSay } from '../../runtime.js';

export default class DaemonStop extends AnwbisCommand {
  static override summary = 'Stop the daemon and remove its socket';
  static override examples = ['anwbis daemon stop'];

  async run(): Promise<void> {
    await this.parse(DaemonStop);
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
    const { pid } = await client.status();
    await client.shutdown();
    // The daemon closes every connection only once its running refreshes are written.
    await client.closed();
    reporter.ok(`The anwbis daemon (pid ${pid}) has stopped`);
  }
}
