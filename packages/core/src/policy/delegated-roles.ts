import type { Statement } from './document.js';
import { globMatches, hasWildcard } from './glob.js';

const ASSUME_ROLE = 'sts:AssumeRole';

/** The delegated-role ARNs a policy allows for one role name. */
export interface RoleGrants {
  /** Concrete role ARNs (no wildcards), each allowed and not denied. */
  readonly arns: readonly string[];
  /** Allowed resources that name the role but leave its account open (`arn:aws:iam::*:role/…`, `*`). */
  readonly anyAccount: readonly string[];
}

function coversAssumeRole(s: Statement): boolean {
  if (s.actions.length > 0) return s.actions.some((a) => globMatches(a, ASSUME_ROLE, { ignoreCase: true }));
  return s.notActions.length > 0 && !s.notActions.some((a) => globMatches(a, ASSUME_ROLE, { ignoreCase: true }));
}

function coversResource(s: Statement, arn: string): boolean {
  if (s.resources.length > 0) return s.resources.some((r) => globMatches(r, arn));
  return s.notResources.length > 0 && !s.notResources.some((r) => globMatches(r, arn));
}

interface ArnParts {
  partition: string;
  service: string;
  region: string;
  account: string;
  resource: string;
}

function splitArn(arn: string): ArnParts | undefined {
  const parts = arn.split(':');
  if (parts.length < 6 || parts[0] !== 'arn') return undefined;
  const [, partition = '', service = '', region = '', account = ''] = parts;
  return { partition, service, region, account, resource: parts.slice(5).join(':') };
}

/**
 * The concrete ARN of role `roleName` that an allowed resource pattern stands for, if any.
 * An exact ARN must end in `role/<path>/<roleName>`; a wildcard pattern yields the ARN with the
 * role name (keeping a literal path) when the pattern covers it. A pattern for another partition
 * can never match a request made in `partition`, so it yields nothing.
 * @param account the account chosen for patterns that leave the account open.
 */
function concreteArn(resource: string, roleName: string, partition: string, account: string | undefined): { arn?: string; anyAccount?: boolean } {
  const parts = resource === '*' ? { partition: '*', service: '*', region: '*', account: '*', resource: '*' } : splitArn(resource);
  if (!parts || !globMatches(parts.partition, partition) || !globMatches(parts.service, 'iam') || !globMatches(parts.region, '')) return {};
  const path = parts.resource.split('/').slice(1, -1);
  const candidates = [['role', ...path, roleName].join('/'), `role/${roleName}`];
  const resourcePart = candidates.find((c) => !hasWildcard(c) && globMatches(parts.resource, c));
  if (!resourcePart) return {};
  if (!hasWildcard(parts.account) && parts.account !== '') return { arn: `arn:${partition}:iam::${parts.account}:${resourcePart}` };
  const chosen = account !== undefined && globMatches(parts.account || '*', account);
  return { anyAccount: true, ...(chosen ? { arn: `arn:${partition}:iam::${account}:${resourcePart}` } : {}) };
}

/**
 * Finds the ARNs of delegated role `roleName` that a policy's statements allow the holder to
 * assume. The name is matched exactly (as the last path segment of the role), never as a
 * substring; Deny statements that cover an ARN remove it.
 * @param partition the partition of the caller; also used where a pattern leaves it open.
 * @param account when given, patterns that leave the account open (listed in `anyAccount`) also
 *   yield the role's ARN in this account, subject to the same Deny statements.
 */
export function findRoleGrants(statements: readonly Statement[], roleName: string, partition = 'aws', account?: string): RoleGrants {
  const arns = new Set<string>();
  const anyAccount = new Set<string>();
  const allows = statements.filter((s) => s.effect === 'Allow' && coversAssumeRole(s));
  // A conditional Deny (no MFA, wrong source IP…) can only be judged by AWS at call time.
  const denies = statements.filter((s) => s.effect === 'Deny' && !s.conditional && coversAssumeRole(s));
  for (const statement of allows) {
    for (const resource of statement.resources) {
      const found = concreteArn(resource, roleName, partition, account);
      if (found.arn) arns.add(found.arn);
      if (found.anyAccount) anyAccount.add(resource);
    }
  }
  const allowed = [...arns].filter((arn) => !denies.some((d) => coversResource(d, arn)));
  return { arns: allowed, anyAccount: [...anyAccount] };
}

/** The account id in a role ARN. */
export function accountOfArn(arn: string): string {
  return splitArn(arn)?.account ?? '';
}
