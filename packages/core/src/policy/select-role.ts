import { AnwbisError, shown } from '../errors/errors.js';
import { sanitizeRemoteText } from '../errors/sanitize.js';
import { accountOfArn, findRoleGrants } from './delegated-roles.js';
import { parsePolicyDocument } from './document.js';
import type { Target } from '../naming/patterns.js';

/**
 * Chooses the one delegated role ARN a group policy grants for a target, or explains why not.
 * `options.where` names the policy in messages (default: the corp group's).
 * @param account the `--account` choice when several accounts (or any account) match.
 */
export function selectRoleArn(
  document: string,
  target: Target,
  options: { partition: string; account?: string; project: string; where?: string },
): string {
  const where = options.where ?? `group ${target.groupName} policy ${target.policyName}`;
  const grants = findRoleGrants(parsePolicyDocument(document, where), target.roleName, options.partition, options.account || undefined);
  const inAccount = options.account ? grants.arns.filter((arn) => accountOfArn(arn) === options.account) : grants.arns;
  if (inAccount.length === 1) return inAccount[0]!;
  if (inAccount.length > 1) {
    throw new AnwbisError('usage', `role ${target.roleName} is granted in several accounts by ${where}:\n${inAccount.map((a) => `  ${sanitizeRemoteText(a)}`).join('\n')}`, {
      next: `pick one with --account ${accountOfArn(inAccount[0]!)}`,
    });
  }
  if (grants.anyAccount.length > 0 && !options.account) {
    throw new AnwbisError('usage', `${where} allows ${target.roleName} in any account (${grants.anyAccount.join(', ')})`, {
      next: 'say which account with --account ID',
    });
  }
  const elsewhere = options.account && grants.arns.length > 0 ? ` in account ${options.account} (granted in ${grants.arns.map(accountOfArn).join(', ')})` : '';
  throw new AnwbisError('denied', `not authorized to use role ${target.role} for project ${target.project}${elsewhere}: no ${target.roleName} in ${where}`, {
    next: `ask the corp account administrators to add ${shown(target.roleName)} to ${target.policyName} of ${target.groupName}, or check -p/-e/-r`,
  });
}
