import { Flags } from '@oclif/core';
import { BROWSER_CHOICES } from '@anwbis/core';
import { spelled, type FLAG_GROUPS } from './argv.js';

/** A group of flags with exactly the names the fast readers know it by (flags/argv.ts). */
type Group<G extends keyof typeof FLAG_GROUPS> = Record<(typeof FLAG_GROUPS)[G][number], unknown>;

/** Flags that pick a delegated role, shared by every command that needs one. */
export const targetFlags = {
  project: Flags.string({ ...spelled('project'), description: 'project name (corp-<project>-master-<role>)', required: true }),
  env: Flags.string({ ...spelled('env'), description: 'environment of the delegated account (dev, pre, pro, …)', required: true }),
  role: Flags.string({ ...spelled('role'), description: 'role name (admin, developer, devops, user, audit, contractor)', required: true }),
  contractor: Flags.string({ ...spelled('contractor'), description: 'contractor name, with -r contractor: uses role contractor-<name>' }),
  externalid: Flags.string({ ...spelled('externalid'), description: 'external id sent to AssumeRole (also -ext)' }),
  'iam-master-group': Flags.string({ ...spelled('iam-master-group'), description: 'corp IAM group to read instead of corp-<project>-master-<role> (also --iam_master_group)' }),
  'iam-policy': Flags.string({ ...spelled('iam-policy'), description: 'inline policy of that group instead of Delegated_Roles (also --iam_policy)' }),
  'iam-delegated-role': Flags.string({ ...spelled('iam-delegated-role'), description: 'delegated role name instead of <env>-<project>-delegated-<role> (also --iam_delegated_role)' }),
  account: Flags.string({ ...spelled('account'), description: 'delegated account id, when the policy grants the role in several accounts' }),
} satisfies Group<'target'>;

/** Flags about the source (corp) credentials and how to call STS. */
export const sourceFlags = {
  profile: Flags.string({ ...spelled('profile'), description: 'corp source profile (default: $AWS_PROFILE, else default)' }),
  region: Flags.string({ ...spelled('region'), description: 'AWS region for the calls and the written profile' }),
  nomfa: Flags.boolean({ ...spelled('nomfa'), description: 'do not send an MFA code (source is a corp session or a machine role)', default: false }),
  'mfa-code': Flags.string({ ...spelled('mfa-code'), description: 'the six-digit MFA code' }),
  'mfa-process': Flags.string({ ...spelled('mfa-process'), description: 'command whose output is the MFA code (run without a shell)' }),
  'mfa-serial': Flags.string({ ...spelled('mfa-serial'), description: 'MFA device ARN (default: your first virtual device)' }),
  verbose: Flags.boolean({ ...spelled('verbose'), description: 'show each AWS call and its duration (secrets redacted)', default: false }),
} satisfies Group<'source'>;

/** Who is using the role, as CloudTrail shows it; `[assume]` in ANWBIS_HOME/config gives the defaults. */
export const sessionTagFlags = {
  'source-identity': Flags.string({ ...spelled('source-identity'),
    helpValue: 'NAME|auto',
    description: 'SourceIdentity sent to AssumeRole, shown in CloudTrail: a name, or auto for your corp user name (default: [assume] source_identity in ANWBIS_HOME/config)',
  }),
  // One value per flag, as --tag K=V --tag K2=V2: a greedy flag would also take the words after it.
  tag: Flags.string({ ...spelled('tag'), helpValue: 'KEY=VALUE', description: 'session tag sent to AssumeRole (repeatable; replaces the same key of [assume] tags)', multipleNonGreedy: true }),
  'transitive-tag': Flags.string({ ...spelled('transitive-tag'),
    helpValue: 'KEY',
    description: 'a --tag or [assume] tags key that stays with the session when it assumes further roles (repeatable)',
    multipleNonGreedy: true,
  }),
} satisfies Group<'sessionTags'>;

/** Flags that open the AWS console, signed in. */
export const consoleFlags = {
  browser: Flags.string({ ...spelled('browser'), description: 'open the AWS console, signed in: firefox, chrome, google-chrome, chromium, default, or link (print the URL)', options: [...BROWSER_CHOICES] }),
  'browser-command': Flags.string({ ...spelled('browser-command'), description: "open the console with this command instead, e.g. 'brave-browser --incognito {url}' (run without a shell)" }),
  destination: Flags.string({ ...spelled('destination'), description: 'console page: a service name (s3, ec2, …) or a console path or URL' }),
  isolate: Flags.boolean({ ...spelled('isolate'), description: 'Chromium-family browsers and Firefox: a separate browser profile per anwbis profile, so accounts stay signed in side by side', default: false }),
} satisfies Group<'console'>;

/** -p/-e/-r as in targetFlags, or --target <project>-<env>-<role>. */
export const targetOrNameFlags = {
  ...targetFlags,
  project: Flags.string({ ...spelled('project'), description: 'project name' }),
  env: Flags.string({ ...spelled('env'), description: 'environment' }),
  role: Flags.string({ ...spelled('role'), description: 'role name' }),
  target: Flags.string({ ...spelled('target'), description: 'the profile name <project>-<env>-<role> instead of -p/-e/-r' }),
};
