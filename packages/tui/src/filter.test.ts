import { describe, expect, it } from '@jest/globals';
import { filterRoles, type RoleEntry } from './filter.js';

const roles: RoleEntry[] = [
  { project: 'datalab', env: 'dev', role: 'admin', account: '222222222222' },
  { project: 'datalab', env: 'pro', role: 'admin', account: '333333333333' },
  { project: 'web', env: 'dev', role: 'developer', account: '444444444444' },
];

describe('filterRoles', () => {
  it.each([
    ['', 3],
    ['datalab', 2],
    ['DEV', 2],
    ['datalab dev', 1],
    ['3333', 1],
    ['nothing', 0],
  ])('%j keeps %i', (query, count) => {
    expect(filterRoles(roles, query)).toHaveLength(count);
  });

  it('keeps the original order', () => {
    expect(filterRoles(roles, 'dev').map((r) => r.account)).toEqual(['222222222222', '444444444444']);
  });
});
