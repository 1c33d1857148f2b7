import { AnwbisCommand } from '../../base.js';
import { startDaemon } from '@anwbis/daemon';

export default class DaemonRun extends AnwbisCommand {
  static override summary = 'Run the daemon in the foreground (for service managers; see daemon start)';
  static override description = `Serves the daemon's socket and keeps watched profiles fresh until stopped (SIGTERM,
SIGINT, or anwbis daemon stop). Under systemd socket activation (LISTEN_PID is this
process) it serves the socket systemd passes as file descriptor 3.`;

  async run(): Promise<void> {
    await this.parse(DaemonRun);
    const activated = process.env.LISTEN_PID === String(process.pid) && Number(process.env.LISTEN_FDS ?? '0') >= 1;
    const daemon = await startDaemon({ env: process.env, version: this.config.version, ...(activated ? { listenFd: 3 } : {}) });
    const stop = () => void daemon.stop();
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
    process.stderr.write(`anwbis daemon ${this.config.version} serving ${daemon.socketPath} (pid ${process.pid})\n`);
    await daemon.stopped;
    process.off('SIGTERM', stop);
    process.off('SIGINT', stop);
  }
}
