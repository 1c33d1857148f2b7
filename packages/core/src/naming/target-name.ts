import { AnwbisError, shown } from '../errors/errors.js';
import { DEFAULT_PATTERNS } from './patterns.js';
import { parsePattern } from './parse.js';

/**
 * Splits `--target <profile name>` back into project, environment and role with the profile
 * naming pattern in force (`{project}-{env}-{role}` unless the settings change it), so that
 * `--target` names exactly the role `-p/-e/-r` would. A name the pattern cannot read one way
 * only must be given with -p, -e and -r.
 */
export function splitTargetName(target: string, profilePattern: string = DEFAULT_PATTERNS.profile): { project: string; env: string; role: string } {
  const parts = parsePattern(profilePattern, target, ['project', 'env', 'role']);
  if (!parts?.project || !parts.env || !parts.role) {
    throw new AnwbisError('usage', `cannot tell project, environment and role apart in --target ${shown(target)} (profile pattern ${profilePattern})`, {
      next: 'give them with -p PROJECT -e ENV -r ROLE',
    });
  }
  return { project: parts.project, env: parts.env, role: parts.role };
}
