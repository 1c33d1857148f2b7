import { describe, expect, it } from '@jest/globals';
import { AwsCallError, type AwsPort } from '../aws/port.js';
import { DEFAULT_PATTERNS } from '../naming/patterns.js';
import { rejectedAnwbisError } from '../testing/caught.js';
import { DISCOVERY_CONCURRENCY, discoverDelegatedRoles, type DiscoveryProgress } from './discover.js';

const policy = (...arns: string[]) => encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: arns }] }));
const missing = () => new AwsCallError('iam:GetGroupPolicy', 'NoSuchEntity', 'The group policy with name Delegated_Roles cannot be found.', 404);

/** An IAM with groups and their inline policies; counts requests in flight. */
function fakeIam(groups: Record<string, Record<string, string>>, overrides: Partial<AwsPort> = {}) {
  let inFlight = 0;
  const stats = { maxInFlight: 0, calls: [] as string[] };
  const track = async <T>(name: string, work: () => T): Promise<T> => {
    stats.calls.push(name);
    stats.maxInFlight = Math.max(stats.maxInFlight, ++inFlight);
    await new Promise((r) => setImmediate(r));
    inFlight--;
    return work();
  };
  const port: AwsPort = {
    getCallerIdentity: async () => ({ account: '111111111111', arn: 'arn:aws:iam::111111111111:user/alice', userId: 'AIDA' }),
    getRolePolicy: async () => '',
    listMfaDevices: async () => [],
    assumeRole: async () => {
      throw new Error('unused');
    },
    getSessionToken: async () => {
      throw new Error('unused');
    },
    listGroupsForUser: (user) => track(`ListGroupsForUser ${user}`, () => Object.keys(groups)),
    listGroupPolicies: (group) => track(`ListGroupPolicies ${group}`, () => Object.keys(groups[group] ?? {})),
    getGroupPolicy: (group, name) =>
      track(`GetGroupPolicy ${group} ${name}`, () => {
        const doc = groups[group]?.[name];
        if (doc === undefined) throw missing();
        return doc;
      }),
    ...overrides,
  };
  return { port, stats };
}

const OPTIONS = { userName: 'alice', partition: 'aws', patterns: DEFAULT_PATTERNS };

describe('discoverDelegatedRoles', () => {
  it('lists the roles of every group with the policy, sorted, each once; skips a group without it', async () => {
    const { port } = fakeIam({
      'corp-web-master-admin': { Delegated_Roles: policy('arn:aws:iam::444444444444:role/dev-web-delegated-admin') },
      'corp-datalab-master-admin': {
        Delegated_Roles: policy('arn:aws:iam::333333333333:role/pro-datalab-delegated-admin', 'arn:aws:iam::222222222222:role/dev-datalab-delegated-admin'),
      },
      'platform-admins': { Delegated_Roles: policy('arn:aws:iam::222222222222:role/dev-datalab-delegated-admin') },
      'corp-everyone': { ReadOnly: policy('arn:aws:iam::222222222222:role/x') },
    });
    const found = await discoverDelegatedRoles(port, OPTIONS);
    expect(found.roles.map((r) => `${r.project}-${r.env}-${r.role} ${r.group}`)).toEqual([
      'datalab-dev-admin corp-datalab-master-admin',
      'datalab-pro-admin corp-datalab-master-admin',
      'web-dev-admin corp-web-master-admin',
    ]);
    expect(found.groups).toHaveLength(4);
    expect(found.groupsWithPolicy).toEqual(['corp-datalab-master-admin', 'corp-web-master-admin', 'platform-admins']);
  });

  it('keeps at most DISCOVERY_CONCURRENCY requests in flight and reports progress for every group', async () => {
    const groups = Object.fromEntries(
      Array.from({ length: 40 }, (_, i) => [`corp-p${i}-master-admin`, { Delegated_Roles: policy(`arn:aws:iam::222222222222:role/dev-p${i}-delegated-admin`) }]),
    );
    const { port, stats } = fakeIam(groups);
    const progress: DiscoveryProgress[] = [];
    const found = await discoverDelegatedRoles(port, { ...OPTIONS, onProgress: (p) => progress.push(p) });
    expect(found.roles).toHaveLength(40);
    expect(stats.maxInFlight).toBe(DISCOVERY_CONCURRENCY);
    expect(progress[0]).toEqual({ groupsRead: 0, groupsTotal: 40 });
    expect(progress.at(-1)).toEqual({ groupsRead: 40, groupsTotal: 40 });
    // A literal policy name is read directly: one request per group.
    expect(stats.calls.filter((c) => c.startsWith('ListGroupPolicies'))).toEqual([]);
  });

  it('lists the policies of a group when the policy pattern has a placeholder the group name does not fill', async () => {
    const { port, stats } = fakeIam({
      'corp-datalab-master-admin': {
        'Assume-dev': policy('arn:aws:iam::222222222222:role/dev-datalab-delegated-admin'),
        'Assume-pro': policy('arn:aws:iam::333333333333:role/pro-datalab-delegated-admin'),
        Other: policy('arn:aws:iam::444444444444:role/dev-datalab-delegated-admin'),
      },
    });
    const found = await discoverDelegatedRoles(port, { ...OPTIONS, patterns: { ...DEFAULT_PATTERNS, policy: 'Assume-{env}' } });
    expect(found.roles.map((r) => r.policy)).toEqual(['Assume-dev', 'Assume-pro']);
    expect(stats.calls).toContain('ListGroupPolicies corp-datalab-master-admin');
  });

  it('skips a malformed policy and says so, keeping the other groups', async () => {
    const { port } = fakeIam({
      'corp-a-master-admin': { Delegated_Roles: 'not json' },
      'corp-b-master-admin': { Delegated_Roles: policy('arn:aws:iam::222222222222:role/dev-b-delegated-admin') },
    });
    const found = await discoverDelegatedRoles(port, OPTIONS);
    expect(found.roles.map((r) => r.project)).toEqual(['b']);
    expect(found.problems).toEqual([expect.stringContaining('group corp-a-master-admin policy Delegated_Roles is malformed')]);
  });

  it.each([
    ['listGroupsForUser', 'iam:ListGroupsForUser on user alice'],
    ['getGroupPolicy', 'iam:GetGroupPolicy on group corp-a-master-admin'],
  ] as const)('names the permission AWS denied (%s)', async (method, permission) => {
    const denied = async () => {
      throw new AwsCallError(`iam:${method}`, 'AccessDenied', 'User: alice is not authorized');
    };
    const { port } = fakeIam({ 'corp-a-master-admin': { Delegated_Roles: policy() } }, { [method]: denied });
    const error = await rejectedAnwbisError(discoverDelegatedRoles(port, OPTIONS));
    expect(error.message).toContain(`needs ${permission}`);
    expect(error.kind).toBe('denied');
  });
});
