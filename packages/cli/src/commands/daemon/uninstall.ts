import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { AnwbisCommand } from '../../base.js';
import { serviceFiles } from '@anwbis/daemon';
import { stderrSay } from '../../runtime/say.js';
import { selfProgram } from '../../runtime/self.js';


export default class DaemonUninstall extends AnwbisCommand {
  static override summary = 'Remove the service that runs the daemon at login (see daemon install)';
  static override examples = ['anwbis daemon uninstall'];

  async run(): Promise<void> {
    await this.parse(DaemonUninstall);
    const reporter = stderrSay(false);
    const service = serviceFiles({
      platform: process.platform,
      program: selfProgram(),
      home: process.env.HOME ?? '',
      ...(process.env.XDG_CONFIG_HOME ? { configHome: process.env.XDG_CONFIG_HOME } : {}),
      environment: {},
    });
    // Best effort: the service may never have been enabled.
    for (const [command, ...args] of service.disable) spawnSync(command!, args, { stdio: 'ignore' });
    for (const file of service.files) {
      rmSync(file.path, { force: true });
      reporter.ok(`Removed ${file.path}`);
    }
  }
}
