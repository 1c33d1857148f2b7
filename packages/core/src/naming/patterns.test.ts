import { describe, it, expect } from '@jest/globals';
import { DEFAULT_PATTERNS, renderPattern, resolveTarget, sessionProfileName, type NamingPatterns, type Target, type TargetRequest } from './patterns.js';
import { thrownAnwbisError } from '../testing/caught.js';

describe('renderPattern', () => {
  it.each([
    ['corp-{project}-master-{role}', { project: 'datalab', role: 'admin' }, 'corp-datalab-master-admin'],
    ['{env}-{env}', { env: 'dev' }, 'dev-dev'],
    ['Delegated_Roles', { project: 'p' }, 'Delegated_Roles'],
    ['', { project: 'p' }, ''],
    ['{Project}-{role}', { role: 'r' }, '{Project}-r'],
    ['{project}', { project: '{role}', role: 'r' }, '{role}'],
  ])('renders %j with %j as %j', (pattern, values, expected) => {
    expect(renderPattern(pattern, values)).toBe(expected);
  });

  it.each([
    ['corp-{team}-{role}', { role: 'admin', project: 'p' }, '{team}', 'use {role}, {project}'],
    ['x-{constructor}', { project: 'p' }, '{constructor}', 'use {project}'],
    ['x-{tostring}', { profile: 'default' }, '{tostring}', 'use {profile}'],
  ])('refuses %j: unknown placeholder', (pattern, values, placeholder, next) => {
    const error = thrownAnwbisError(() => renderPattern(pattern, values));
    expect(error.kind).toBe('config');
    expect(error.message).toBe(`unknown placeholder ${placeholder} in naming pattern ${JSON.stringify(pattern)}`);
    expect(error.next).toBe(next);
  });
});

const CUSTOM: NamingPatterns = {
  group: 'grp.{project}.{role}',
  policy: 'Assume-{env}',
  role: '{project}_{env}_{role}',
  profile: '{env}/{project}/{role}',
  session: 'long-{profile}',
};

describe('resolveTarget', () => {
  it.each<[string, TargetRequest, NamingPatterns, Target]>([
    [
      'defaults',
      { project: 'datalab', env: 'dev', role: 'admin' },
      DEFAULT_PATTERNS,
      {
        project: 'datalab',
        env: 'dev',
        role: 'admin',
        groupName: 'corp-datalab-master-admin',
        policyName: 'Delegated_Roles',
        roleName: 'dev-datalab-delegated-admin',
        profileName: 'datalab-dev-admin',
      },
    ],
    [
      'a contractor',
      { project: 'datalab', env: 'pro', role: 'contractor', contractor: 'acme' },
      DEFAULT_PATTERNS,
      {
        project: 'datalab',
        env: 'pro',
        role: 'contractor-acme',
        groupName: 'corp-datalab-master-contractor-acme',
        policyName: 'Delegated_Roles',
        roleName: 'pro-datalab-delegated-contractor-acme',
        profileName: 'datalab-pro-contractor-acme',
      },
    ],
    [
      'literal overrides',
      {
        project: 'datalab',
        env: 'dev',
        role: 'admin',
        groupName: 'MyGroup',
        policyName: 'MyPolicy',
        delegatedRoleName: 'MyRole',
        profileName: 'my-profile',
      },
      DEFAULT_PATTERNS,
      {
        project: 'datalab',
        env: 'dev',
        role: 'admin',
        groupName: 'MyGroup',
        policyName: 'MyPolicy',
        roleName: 'MyRole',
        profileName: 'my-profile',
      },
    ],
    [
      'one override, the rest from patterns',
      { project: 'datalab', env: 'dev', role: 'admin', policyName: 'Other' },
      DEFAULT_PATTERNS,
      {
        project: 'datalab',
        env: 'dev',
        role: 'admin',
        groupName: 'corp-datalab-master-admin',
        policyName: 'Other',
        roleName: 'dev-datalab-delegated-admin',
        profileName: 'datalab-dev-admin',
      },
    ],
    [
      'custom patterns',
      { project: 'datalab', env: 'dev', role: 'admin' },
      CUSTOM,
      {
        project: 'datalab',
        env: 'dev',
        role: 'admin',
        groupName: 'grp.datalab.admin',
        policyName: 'Assume-dev',
        roleName: 'datalab_dev_admin',
        profileName: 'dev/datalab/admin',
      },
    ],
    [
      'custom patterns with a contractor',
      { project: 'datalab', env: 'dev', role: 'contractor', contractor: 'acme' },
      CUSTOM,
      {
        project: 'datalab',
        env: 'dev',
        role: 'contractor-acme',
        groupName: 'grp.datalab.contractor-acme',
        policyName: 'Assume-dev',
        roleName: 'datalab_dev_contractor-acme',
        profileName: 'dev/datalab/contractor-acme',
      },
    ],
  ])('%s', (_name, request, patterns, expected) => {
    expect(resolveTarget(request, patterns)).toEqual(expected);
  });

  it('uses the default patterns when none are given', () => {
    expect(resolveTarget({ project: 'p', env: 'e', role: 'r' }).roleName).toBe('e-p-delegated-r');
  });

  it.each<[string, TargetRequest, NamingPatterns, string, string]>([
    ['a hostile project', { project: 'x]\naws_access_key_id=EVIL', env: 'dev', role: 'admin' }, DEFAULT_PATTERNS, 'usage', 'invalid project name'],
    ['an empty environment', { project: 'p', env: '', role: 'admin' }, DEFAULT_PATTERNS, 'usage', 'the environment name is empty'],
    ['a role with a space', { project: 'p', env: 'dev', role: 'ad min' }, DEFAULT_PATTERNS, 'usage', 'invalid role name'],
    ['a contractor with #', { project: 'p', env: 'dev', role: 'contractor', contractor: 'a#b' }, DEFAULT_PATTERNS, 'usage', 'invalid contractor name'],
    ['an empty contractor', { project: 'p', env: 'dev', role: 'contractor', contractor: '' }, DEFAULT_PATTERNS, 'usage', 'the contractor name is empty'],
    ['a hostile group override', { project: 'p', env: 'dev', role: 'r', groupName: 'g;x' }, DEFAULT_PATTERNS, 'usage', 'invalid group name'],
    ['a hostile policy override', { project: 'p', env: 'dev', role: 'r', policyName: 'a[b' }, DEFAULT_PATTERNS, 'usage', 'invalid policy name'],
    ['a hostile role override', { project: 'p', env: 'dev', role: 'r', delegatedRoleName: 'a b' }, DEFAULT_PATTERNS, 'usage', 'invalid delegated role name'],
    ['a hostile profile override', { project: 'p', env: 'dev', role: 'r', profileName: 'x]\n[default' }, DEFAULT_PATTERNS, 'usage', 'invalid profile name'],
    ['a rendered role name over 64 characters', { project: 'p'.repeat(50), env: 'dev', role: 'admin' }, DEFAULT_PATTERNS, 'usage', 'the delegated role name'],
    ['an unknown placeholder in a pattern', { project: 'p', env: 'dev', role: 'r' }, { ...DEFAULT_PATTERNS, group: '{team}' }, 'config', 'unknown placeholder {team}'],
    ['a pattern rendering a bad name', { project: 'p', env: 'dev', role: 'r' }, { ...DEFAULT_PATTERNS, group: 'g {role}' }, 'usage', 'invalid group name "g r"'],
  ])('refuses %s', (_name, request, patterns, kind, message) => {
    const error = thrownAnwbisError(() => resolveTarget(request, patterns));
    expect(error.kind).toBe(kind);
    expect(error.message.startsWith(message)).toBe(true);
  });
});

describe('sessionProfileName', () => {
  it.each<[string | undefined, NamingPatterns | undefined, string]>([
    [undefined, undefined, 'corp-session-default'],
    ['corp', undefined, 'corp-session-corp'],
    ['team:a/b', undefined, 'corp-session-team:a/b'],
    ['corp', CUSTOM, 'long-corp'],
    [undefined, CUSTOM, 'long-default'],
  ])('profile %j with %j gives %j', (profile, patterns, expected) => {
    expect(sessionProfileName(profile, patterns)).toBe(expected);
  });

  it.each<[string, string, string]>([
    ['x]\nevil', 'usage', 'invalid profile name "corp-session-x]\\nevil"'],
    ['p'.repeat(120), 'usage', `the profile name "corp-session-${'p'.repeat(120)}" is 133 characters long`],
  ])('refuses source profile %j', (profile, kind, message) => {
    const error = thrownAnwbisError(() => sessionProfileName(profile));
    expect(error.kind).toBe(kind);
    expect(error.message.startsWith(message)).toBe(true);
  });

  it('refuses a session pattern with a placeholder other than {profile}', () => {
    const error = thrownAnwbisError(() => sessionProfileName('corp', { ...DEFAULT_PATTERNS, session: 'corp-{project}' }));
    expect(error.kind).toBe('config');
    expect(error.next).toBe('use {profile}');
  });
});
