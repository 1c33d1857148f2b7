import { describe, expect, it } from '@jest/globals';
import { roleListRecordOf, type RoleListRecord } from './cache.js';

const ROLE = { project: 'bulk', env: 'e07', role: 'admin', account: '111122223333', roleArn: 'arn:aws:iam::111122223333:role/e07-bulk-delegated-admin', profile: 'bulk-e07-admin', group: 'corp-bulk-master-admin', policy: 'Delegated_Roles' };
const RECORD: RoleListRecord = { version: 1, sourceProfile: 'default', userName: 'ana.ruiz', account: '999988887777', fetchedAt: '2026-12-02T00:40:06.123Z', roles: [ROLE, { ...ROLE, project: null, env: null, profile: null, roleArn: 'arn:aws:iam::111122223333:role/odd' }] };

describe('roleListRecordOf', () => {
  it('reads back what anwbis writes', () => {
    expect(roleListRecordOf(JSON.parse(JSON.stringify(RECORD)))).toEqual(RECORD);
  });

  it('keeps only the fields anwbis writes (a foreign field never reaches `roles --json`)', () => {
    const read = roleListRecordOf({ ...RECORD, extra: 1, roles: [{ ...ROLE, secret: 'x' }] });
    expect(read).toEqual({ ...RECORD, roles: [ROLE] });
  });

  it.each<[string, unknown]>([
    ['not an object', 'roles'],
    ['null', null],
    ['another version', { ...RECORD, version: 2 }],
    ['no user', { ...RECORD, userName: undefined }],
    ['an account that is a number', { ...RECORD, account: 999988887777 }],
    ['a time that is not ISO', { ...RECORD, fetchedAt: 'yesterday' }],
    ['a time with an offset', { ...RECORD, fetchedAt: '2026-12-02T00:40:06+01:00' }],
    ['a time that is no date', { ...RECORD, fetchedAt: '2026-13-02T00:40:06Z' }],
    ['roles that are no list', { ...RECORD, roles: {} }],
    ['a role that is null', { ...RECORD, roles: [null] }],
    ['a role without its ARN', { ...RECORD, roles: [{ ...ROLE, roleArn: undefined }] }],
    ['a role whose project is a number', { ...RECORD, roles: [{ ...ROLE, project: 7 }] }],
    ['a role whose group is null', { ...RECORD, roles: [{ ...ROLE, group: null }] }],
  ])('%s is not a record', (_name, value) => {
    expect(roleListRecordOf(value)).toBeUndefined();
  });
});
