import { Flags } from '@oclif/core';
import { AnwbisCommand } from '../../base.js';
import { writeJson } from '../../output/json.js';
import { sanitizeRemoteText } from '@anwbis/core';
import { DaemonClient, type StatusResult } from '@anwbis/daemon';

export default class DaemonStatus extends AnwbisCommand {
  static override summary = "Show the daemon's corp session and watched profiles";
  static override examples = ['anwbis daemon status', 'anwbis daemon status --json'];

  static override flags = {
    json: Flags.boolean({ description: 'print the status as one JSON object on stdout', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(DaemonStatus);
    const client = await DaemonClient.connect(process.env, { client: 'anwbis daemon status' });
    let status: StatusResult;
    try {
      status = await client.status();
    } finally {
      client.close();
    }
    if (flags.json) writeJson(status);
    else process.stdout.write(table(status));
  }
}

function table(status: StatusResult): string {
  const lines = [`daemon ${status.version}, pid ${status.pid}, ${status.socket}`];
  lines.push(status.session ? `corp session ${status.session.profile}: ${status.session.state}${status.session.expiresAt ? ` until ${status.session.expiresAt}` : ''}` : 'no corp session in use');
  if (status.grants > 0) lines.push(`${status.grants === 1 ? '1 program runs' : `${status.grants} programs run`} with credentials it keeps fresh (anwbis exec --server, anwbis env --server)`);
  if (status.profiles.length === 0) lines.push('no watched profiles (anwbis watch -p … -e … -r …)');
  const width = Math.max(7, ...status.profiles.map((p) => p.profile.length));
  if (status.profiles.length > 0) lines.push(`${'PROFILE'.padEnd(width)}  ${'STATE'.padEnd(10)}  EXPIRES                   LAST ERROR`);
  for (const p of status.profiles) lines.push(`${p.profile.padEnd(width)}  ${p.state.padEnd(10)}  ${(p.expiresAt ?? '-').padEnd(24)}  ${p.lastError ?? ''}`.trimEnd());
  // A last error quotes AWS: shown escaped, one line per profile.
  return `${lines.map(sanitizeRemoteText).join('\n')}\n`;
}
