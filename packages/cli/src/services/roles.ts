import {
  anwbisHome,
  cellWidth,
  credentialsFilePath,
  describeStatus,
  fitCells,
  listDelegatedRoles,
  NAME_LIMITS,
  padCells,
  roleStatuses,
  sanitizeRemoteText,
  systemClock,
  type DelegatedRole,
  type RoleStatus,
} from '@anwbis/core';
import { socketDaemonPort } from './daemon-port.js';
import { writeJson } from '../output/json.js';
import { cliRuntime } from '../runtime/runtime.js';

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
    writeJson(out);
    return;
  }
  const rows = list.roles.map((r) => [r.project ?? '-', r.env ?? '-', r.role, r.account, r.profile ?? '-', describeStatus(statusOf(r), now)]);
  process.stdout.write(rolesTable(rows));
}

const TABLE_COLUMNS: ReadonlyArray<{ readonly title: string; readonly max: number }> = [
  { title: 'PROJECT', max: NAME_LIMITS.project },
  { title: 'ENV', max: NAME_LIMITS.environment },
  { title: 'ROLE', max: NAME_LIMITS['delegated role'] },
  { title: 'ACCOUNT', max: 12 },
  { title: 'PROFILE', max: NAME_LIMITS.profile },
  { title: 'STATUS', max: 40 },
];

/**
 * The listing as a person reads it. Names come from policies anyone with IAM rights may write:
 * each cell is escaped (a role name must not clear the screen or start a row of its own) and
 * cut to the longest name IAM accepts, so one absurd name neither pads every row nor hides
 * what follows it (`--json` has the exact names). Widths are in terminal cells.
 */
export function rolesTable(rows: ReadonlyArray<readonly string[]>): string {
  const cells = rows.map((row) => row.map(sanitizeRemoteText));
  const widths = TABLE_COLUMNS.map((c, i) => Math.min(c.max, Math.max(c.title.length, ...cells.map((row) => cellWidth(row[i]!)))));
  const line = (row: readonly string[]) => row.map((c, i) => (i === row.length - 1 ? fitCells(c, widths[i]!) : padCells(c, widths[i]!))).join('  ');
  return `${[TABLE_COLUMNS.map((c) => c.title), ...cells].map(line).join('\n')}\n`;
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
