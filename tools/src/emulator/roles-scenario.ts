import { CORP_ACCOUNT, corpTrust, delegatedRolesPolicy, type AccountSpec, type GroupSpec, type RoleSpec, type Scenario } from './scenario.js';

export interface ManyGroupsOptions {
  /** The corp IAM user, in every group. */
  readonly user: string;
  /** How many groups the user is in, all kinds together (at least 8). */
  readonly groups: number;
  /** Environments of project `bulk` (`e00`, `e01`, …), one account each (default 10). */
  readonly bulkEnvs?: number;
}

/** The account of environment `e<NN>` of project `bulk`. */
export const bulkAccount = (env: number): string => `30000000${String(env).padStart(4, '0')}`;

/** The account of the filler projects `team<NN>`, `dev` and `pro`. */
export const TEAM_ACCOUNTS = { dev: '400000000001', pro: '400000000002' } as const;

/** The account of the role outside the naming convention. */
export const LEGACY_ACCOUNT = '500000000001';

/**
 * A corp user in many groups, of every kind `anwbis roles` meets: `corp-bulk-master-admin`
 * granting `e<NN>-bulk-delegated-admin` in one account per environment; contractor groups
 * `corp-bulk-master-contractor-<name>`; a group outside the convention (`platform-admins`)
 * granting a role outside it (`LegacyAdmin`) and one that follows it; a group without any
 * policy (`corp-everyone`) and one whose policy has another name (`corp-auditors`); the rest
 * `corp-team<NN>-master-<admin|devops>` with a dev and a pro role each.
 */
export function manyGroupsScenario(options: ManyGroupsOptions): Scenario {
  if (options.groups < 8) throw new Error('manyGroupsScenario: at least 8 groups');
  const corp = CORP_ACCOUNT;
  const roles = new Map<string, RoleSpec[]>();
  const addRole = (account: string, name: string, externalId?: string) => {
    roles.set(account, [...(roles.get(account) ?? []), { name, trust: corpTrust(corp, externalId) }]);
    return `arn:aws:iam::${account}:role/${name}`;
  };
  const groups: GroupSpec[] = [];
  const envs = options.bulkEnvs ?? 10;
  const bulk = Array.from({ length: envs }, (_, i) => addRole(bulkAccount(i), `e${String(i).padStart(2, '0')}-bulk-delegated-admin`));
  groups.push({ name: 'corp-bulk-master-admin', policies: { Delegated_Roles: delegatedRolesPolicy(bulk) } });
  for (const name of ['acme', 'zeta']) {
    const arn = addRole(bulkAccount(0), `e00-bulk-delegated-contractor-${name}`, `${name}-external-id`);
    groups.push({ name: `corp-bulk-master-contractor-${name}`, policies: { Delegated_Roles: delegatedRolesPolicy([arn]) } });
  }
  const legacy = addRole(LEGACY_ACCOUNT, 'LegacyAdmin');
  const platform = addRole(LEGACY_ACCOUNT, 'pro-platform-delegated-admin');
  groups.push({ name: 'platform-admins', policies: { Delegated_Roles: delegatedRolesPolicy([legacy, platform]) } });
  groups.push({ name: 'corp-everyone' });
  groups.push({ name: 'corp-auditors', policies: { ReadOnly: delegatedRolesPolicy([addRole(LEGACY_ACCOUNT, 'pro-audit-delegated-reader')]) } });
  for (let i = 0; groups.length < options.groups; i++) {
    const project = `team${String(Math.floor(i / 2)).padStart(3, '0')}`;
    const role = i % 2 === 0 ? 'admin' : 'devops';
    const arns = Object.entries(TEAM_ACCOUNTS).map(([env, account]) => addRole(account, `${env}-${project}-delegated-${role}`));
    groups.push({ name: `corp-${project}-master-${role}`, policies: { Delegated_Roles: delegatedRolesPolicy(arns) } });
  }
  const accounts: AccountSpec[] = [...roles].map(([id, list]) => ({ id, roles: list }));
  return { corpAccountId: corp, users: [{ name: options.user, groups: groups.map((g) => g.name), mfa: true }], groups, accounts };
}
