import { Flags } from '@oclif/core';
import { AnwbisError } from '@anwbis/core';
import { DaemonClient, describeEvent, type StatusResult } from '@anwbis/daemon';
import { AnwbisCommand } from '../../base.js';
import { writeJson } from '../../output/json.js';
import { stderrSay } from '../../runtime/say.js';

/** The most `daemon refresh` waits; the daemon gives each AWS call of a refresh asked for 10 s. */
const DEADLINE_MS = 60_000;

export default class DaemonRefresh extends AnwbisCommand {
  static override summary = 'Refresh watched profiles now, past any back-off';
  static override description = `Asks the daemon to refresh every watched profile (or the one given with --target) at once
and prints each profile's outcome as it comes. Each AWS call gets 10 s; when STS cannot be
reached for one profile, the others of the same corp session report that outcome instead of
waiting too. A profile that failed shows retrying (or failed) with the time of its next try,
which the daemon keeps. Gives up waiting after ${DEADLINE_MS / 1000} s (the daemon carries on).`;
  static override examples = ['anwbis daemon refresh', 'anwbis daemon refresh --target datalab-dev-admin', 'anwbis daemon refresh --json'];

  static override flags = {
    target: Flags.string({ description: 'the watched profile to refresh (default: every watched profile)' }),
    json: Flags.boolean({ description: "print the refreshed profiles' status entries as JSON on stdout", default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(DaemonRefresh);
    const say = stderrSay(false);
    const client = await DaemonClient.connect(process.env, { client: 'anwbis daemon refresh', timeoutMs: DEADLINE_MS + 5_000 });
    let profiles: StatusResult['profiles'];
    let deadline: NodeJS.Timeout | undefined;
    try {
      await client.subscribe((event) => {
        if ((event.type === 'refreshed' || event.type === 'failed') && (flags.target === undefined || event.profile === flags.target)) say.info(describeEvent(event));
      });
      const timedOut = new Promise<'timeout'>((resolve) => (deadline = setTimeout(() => resolve('timeout'), DEADLINE_MS)));
      const answer = await Promise.race([client.refresh(flags.target), timedOut]);
      if (answer === 'timeout') {
        const waiting = (await client.status()).profiles.filter((p) => p.state === 'refreshing' && (flags.target === undefined || p.profile === flags.target));
        throw new AnwbisError('aws', `gave up waiting after ${DEADLINE_MS / 1000} s; the daemon is still refreshing ${waiting.map((p) => p.profile).join(', ') || 'them'}`, {
          next: 'see `anwbis daemon status` for the outcome',
        });
      }
      profiles = answer;
    } finally {
      clearTimeout(deadline);
      client.close();
    }
    if (flags.json) writeJson(profiles);
    const failed = profiles.filter((p) => p.state !== 'fresh');
    if (profiles.length === 0) return say.info('No profile is watched.');
    if (failed.length > 0) {
      throw new AnwbisError('aws', `${failed.length} of ${profiles.length} profiles were not refreshed: ${failed.map((p) => `${p.profile} (${p.state}${p.lastError ? `: ${p.lastError}` : ''})`).join('; ')}`, {
        next: 'the daemon tries them again at the time shown; see `anwbis daemon status`',
      });
    }
    say.ok(`Refreshed ${profiles.length} profile${profiles.length === 1 ? '' : 's'}`);
  }
}
