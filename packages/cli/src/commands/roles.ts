import { Flags } from '@oclif/core';
import { AnwbisCommand } from '../base.js';
import { anwbisHome, credentialsFilePath, describeStatus, listDelegatedRoles, roleStatuses, systemClock, type DelegatedRole, type RoleStatus } from '@anwbis/core';
import { cliRuntime } from '../runtime.js';
import { socketDaemonPort } from '../daemon-port.js';

export default class Roles extends AnwbisCommand {
  static override summary = 'List every delegated role your corp groups grant';
  static override description = `Reads your IAM groups and their Delegated_Roles policies (no MFA code needed: the corp
session corp-session-<profile> when it is valid, else your corp keys) and lists each role with
its profile name and status. The list is kept for an hour under ANWBIS_HOME; --refresh reads
it anew. A profile the running daemon keeps fresh is shown as watched. Exit codes: 0 ok, 3 no usable corp profile, 4 AWS denied a read or no group grants a
role, 6 other AWS errors.`;

  static override examples = ['anwbis roles', 'anwbis roles --profile corp --json', 'anwbis roles --refresh'];

  static override flags = {
    profile: Flags.string({ char: 'P', description: 'corp source profile (default: $AWS_PROFILE, else default)' }),
    region: Flags.string({ description: 'AWS region for the calls' }),
    json: Flags.boolean({ description: 'print one JSON array on stdout', default: false }),
    refresh: Flags.boolean({ description: 'read the groups from AWS even if the list is less than an hour old', default: false }),
    verbose: Flags.boolean({ char: 'v', description: 'show each AWS call and its duration (secrets redacted)', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Roles);
    const deps = cliRuntime({ verbose: flags.verbose });
    const list = await listDelegatedRoles(
      {
        ...(flags.profile ? { sourceProfile: flags.profile } : {}),
        ...(flags.region ? { region: flags.region } : {}),
        refresh: flags.refresh,
        onSource: (profile) => deps.say.verbose(`reading your groups with profile ${profile}`),
      },
      deps,
    );
    for (const problem of list.problems) deps.say.info(`[ WARN ] skipped: ${problem}`);
    const now = systemClock.now();
    if (list.fromCache) {
      const minutes = Math.floor((now.getTime() - list.fetchedAt.getTime()) / 60_000);
      deps.say.verbose(`roles of ${list.userName} from the list read ${minutes}m ago (--refresh reads them anew)`);
    }
    const [statuses, watched] = await Promise.all([roleStatuses(list.roles, anwbisHome(process.env), credentialsFilePath(process.env), now), daemonWatched(deps.say.verbose)]);
    const statusOf = (r: DelegatedRole): RoleStatus => {
      const status = statuses.get(r.roleArn) ?? { state: 'not-assumed', expiresAt: null };
      return watched ? { ...status, watched: r.profile !== null && watched.has(r.profile) } : status;
    };
    if (flags.json) {
      const out = list.roles.map((r) => {
        const s = statusOf(r);
        return { ...r, expiresAt: s.expiresAt?.toISOString() ?? null, status: s.state, watched: s.watched ?? null };
      });
      process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      return;
    }
    const header = ['PROJECT', 'ENV', 'ROLE', 'ACCOUNT', 'PROFILE', 'STATUS'];
    const rows = list.roles.map((r) => [r.project ?? '-', r.env ?? '-', r.role, r.account, r.profile ?? '-', describeStatus(statusOf(r), now)]);
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
    const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
    process.stdout.write(`${[header, ...rows].map(line).join('\n')}\n`);
  }
}

/** The profiles the daemon keeps fresh; undefined when none answers (the listing never fails for it). */
async function daemonWatched(verbose: (line: string) => void): Promise<ReadonlySet<string> | undefined> {
  const daemon = socketDaemonPort(process.env, { client: 'anwbis roles', timeoutMs: 3000 });
  try {
    return await daemon.watched();
  } catch (err) {
    verbose(`the daemon did not say which profiles it watches: ${(err as Error).message}`);
    return undefined;
  } finally {
    daemon.close();
  }
}
