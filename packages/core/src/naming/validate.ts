import { AnwbisError, shown } from '../errors/errors.js';

/** Characters IAM allows in user, group, role and policy names. */
const IAM_NAME = /^[A-Za-z0-9+=,.@_-]+$/;
/**
 * Profile names become INI section headers (`[name]`, `[profile name]`): nothing that could end
 * the header, start a comment or a new line, or be trimmed away.
 */
const PROFILE_NAME = /^[A-Za-z0-9+=,.@_:/-]+$/;

export type NameKind = 'project' | 'environment' | 'role' | 'contractor' | 'profile' | 'group' | 'policy' | 'delegated role' | 'session name';

/** The longest name of each kind IAM (or anwbis, for profiles) accepts. */
export const NAME_LIMITS: Readonly<Record<NameKind, number>> = {
  project: 64,
  environment: 64,
  role: 64,
  contractor: 64,
  profile: 128,
  group: 128,
  policy: 128,
  'delegated role': 64,
  'session name': 64,
};

/** Refuses a name IAM (or an INI header, for profiles) would not accept, before anything runs. */
export function assertValidName(kind: NameKind, value: string): void {
  const pattern = kind === 'profile' ? PROFILE_NAME : IAM_NAME;
  const allowed = kind === 'profile' ? 'letters, digits and + = , . @ _ : / -' : 'letters, digits and + = , . @ _ -';
  if (value === '') throw new AnwbisError('usage', `the ${kind} name is empty`);
  if (!pattern.test(value)) {
    throw new AnwbisError('usage', `invalid ${kind} name ${shown(value)}: use only ${allowed}`);
  }
  if (value.length > NAME_LIMITS[kind]) {
    throw new AnwbisError('usage', `the ${kind} name ${shown(value)} is ${value.length} characters long; IAM allows at most ${NAME_LIMITS[kind]}`);
  }
}

/** Whether {@link assertValidName} accepts the name. */
export function isValidName(kind: NameKind, value: string): boolean {
  try {
    assertValidName(kind, value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Turns an IAM user name into a RoleSessionName STS accepts (2–64 of `[\w+=,.@-]`), keeping it
 * recognisable in CloudTrail.
 */
export function toRoleSessionName(name: string): string {
  const cleaned = name.replace(/[^A-Za-z0-9+=,.@_-]/g, '-').slice(0, 64);
  return cleaned.length >= 2 ? cleaned : `anwbis-${cleaned}`.slice(0, 64);
}
