import type { AssumeRoleInput, AwsPort, GetSessionTokenInput } from '../aws/port.js';

/** The corp user, device and delegated role the fake answers for. */
export const FAKE_WORLD = {
  account: '111111111111',
  user: 'alice',
  userArn: 'arn:aws:iam::111111111111:user/alice',
  serial: 'arn:aws:iam::111111111111:mfa/alice',
  roleArn: 'arn:aws:iam::222222222222:role/dev-datalab-delegated-admin',
} as const;

/** An inline policy document (URL-encoded, as IAM returns it) allowing AssumeRole on `arns`. */
export function allowPolicy(...arns: string[]): string {
  return encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: arns }] }));
}

/**
 * An {@link AwsPort} for tests: answers as one corp user with one MFA device and one delegated
 * role, records every call and every AssumeRole/GetSessionToken input; each method can be replaced.
 */
export function fakeAws(overrides: Partial<AwsPort> = {}, expiration = new Date('2030-01-01T00:00:00Z')) {
  const calls: string[] = [];
  const assumed: AssumeRoleInput[] = [];
  const sessions: GetSessionTokenInput[] = [];
  const port: AwsPort = {
    getCallerIdentity: async () => (calls.push('GetCallerIdentity'), { account: FAKE_WORLD.account, arn: FAKE_WORLD.userArn, userId: 'AIDA' }),
    getGroupPolicy: async () => (calls.push('GetGroupPolicy'), allowPolicy(FAKE_WORLD.roleArn)),
    getRolePolicy: async () => (calls.push('GetRolePolicy'), ''),
    listMfaDevices: async () => (calls.push('ListMFADevices'), [FAKE_WORLD.serial]),
    assumeRole: async (input) => {
      calls.push('AssumeRole');
      assumed.push(input);
      return { accessKeyId: `ASIA${assumed.length}`, secretAccessKey: 's/e+c=', sessionToken: 'tok', expiration, assumedRoleArn: '' };
    },
    getSessionToken: async (input) => {
      calls.push('GetSessionToken');
      sessions.push(input);
      return { accessKeyId: `ASIASESSION${sessions.length}`, secretAccessKey: 'session/secret', sessionToken: 'session-tok', expiration };
    },
    listGroupsForUser: async () => (calls.push('ListGroupsForUser'), []),
    listGroupPolicies: async () => (calls.push('ListGroupPolicies'), []),
    ...overrides,
  };
  return { port, calls, assumed, sessions };
}
