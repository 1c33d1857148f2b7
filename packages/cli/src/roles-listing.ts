import { anwbisHome, credentialsFilePath, describeStatus, listDelegatedRoles, roleStatuses, systemClock, type DelegatedRole, type RoleStatus } from '@anwbis/core';
import { socketDaemonPort } from './daemon-port.js';
import { cliRuntime } from './runtime.js';

/** `anwbis roles`, as parsed (by oclif, or by the fast path in `fast/roles.ts`). */
export interface RolesRequest {
  readonly profile?: string | undefined;
  readonly region?: string | undefined;
  readonly json: boolean;
  readonly refresh: boolean;
  readonly verbose: boolean;
}

/** Lists the delegated roles on stdout, as a table or (`--json`) one JSON array. */
export async function showRoles(request: RolesRequest): Promise<void> {
  const deps = cliRuntime({ verbose: request.verbose });
  const list = await listDelegatedRoles(
    {
      ...(request.profile ? { sourceProfile: request.profile } : {}),
      ...(request.region ? { region: request.region } : {}),
      refresh: request.refresh,
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
  if (request.json) {
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
