import { Flags } from '@oclif/core';
import { AnwbisCommand } from '../base.js';
import { AnwbisError, anwbisHome, forgetRemembered, loadSettings, logout, targetRequestOf, type LogoutRequest } from '@anwbis/core';
import { DaemonClient } from '@anwbis/daemon';
import { stderrSay } from '../runtime/say.js';

const FOOTPRINT_WORDS = { credentials: 'credentials', config: 'config', cache: 'cached credentials', state: 'anwbis state' } as const;

export default class Logout extends AnwbisCommand {
  static override summary = 'Remove the profiles anwbis wrote: credentials, config, cache and state';
  static override description = `Removes what anwbis wrote for a delegated role (or, with --all, for every profile it wrote,
corp sessions included): its [section] in ~/.aws/credentials, its config section when it holds
only what anwbis put there, and its cache and state under ANWBIS_HOME; --all also forgets the
role lists, role lookups and picker history kept there. Every other byte of the AWS files
stays. A section anwbis did not write, or that was changed since, is left and named; lines you
added to its credentials section stay (only anwbis's keys go) and are named too.`;

  static override examples = ['anwbis logout -p datalab -e dev -r admin', 'anwbis logout --all'];

  static override flags = {
    project: Flags.string({ char: 'p', description: 'project name', exclusive: ['all', 'target'] }),
    env: Flags.string({ char: 'e', description: 'environment', exclusive: ['all', 'target'] }),
    role: Flags.string({ char: 'r', description: 'role name', exclusive: ['all', 'target'] }),
    contractor: Flags.string({ char: 'c', description: 'contractor name, with -r contractor', exclusive: ['all', 'target'] }),
    target: Flags.string({ description: 'the profile name <project>-<env>-<role> instead of -p/-e/-r', exclusive: ['all'] }),
    all: Flags.boolean({ description: 'every profile anwbis wrote, corp sessions included', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Logout);
    let request: LogoutRequest;
    if (flags.all) request = { all: true };
    else if (flags.target) request = { target: targetRequestOf({ name: flags.target }, (await loadSettings(anwbisHome(process.env))).naming) };
    else if (flags.project && flags.env && flags.role) {
      request = { target: { project: flags.project, env: flags.env, role: flags.role, ...(flags.contractor ? { contractor: flags.contractor } : {}) } };
    } else {
      throw new AnwbisError('usage', 'say which profile: -p PROJECT -e ENV -r ROLE, --target PROJECT-ENV-ROLE, or --all');
    }
    // A running daemon stops refreshing each profile before it is removed; none running, none watched.
    const daemon = await DaemonClient.connect(process.env, { client: 'anwbis logout' }).catch(() => undefined);
    let results: Awaited<ReturnType<typeof logout>>;
    try {
      results = await logout(request, { env: process.env, ...(daemon ? { unwatch: async (profile: string) => void (await daemon.unwatch(profile)) } : {}) });
    } finally {
      daemon?.close();
    }
    const forgot = flags.all && (await forgetRemembered(process.env));
    const reporter = stderrSay(false);
    if (results.length === 0 && !forgot) reporter.info('anwbis has written no profiles: nothing to remove.');
    for (const { profile, removed, kept } of results) {
      if (removed.length > 0) reporter.ok(`Logged out of ${profile}: removed its ${removed.map((r) => FOOTPRINT_WORDS[r]).join(', ')}`);
      else if (kept.length === 0) reporter.info(`anwbis wrote nothing for ${profile}: nothing to remove.`);
      for (const { why } of kept) reporter.info(`Left ${why}.`);
    }
    if (forgot) reporter.ok('Forgot the role lists, role lookups and picker history anwbis kept');
  }
}
