import { AnwbisError } from '../errors/errors.js';
import type { AwsPort } from '../aws/port.js';
import { awsFailureKind, explainAwsError } from '../errors/explain-aws.js';
import type { NamingPatterns } from '../naming/patterns.js';
import { renderPattern } from '../naming/patterns.js';
import { parsePattern } from '../naming/parse.js';
import { parsePolicyDocument } from '../policy/document.js';
import { compareRoles, rolesFromGroupPolicy, type DelegatedRole } from './delegated-role.js';

/** How far a discovery has got: groups whose policies have been read, of all the user's groups. */
export interface DiscoveryProgress {
  readonly groupsRead: number;
  readonly groupsTotal: number;
}

export interface DiscoverOptions {
  /** The corp IAM user (AWS and moto both need it for ListGroupsForUser). */
  readonly userName: string;
  /** The caller's partition (`aws`, `aws-cn`, …), from its identity. */
  readonly partition: string;
  readonly patterns: NamingPatterns;
  /** Requests in flight at once (default {@link DISCOVERY_CONCURRENCY}). */
  readonly concurrency?: number;
  readonly onProgress?: (progress: DiscoveryProgress) => void;
}

export interface Discovered {
  readonly roles: DelegatedRole[];
  /** Every group of the user, and the ones that held a policy of the pattern. */
  readonly groups: readonly string[];
  readonly groupsWithPolicy: readonly string[];
  /** Policies that could not be read as policy documents, skipped so one broken group hides no other. */
  readonly problems: readonly string[];
}

/**
 * Policies read at once. One GetGroupPolicy per group is the whole cost of a cold listing: 200
 * groups at 100 ms a request wait 2.5 s at 8 in flight, 1.3 s at 16, 0.7 s at 32 (measured with
 * the roles benchmark: 2.2 s cold at 16, 1.4–1.6 s at 32; 48 and 64 were no faster on two cores).
 * IAM publishes no request-rate quota for its read actions: it throttles per account, a limit
 * shared with every other caller there, answering `Throttling` rather than failing. 32 is the
 * SDK agent's sockets to one endpoint well within its 50, a burst of a few hundred reads lasting
 * under a second; should IAM refuse part of it, the IAM client's adaptive retry mode (see the SDK
 * port) retries those and holds every later request to the rate IAM accepted.
 */
export const DISCOVERY_CONCURRENCY = 32;

const isMissing = (err: unknown) => awsFailureKind(err) === 'missing';
const isDenied = (err: unknown) => awsFailureKind(err) === 'denied';

function deniedPermission(err: unknown, permission: string, resource: string): AnwbisError {
  if (!isDenied(err)) return explainAwsError(err, `${permission} on ${resource}`);
  return new AnwbisError('denied', `listing your delegated roles needs ${permission} on ${resource}, and AWS denied it`, {
    next: `ask the corp account administrators to allow ${permission} for your user (every user may read their own groups' policies)`,
    cause: err,
  });
}

async function mapLimit<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/**
 * The names of a group's policies that the policy pattern stands for. A pattern whose
 * placeholders the group name fills is one name, read directly; otherwise (`Assume-{env}`, or
 * a group outside the convention) the group's policies are listed and read back.
 */
async function policyNames(aws: AwsPort, group: string, patterns: NamingPatterns): Promise<string[]> {
  const known = parsePattern(patterns.group, group, ['project', 'role']) ?? {};
  try {
    return [renderPattern(patterns.policy, known)];
  } catch {
    const names = await aws.listGroupPolicies(group).catch((err: unknown) => {
      throw deniedPermission(err, 'iam:ListGroupPolicies', `group ${group}`);
    });
    return names.filter((name) => parsePattern(patterns.policy, name, ['project', 'env', 'role'], known) !== undefined);
  }
}

/**
 * Every delegated role the user's groups grant: ListGroupsForUser, then each group's policy
 * (`Delegated_Roles`, or what the policy pattern names), a few requests at a time. A group
 * without the policy is skipped; a role granted by several groups is listed once.
 */
export async function discoverDelegatedRoles(aws: AwsPort, options: DiscoverOptions): Promise<Discovered> {
  const groups = (
    await aws.listGroupsForUser(options.userName).catch((err: unknown) => {
      throw deniedPermission(err, 'iam:ListGroupsForUser', `user ${options.userName}`);
    })
  ).sort();
  let read = 0;
  options.onProgress?.({ groupsRead: 0, groupsTotal: groups.length });
  const perGroup = await mapLimit(groups, options.concurrency ?? DISCOVERY_CONCURRENCY, async (group) => {
    const found: DelegatedRole[] = [];
    const problems: string[] = [];
    let held = false;
    for (const policy of await policyNames(aws, group, options.patterns)) {
      let raw: string;
      try {
        raw = await aws.getGroupPolicy(group, policy);
      } catch (err) {
        if (isMissing(err)) continue;
        throw deniedPermission(err, 'iam:GetGroupPolicy', `group ${group}`);
      }
      held = true;
      try {
        const statements = parsePolicyDocument(raw, `group ${group} policy ${policy}`);
        found.push(...rolesFromGroupPolicy(group, policy, statements, options.patterns, options.partition));
      } catch (err) {
        if (!(err instanceof AnwbisError)) throw err;
        problems.push(err.message);
      }
    }
    options.onProgress?.({ groupsRead: ++read, groupsTotal: groups.length });
    return { group, found, held, problems };
  });
  const byArn = new Map<string, DelegatedRole>();
  for (const { found } of perGroup) for (const role of found) if (!byArn.has(role.roleArn)) byArn.set(role.roleArn, role);
  return {
    roles: [...byArn.values()].sort(compareRoles),
    groups,
    groupsWithPolicy: perGroup.filter((g) => g.held).map((g) => g.group),
    problems: perGroup.flatMap((g) => g.problems),
  };
}
