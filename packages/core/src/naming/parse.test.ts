import { describe, expect, it } from '@jest/globals';
import { DEFAULT_PATTERNS } from './patterns.js';
import { parsePattern } from './parse.js';
import { splitTargetName } from './target-name.js';
import { thrownAnwbisError } from '../testing/caught.js';

describe('parsePattern', () => {
  it.each([
    [DEFAULT_PATTERNS.group, 'corp-datalab-master-admin', { project: 'datalab', role: 'admin' }],
    [DEFAULT_PATTERNS.group, 'corp-data-lab-master-contractor-acme', { project: 'data-lab', role: 'contractor-acme' }],
    [DEFAULT_PATTERNS.role, 'dev-datalab-delegated-admin', { env: 'dev', project: 'datalab', role: 'admin' }],
    [DEFAULT_PATTERNS.profile, 'datalab-dev-admin', { project: 'datalab', env: 'dev', role: 'admin' }],
    [DEFAULT_PATTERNS.session, 'corp-session-corp', { profile: 'corp' }],
    ['{role}-{env}-{project}', 'admin-dev-datalab', { role: 'admin', env: 'dev', project: 'datalab' }],
    ['{project}.{env}.{role}', 'a-b.c.d', { project: 'a-b', env: 'c', role: 'd' }],
    ['{project}-{project}', 'x-x', { project: 'x' }],
    ['Delegated_Roles', 'Delegated_Roles', {}],
  ])('%s reads %s', (pattern, name, parts) => {
    expect(parsePattern(pattern, name)).toEqual(parts);
  });

  it.each([
    [DEFAULT_PATTERNS.profile, 'datalab-pro-contractor-acme'], // ambiguous: which dash ends the role?
    [DEFAULT_PATTERNS.group, 'ops-admins'],
    [DEFAULT_PATTERNS.group, 'corp--master-admin'],
    ['{project}-{project}', 'x-y'],
    ['Delegated_Roles', 'Other'],
  ])('%s does not read %s', (pattern, name) => {
    expect(parsePattern(pattern, name)).toBeUndefined();
  });
});

describe('splitTargetName', () => {
  it('reads --target with the profile pattern in force', () => {
    expect(splitTargetName('datalab-dev-admin')).toEqual({ project: 'datalab', env: 'dev', role: 'admin' });
    // Regression: credential-process --target under a custom profile pattern served project r / role p.
    expect(splitTargetName('admin-dev-datalab', '{role}-{env}-{project}')).toEqual({ project: 'datalab', env: 'dev', role: 'admin' });
  });

  it('refuses a name that reads more than one way', () => {
    expect(thrownAnwbisError(() => splitTargetName('datalab-pro-contractor-acme')).kind).toBe('usage');
  });
});
