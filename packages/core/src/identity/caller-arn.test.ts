import { describe, it, expect } from '@jest/globals';
import { parseCallerArn, type Identity } from './caller-arn.js';

describe('parseCallerArn', () => {
  it.each<[string, Omit<Identity, 'arn'>]>([
    ['arn:aws:iam::111111111111:user/alice', { account: '111111111111', partition: 'aws', kind: 'user', name: 'alice' }],
    ['arn:aws:iam::111111111111:user/division/team/alice', { account: '111111111111', partition: 'aws', kind: 'user', name: 'alice' }],
    ['arn:aws:iam::111111111111:user/alice@example.com', { account: '111111111111', partition: 'aws', kind: 'user', name: 'alice@example.com' }],
    [
      'arn:aws:sts::111111111111:assumed-role/dev-datalab-delegated-admin/alice',
      { account: '111111111111', partition: 'aws', kind: 'assumed-role', name: 'alice', roleName: 'dev-datalab-delegated-admin' },
    ],
    [
      'arn:aws:sts::111111111111:assumed-role/AWSReservedSSO_Admin_0123/i-0abc',
      { account: '111111111111', partition: 'aws', kind: 'assumed-role', name: 'i-0abc', roleName: 'AWSReservedSSO_Admin_0123' },
    ],
    ['arn:aws:iam::111111111111:root', { account: '111111111111', partition: 'aws', kind: 'root', name: 'root' }],
    ['arn:aws:sts::111111111111:federated-user/bob', { account: '111111111111', partition: 'aws', kind: 'federated-user', name: 'bob' }],
    ['arn:aws-cn:iam::222222222222:user/li', { account: '222222222222', partition: 'aws-cn', kind: 'user', name: 'li' }],
    [
      'arn:aws-cn:sts::222222222222:assumed-role/ops/li',
      { account: '222222222222', partition: 'aws-cn', kind: 'assumed-role', name: 'li', roleName: 'ops' },
    ],
    ['arn:aws-us-gov:iam::333333333333:user/gov/sam', { account: '333333333333', partition: 'aws-us-gov', kind: 'user', name: 'sam' }],
    ['arn:aws-us-gov:iam::333333333333:root', { account: '333333333333', partition: 'aws-us-gov', kind: 'root', name: 'root' }],
    ['arn:aws:iam::111111111111:role/some-role', { account: '111111111111', partition: 'aws', kind: 'other', name: 'some-role' }],
  ])('%s', (arn, expected) => {
    expect(parseCallerArn(arn)).toEqual({ arn, ...expected });
  });
});
