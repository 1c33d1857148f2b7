import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Flags } from '@oclif/core';
import { AnwbisCommand } from '../../base.js';
import { AnwbisError, anwbisHome } from '@anwbis/core';
import { serviceFiles } from '@anwbis/daemon';
import { stderrSay } from '../../runtime/say.js';
import { selfProgram } from '../../runtime/self.js';

/** Settings that decide which files the daemon works on; the service manager's environment has none of them. */
const KEPT = /^(ANWBIS_HOME|AWS_SHARED_CREDENTIALS_FILE|AWS_CONFIG_FILE|AWS_ENDPOINT_URL(_STS|_IAM)?|AWS_REGION|AWS_DEFAULT_REGION|XDG_STATE_HOME)$/;

export default class DaemonInstall extends AnwbisCommand {
  static override summary = 'Run the daemon at login: a systemd user service (socket-activated) or a launchd agent';
  static override description = `Writes ~/.config/systemd/user/anwbis-daemon.{socket,service} (Linux) or
~/Library/LaunchAgents/dev.anwbis.daemon.plist (macOS) with absolute paths to this Node and
this anwbis (or to this single executable), then enables it. --no-enable only writes the files.`;

  static override examples = ['anwbis daemon install', 'anwbis daemon install --no-enable'];

  static override flags = {
    enable: Flags.boolean({ description: 'enable and start the service after writing it', default: true, allowNo: true }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(DaemonInstall);
    const reporter = stderrSay(false);
    const environment: Record<string, string> = { ANWBIS_HOME: anwbisHome(process.env) };
    for (const [k, v] of Object.entries(process.env)) if (KEPT.test(k) && v) environment[k] = v;
    const service = serviceFiles({
      platform: process.platform,
      program: selfProgram(),
      home: process.env.HOME ?? '',
      ...(process.env.XDG_CONFIG_HOME ? { configHome: process.env.XDG_CONFIG_HOME } : {}),
      environment,
    });
    for (const file of service.files) {
      mkdirSync(dirname(file.path), { recursive: true });
      writeFileSync(file.path, file.text, { mode: 0o644 });
      reporter.ok(`Wrote ${file.path}`);
    }
    const commands = service.enable.map((c) => c.join(' ')).join(' && ');
    if (!flags.enable) return reporter.info(`To start it: ${commands}`);
    for (const [command, ...args] of service.enable) {
      const res = spawnSync(command!, args, { stdio: ['ignore', 'inherit', 'inherit'] });
      if (res.status !== 0) {
        throw new AnwbisError('config', `${[command, ...args].join(' ')} failed${res.error ? `: ${res.error.message}` : ` (exit status ${res.status})`}`, {
          next: `the files are written; start it by hand: ${commands}`,
        });
      }
    }
    reporter.ok(`The daemon now starts with your ${service.manager === 'systemd' ? 'user session' : 'login'}`);
  }
}
