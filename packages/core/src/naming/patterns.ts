import { AnwbisError, shown } from '../errors/errors.js';
import { assertValidName } from './validate.js';
import { parsePattern } from './parse.js';

/** How corp groups, policies, delegated roles and profiles are named. */
export interface NamingPatterns {
  readonly group: string;
  readonly policy: string;
  readonly role: string;
  readonly profile: string;
  readonly session: string;
}

/** The convention of the original anwbis. */
export const DEFAULT_PATTERNS: NamingPatterns = {
  group: 'corp-{project}-master-{role}',
  policy: 'Delegated_Roles',
  role: '{env}-{project}-delegated-{role}',
  profile: '{project}-{env}-{role}',
  session: 'corp-session-{profile}',
};

const PLACEHOLDER = /\{([a-z]+)\}/g;

/** Fills `{project}`, `{env}`, `{role}`, `{profile}` in a pattern; an unknown placeholder is an error. */
export function renderPattern(pattern: string, values: Readonly<Record<string, string>>): string {
  return pattern.replace(PLACEHOLDER, (whole, key: string) => {
    const value = Object.hasOwn(values, key) ? values[key] : undefined;
    if (value === undefined) {
      throw new AnwbisError('config', `unknown placeholder ${whole} in naming pattern ${shown(pattern)}`, {
        next: `use ${Object.keys(values).map((k) => `{${k}}`).join(', ')}`,
      });
    }
    return value;
  });
}

/** What the user asked for: `-p`, `-e`, `-r` and the contractor name. */
export interface TargetRequest {
  readonly project: string;
  readonly env: string;
  readonly role: string;
  readonly contractor?: string;
  /** Literal names from `--iam_master_group`, `--iam_policy`, `--iam_delegated_role`. */
  readonly groupName?: string;
  readonly policyName?: string;
  readonly delegatedRoleName?: string;
  /** Profile to write instead of the pattern's. */
  readonly profileName?: string;
}

/** Every name one assume needs, resolved and validated. */
export interface Target {
  readonly project: string;
  readonly env: string;
  /** The role as it appears in names: `admin`, or `contractor-<name>`. */
  readonly role: string;
  readonly groupName: string;
  readonly policyName: string;
  readonly roleName: string;
  readonly profileName: string;
}

/**
 * Resolves a request into names. All user input is validated here, before any file is read
 * or AWS is called.
 */
export function resolveTarget(request: TargetRequest, patterns: NamingPatterns = DEFAULT_PATTERNS): Target {
  assertValidName('project', request.project);
  assertValidName('environment', request.env);
  assertValidName('role', request.role);
  let role = request.role;
  if (request.contractor !== undefined) {
    assertValidName('contractor', request.contractor);
    role = `contractor-${request.contractor}`;
  }
  const values = { project: request.project, env: request.env, role };
  const target: Target = {
    project: request.project,
    env: request.env,
    role,
    groupName: request.groupName ?? renderPattern(patterns.group, values),
    policyName: request.policyName ?? renderPattern(patterns.policy, values),
    roleName: request.delegatedRoleName ?? renderPattern(patterns.role, values),
    profileName: request.profileName ?? renderPattern(patterns.profile, values),
  };
  assertValidName('group', target.groupName);
  assertValidName('policy', target.policyName);
  assertValidName('delegated role', target.roleName);
  assertValidName('profile', target.profileName);
  return target;
}

/** The corp-session profile for a source profile (`corp-session-default` without one). */
export function sessionProfileName(sourceProfile: string | undefined, patterns: NamingPatterns = DEFAULT_PATTERNS): string {
  const name = renderPattern(patterns.session, { profile: sourceProfile ?? 'default' });
  assertValidName('profile', name);
  return name;
}

/**
 * The corp profile behind a source as asked: `corp-session-corp` is the session of `corp`, so
 * both name one source identity in request keys. Any other name is its own corp profile.
 */
export function corpProfileOf(sourceProfile: string, patterns: NamingPatterns): string {
  return parsePattern(patterns.session, sourceProfile, ['profile'])?.profile ?? sourceProfile;
}
