import type { NamingPatterns } from '../naming/patterns.js';
import { renderPattern } from '../naming/patterns.js';
import { parsePattern } from '../naming/parse.js';
import { assertValidName } from '../naming/validate.js';
import type { Statement } from '../policy/document.js';
import { findRoleGrants } from '../policy/delegated-roles.js';
import { hasWildcard } from '../policy/glob.js';

/** One delegated role a corp user may assume, as a group policy grants it. */
export interface DelegatedRole {
  /** null when neither the role nor the group name follows the naming patterns. */
  readonly project: string | null;
  /** null when the role name does not follow the role pattern. */
  readonly env: string | null;
  /** The role part of the role name (`admin`, `contractor-acme`), or the raw role name when it does not parse. */
  readonly role: string;
  readonly account: string;
  readonly roleArn: string;
  /** The profile anwbis writes for it; null when project, env or role is unknown. */
  readonly profile: string | null;
  /** The corp group whose policy grants it. */
  readonly group: string;
  /** That group's inline policy. */
  readonly policy: string;
}

const ROLE_ARN = /^arn:([^:]+):iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/;

function validOrNull(kind: 'project' | 'environment' | 'role', value: string | undefined): string | null {
  if (value === undefined) return null;
  try {
    assertValidName(kind, value);
    return value;
  } catch {
    return null;
  }
}

/**
 * The roles one group policy grants: every concrete role ARN an Allow statement names for
 * `sts:AssumeRole` that no Deny takes back (judged by {@link findRoleGrants}, as assume does).
 * Resources with wildcards are not listed: they name no role that could be shown.
 * Names are read back with the patterns; the group name settles what the role name leaves
 * ambiguous (`pro-data-lab-delegated-admin` under group `corp-data-lab-master-admin`).
 */
export function rolesFromGroupPolicy(
  group: string,
  policy: string,
  statements: readonly Statement[],
  patterns: NamingPatterns,
  partition: string,
): DelegatedRole[] {
  const fromGroup = parsePattern(patterns.group, group, ['project', 'role']);
  const candidates = new Map<string, string>();
  for (const s of statements) {
    if (s.effect !== 'Allow') continue;
    for (const resource of s.resources) {
      const m = ROLE_ARN.exec(resource);
      if (m && !hasWildcard(resource) && m[1] === partition) candidates.set(resource, m[3]!);
    }
  }
  const roles: DelegatedRole[] = [];
  for (const [arn, roleName] of candidates) {
    if (!findRoleGrants(statements, roleName, partition).arns.includes(arn)) continue;
    const parts =
      (fromGroup && parsePattern(patterns.role, roleName, ['env', 'project', 'role'], { project: fromGroup.project! })) ??
      parsePattern(patterns.role, roleName, ['env', 'project', 'role']);
    const project = validOrNull('project', parts?.project ?? fromGroup?.project);
    const env = validOrNull('environment', parts?.env);
    const parsedRole = validOrNull('role', parts?.role);
    const role = parsedRole ?? roleName;
    let profile: string | null = null;
    if (project !== null && env !== null && parsedRole !== null) {
      try {
        profile = renderPattern(patterns.profile, { project, env, role });
        assertValidName('profile', profile);
      } catch {
        profile = null;
      }
    }
    roles.push({ project, env, role, account: ROLE_ARN.exec(arn)![2]!, roleArn: arn, profile, group, policy });
  }
  return roles;
}

/** Compares roles by project, env, role (unknown parts last), then ARN: the order of `anwbis roles`. */
export function compareRoles(a: DelegatedRole, b: DelegatedRole): number {
  const key = (r: DelegatedRole) => [r.project ?? '\uffff', r.env ?? '\uffff', r.role, r.roleArn];
  const ka = key(a);
  const kb = key(b);
  for (let i = 0; i < ka.length; i++) {
    const c = ka[i]!.localeCompare(kb[i]!);
    if (c !== 0) return c;
  }
  return 0;
}
