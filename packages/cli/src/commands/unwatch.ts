import { AnwbisCommand } from '../base.js';
import { anwbisHome, loadSettings, targetOf } from '@anwbis/core';
import { DaemonClient } from '@anwbis/daemon';
import { targetOrNameFlags } from '../flags/flags.js';
import { stderrSay } from '../runtime/say.js';
import { requestFromFlags } from '../flags/request.js';

export default class Unwatch extends AnwbisCommand {
  static override summary = 'Stop the daemon keeping a profile fresh (the profile stays until it expires)';
  static override examples = ['anwbis unwatch -p datalab -e dev -r admin', 'anwbis unwatch --target datalab-dev-admin'];

  static override flags = { ...targetOrNameFlags };

  async run(): Promise<void> {
    const { flags } = await this.parse(Unwatch);
    const request = requestFromFlags(flags);
    const profile = targetOf(request.target, (await loadSettings(anwbisHome(process.env))).naming).profileName;
    const client = await DaemonClient.connect(process.env, { client: 'anwbis unwatch' });
    try {
      const { removed } = await client.unwatch(profile);
      const say = stderrSay(false);
      if (removed) say.ok(`The daemon no longer refreshes ${profile}`);
      else say.info(`${profile} was not watched.`);
    } finally {
      client.close();
    }
  }
}
