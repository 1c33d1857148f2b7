import { AnwbisCommand } from '../../base.js';
import { ensureDaemonRunning } from '../../services/daemon-start.js';
import { stderrSay } from '../../runtime/say.js';

export default class DaemonStart extends AnwbisCommand {
  static override summary = 'Start the daemon in the background; returns once it answers';
  static override examples = ['anwbis daemon start'];

  async run(): Promise<void> {
    await this.parse(DaemonStart);
    const daemon = await ensureDaemonRunning('anwbis daemon start');
    stderrSay(false).ok(`The anwbis daemon is ${daemon.started ? '' : 'already '}running (pid ${daemon.pid}, ${daemon.socket})`);
  }
}
