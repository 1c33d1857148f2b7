import { AnwbisError, shown } from '../errors/errors.js';

/**
 * Splits `--target <project>-<env>-<role>` back into its parts. Only a name of exactly three
 * dash-separated parts is unambiguous; anything else must be given with -p, -e and -r.
 */
export function splitTargetName(target: string): { project: string; env: string; role: string } {
  const parts = target.split('-');
  if (parts.length !== 3 || parts.some((p) => p === '')) {
    throw new AnwbisError('usage', `cannot tell project, environment and role apart in --target ${shown(target)}`, {
      next: 'give them with -p PROJECT -e ENV -r ROLE',
    });
  }
  const [project, env, role] = parts as [string, string, string];
  return { project, env, role };
}
