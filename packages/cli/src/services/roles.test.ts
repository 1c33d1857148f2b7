import { describe, expect, it } from '@jest/globals';
import { rolesTable } from './roles.js';

const row = (role: string, status = 'not assumed') => ['evil', '-', role, '600000000001', '-', status];

describe('rolesTable', () => {
  it('lines up the columns, the last one unpadded', () => {
    expect(rolesTable([row('admin'), row('LegacyAdmin', 'valid for 59m')])).toBe(
      [
        'PROJECT  ENV  ROLE         ACCOUNT       PROFILE  STATUS',
        'evil     -    admin        600000000001  -        not assumed',
        'evil     -    LegacyAdmin  600000000001  -        valid for 59m',
        '',
      ].join('\n'),
    );
  });

  it('a role name with escape sequences and a line break is shown escaped, on its own row', () => {
    const table = rolesTable([row('x\x1b]52;c;cHduZWQ=\x07\u009b2J\u202e\nteam999  pro  admin')]);
    expect(table.split('\n')).toHaveLength(3);
    expect(table).toContain('x\\x1b]52;c;cHduZWQ=\\x07\\x9b2J\\u202e\\nteam999  pro  admin  600000000001');
  });

  it('one 5000-character name is cut to the longest IAM accepts and does not widen the other rows past it', () => {
    const lines = rolesTable([row(`long${'x'.repeat(5000)}`), row('admin')]).split('\n');
    expect(lines[1]).toContain(`long${'x'.repeat(59)}…  600000000001`);
    expect(lines[2]).toBe(`evil     -    admin${' '.repeat(59)}  600000000001  -        not assumed`);
  });

  it('measures wide characters in terminal cells', () => {
    const lines = rolesTable([row('雪山'), row('admin')]).split('\n');
    expect(lines[1]).toBe('evil     -    雪山   600000000001  -        not assumed');
    expect(lines[2]).toBe('evil     -    admin  600000000001  -        not assumed');
  });
});
