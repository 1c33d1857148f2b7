import { describe, expect, it } from '@jest/globals';
import { AnwbisError } from '../errors/errors.js';
import { parsePattern } from './parse.js';
import { corpProfileOf, DEFAULT_PATTERNS, renderPattern } from './patterns.js';
import { splitTargetName } from './target-name.js';
import { thrownAnwbisError } from '../testing/caught.js';

const GROUP = ['project', 'role'];
const ROLE = ['env', 'project', 'role'];
const PROFILE = ['project', 'env', 'role'];

describe('parsePattern', () => {
  it.each<[string, string, string[], Record<string, string>, Record<string, string> | undefined]>([
    ['corp-{project}-master-{role}', 'corp-datalab-master-admin', GROUP, {}, { project: 'datalab', role: 'admin' }],
    ['corp-{project}-master-{role}', 'corp-data-lab-master-admin', GROUP, {}, { project: 'data-lab', role: 'admin' }],
    ['corp-{project}-master-{role}', 'corp-datalab-master-contractor-acme', GROUP, {}, { project: 'datalab', role: 'contractor-acme' }],
    ['corp-{project}-master-{role}', 'corp-a-master-b-master-c', GROUP, {}, undefined],
    ['corp-{project}-master-{role}', 'corp--master-admin', GROUP, {}, undefined],
    ['corp-{project}-master-{role}', 'corp-datalab-master-', GROUP, {}, undefined],
    ['corp-{project}-master-{role}', 'platform-admins', GROUP, {}, undefined],
    ['corp-{project}-master-{role}', 'Corp-datalab-master-admin', GROUP, {}, undefined],
    ['{env}-{project}-delegated-{role}', 'dev-datalab-delegated-admin', ROLE, {}, { env: 'dev', project: 'datalab', role: 'admin' }],
    ['{env}-{project}-delegated-{role}', 'pro-datalab-delegated-contractor-acme', ROLE, {}, { env: 'pro', project: 'datalab', role: 'contractor-acme' }],
    ['{env}-{project}-delegated-{role}', 'pro-data-lab-delegated-admin', ROLE, {}, undefined],
    ['{env}-{project}-delegated-{role}', 'pro-data-lab-delegated-admin', ROLE, { project: 'data-lab' }, { env: 'pro', project: 'data-lab', role: 'admin' }],
    ['{env}-{project}-delegated-{role}', 'dev-datalab-delegated-admin', ROLE, { project: 'web' }, undefined],
    ['{project}-{env}-{role}', 'datalab-dev-admin', PROFILE, {}, { project: 'datalab', env: 'dev', role: 'admin' }],
    ['{project}-{env}-{role}', 'a-b-c-d', PROFILE, {}, undefined],
    ['{project}-{env}-{role}', 'a-b', PROFILE, {}, undefined],
    ['{env}-{env}', 'dev-dev', ['env'], {}, { env: 'dev' }],
    ['{env}-{env}', 'dev-pro', ['env'], {}, undefined],
    ['Delegated_Roles', 'Delegated_Roles', ['env'], {}, {}],
    ['Assume-{env}', 'Assume-pro', ['env'], {}, { env: 'pro' }],
    ['{project}_{env}_{role}', 'datalab_dev_admin', PROFILE, {}, { project: 'datalab', env: 'dev', role: 'admin' }],
  ])('%j on %j (%j, known %j) gives %j', (pattern, name, placeholders, known, expected) => {
    expect(parsePattern(pattern, name, placeholders, known)).toEqual(expected);
  });

  it.each([
    ['corp-{project}-master-{role}', 'datalab', 'admin'],
    ['corp-{project}-master-{role}', 'data-lab', 'contractor-acme'],
  ])('reads back what renderPattern wrote (%j, %j, %j)', (pattern, project, role) => {
    expect(parsePattern(pattern, renderPattern(pattern, { project, role }), GROUP)).toEqual({ project, role });
  });

  it('reads the default role pattern back', () => {
    const name = renderPattern(DEFAULT_PATTERNS.role, { env: 'e07', project: 'bulk', role: 'admin' });
    expect(parsePattern(DEFAULT_PATTERNS.role, name, ROLE)).toEqual({ env: 'e07', project: 'bulk', role: 'admin' });
  });

  it('refuses a pattern with a placeholder it cannot fill', () => {
    expect(() => parsePattern('corp-{team}-{role}', 'corp-x-y', GROUP)).toThrow(AnwbisError);
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

describe('corpProfileOf', () => {
  it.each([
    ['corp-session-corp', DEFAULT_PATTERNS, 'corp'],
    ['corp', DEFAULT_PATTERNS, 'corp'],
    ['default-mfa-session', { ...DEFAULT_PATTERNS, session: '{profile}-mfa-session' }, 'default'],
  ])('the corp profile behind %s', (source, patterns, corp) => {
    expect(corpProfileOf(source, patterns)).toBe(corp);
  });
});
