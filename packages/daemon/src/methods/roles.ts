/** `roles`: the roles `anwbis roles` lists, with what the daemon knows of each profile. */
import type { RolesResult } from '../protocol.js';
import { sharedWhileInFlight } from '../in-flight.js';
import type { MethodHandler } from '../server.js';
import type { DaemonParts } from './parts.js';

export function rolesMethod(d: DaemonParts): MethodHandler<'roles'> {
  const shared = sharedWhileInFlight<string, RolesResult>();
  // Equal requests at once (a batch of them, several clients) share one list in memory.
  return (params = {}) => shared(JSON.stringify([params.sourceProfile, params.refresh ?? false]), () => roles(d, params));
}

async function roles(d: DaemonParts, params: { sourceProfile?: string | undefined; refresh?: boolean | undefined }): Promise<RolesResult> {
  const { list, statuses } = await d.backend.roles({ ...(params.sourceProfile ? { sourceProfile: params.sourceProfile } : {}), refresh: params.refresh ?? false });
  const watched = new Map(d.scheduler.profiles().map((p) => [p.profile, p.state]));
  return {
    sourceProfile: list.sourceProfile,
    userName: list.userName,
    account: list.account,
    fetchedAt: list.fetchedAt.toISOString(),
    fromCache: list.fromCache,
    problems: list.problems,
    roles: list.roles.map((role) => {
      const status = statuses.get(role.roleArn);
      const watchState = role.profile === null ? undefined : watched.get(role.profile);
      return {
        ...role,
        status: status?.state ?? 'not-assumed',
        expiresAt: status?.expiresAt?.toISOString() ?? null,
        watched: watchState !== undefined,
        watchState: watchState ?? null,
      };
    }),
  };
}
