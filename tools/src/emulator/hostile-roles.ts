import { AddUserToGroupCommand, CreateGroupCommand, PutGroupPolicyCommand } from '@aws-sdk/client-iam';
import { CORP_ACCOUNT, delegatedRolesPolicy, iamFor } from './scenario.js';

/** The account the hostile role ARNs name. */
export const HOSTILE_ACCOUNT = '600000000001';

/** A row that a role name with a line break in it would add to `anwbis roles` if printed raw. */
export const FORGED_ROW = 'team999  pro  admin  999999999999  team999-pro-admin  valid for 59m';

/**
 * Role names that try to drive the terminal they are shown on. A group policy may name any
 * role ARN (IAM does not check that the role exists), so whoever may edit one writes these.
 */
export const HOSTILE_ROLE_NAMES = {
  /** OSC 52: writes "pwned" to the clipboard (tmux's buffer). */
  clipboard: 'clip\x1b]52;c;cHduZWQ=\x07',
  /** OSC 2: sets the window (pane) title. */
  title: 'title\x1b]2;pwned-title\x1b\\',
  clearScreen: 'clear\x1b[2J\x1b[H',
  /** The 8-bit CSI (C1): clear screen without an ESC. */
  c1: 'csi\u009b2J',
  bell: 'bell\x07',
  /** A right-to-left override: reads as "evil-admin" reversed. */
  bidi: 'bidi\u202enimda-live',
  carriageReturn: `cr\r${FORGED_ROW}`,
  newline: `nl\n${FORGED_ROW}`,
  /** Env and project parse; the role part does not, so the name is listed raw with them. */
  parsedButRole: 'dev-evil-delegated-x\x1b]2;pwned-title\x07',
  /** One absurdly long name: must not widen every row. */
  long: `long${'x'.repeat(5000)}`,
} as const;

/**
 * Role `dev-evil-delegated-admin` (profile evil-dev-admin) in two accounts, so that assuming it
 * fails with a message listing both ARNs; one has a path that sets the title.
 */
export const TWO_ACCOUNT_ARNS = [`arn:aws:iam::${HOSTILE_ACCOUNT}:role/\x1b]2;pwned-title\x07/dev-evil-delegated-admin`, 'arn:aws:iam::600000000002:role/dev-evil-delegated-admin'] as const;

/**
 * Puts `user` in group `corp-evil-master-admin`, whose `Delegated_Roles` policy grants a role
 * ARN for each of {@link HOSTILE_ROLE_NAMES} in {@link HOSTILE_ACCOUNT} and the
 * {@link TWO_ACCOUNT_ARNS}, and returns those ARNs.
 * The long name has a group of its own (`corp-long-master-admin`): with the others it would
 * pass IAM's size limit for an inline group policy.
 */
export async function seedHostileRoles(endpoint: string, user: string, corpAccountId = CORP_ACCOUNT): Promise<string[]> {
  const iam = iamFor(endpoint, corpAccountId);
  const arn = (name: string) => `arn:aws:iam::${HOSTILE_ACCOUNT}:role/${name}`;
  const { long, ...short } = HOSTILE_ROLE_NAMES;
  const groups: Array<[string, string[]]> = [
    ['corp-evil-master-admin', [...Object.values(short).map(arn), ...TWO_ACCOUNT_ARNS]],
    ['corp-long-master-admin', [arn(long)]],
  ];
  try {
    for (const [group, arns] of groups) {
      await iam.send(new CreateGroupCommand({ GroupName: group }));
      await iam.send(new PutGroupPolicyCommand({ GroupName: group, PolicyName: 'Delegated_Roles', PolicyDocument: JSON.stringify(delegatedRolesPolicy(arns)) }));
      await iam.send(new AddUserToGroupCommand({ GroupName: group, UserName: user }));
    }
  } finally {
    iam.destroy();
  }
  return groups.flatMap(([, arns]) => arns);
}
