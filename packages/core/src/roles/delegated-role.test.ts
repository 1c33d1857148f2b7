import { describe, expect, it } from '@jest/globals';
import { DEFAULT_PATTERNS } from '../naming/patterns.js';
import { parsePolicyDocument } from '../policy/document.js';
import { compareRoles, rolesFromGroupPolicy, type DelegatedRole } from './delegated-role.js';

const doc = (...statements: object[]) => parsePolicyDocument(JSON.stringify({ Version: '2012-10-17', Statement: statements }), 'test');
const allow = (...arns: string[]) => ({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: arns });

describe('rolesFromGroupPolicy', () => {
  it.each<[string, string, object[], Array<Partial<DelegatedRole>>]>([
    [
      'the convention',
      'corp-datalab-master-admin',
      [allow('arn:aws:iam::222222222222:role/dev-datalab-delegated-admin', 'arn:aws:iam::333333333333:role/pro-datalab-delegated-admin')],
      [
        { project: 'datalab', env: 'dev', role: 'admin', account: '222222222222', profile: 'datalab-dev-admin' },
        { project: 'datalab', env: 'pro', role: 'admin', account: '333333333333', profile: 'datalab-pro-admin' },
      ],
    ],
    [
      'a contractor',
      'corp-datalab-master-contractor-acme',
      [allow('arn:aws:iam::333333333333:role/pro-datalab-delegated-contractor-acme')],
      [{ project: 'datalab', env: 'pro', role: 'contractor-acme', profile: 'datalab-pro-contractor-acme' }],
    ],
    [
      'a dashed project the group name settles',
      'corp-data-lab-master-admin',
      [allow('arn:aws:iam::222222222222:role/pro-data-lab-delegated-admin')],
      [{ project: 'data-lab', env: 'pro', role: 'admin', profile: 'data-lab-pro-admin' }],
    ],
    [
      'a group outside the convention granting convention roles',
      'platform-admins',
      [allow('arn:aws:iam::222222222222:role/dev-web-delegated-devops')],
      [{ project: 'web', env: 'dev', role: 'devops', profile: 'web-dev-devops', group: 'platform-admins' }],
    ],
    [
      'a role outside the convention',
      'platform-admins',
      [allow('arn:aws:iam::222222222222:role/path/LegacyAdmin')],
      [{ project: null, env: null, role: 'LegacyAdmin', profile: null, roleArn: 'arn:aws:iam::222222222222:role/path/LegacyAdmin' }],
    ],
    [
      'a role outside the convention under a convention group',
      'corp-datalab-master-admin',
      [allow('arn:aws:iam::222222222222:role/LegacyAdmin')],
      [{ project: 'datalab', env: null, role: 'LegacyAdmin', profile: null }],
    ],
    ['wildcards name no role', 'corp-datalab-master-admin', [allow('arn:aws:iam::*:role/dev-datalab-delegated-admin', 'arn:aws:iam::222222222222:role/*')], []],
    [
      'a denied role is not listed',
      'corp-datalab-master-admin',
      [
        allow('arn:aws:iam::222222222222:role/dev-datalab-delegated-admin', 'arn:aws:iam::333333333333:role/pro-datalab-delegated-admin'),
        { Effect: 'Deny', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::333333333333:role/*' },
      ],
      [{ env: 'dev' }],
    ],
    ['another action grants nothing', 'corp-datalab-master-admin', [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:iam::222222222222:role/dev-datalab-delegated-admin' }], []],
    ['another partition grants nothing here', 'corp-datalab-master-admin', [allow('arn:aws-cn:iam::222222222222:role/dev-datalab-delegated-admin')], []],
  ])('%s', (_name, group, statements, expected) => {
    const roles = rolesFromGroupPolicy(group, 'Delegated_Roles', doc(...statements), DEFAULT_PATTERNS, 'aws');
    expect(roles).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(roles[i]).toMatchObject({ group, policy: 'Delegated_Roles', ...e }));
  });
});

describe('compareRoles', () => {
  it('sorts by project, env, role, unknown parts last', () => {
    const r = (project: string | null, env: string | null, role: string): DelegatedRole => ({
      project,
      env,
      role,
      account: '1',
      roleArn: `${project}/${env}/${role}`,
      profile: null,
      group: 'g',
      policy: 'p',
    });
    const sorted = [r(null, null, 'Legacy'), r('web', 'dev', 'admin'), r('datalab', 'pro', 'admin'), r('datalab', 'dev', 'user'), r('datalab', null, 'X'), r('datalab', 'dev', 'admin')].sort(compareRoles);
    expect(sorted.map((x) => x.roleArn)).toEqual(['datalab/dev/admin', 'datalab/dev/user', 'datalab/pro/admin', 'datalab/null/X', 'web/dev/admin', 'null/null/Legacy']);
  });
});
