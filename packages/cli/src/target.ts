import { AnwbisError, splitTargetName, type AssumeRequest } from '@anwbis/core';

interface TargetFlagValues {
  project?: string | undefined;
  env?: string | undefined;
  role?: string | undefined;
  target?: string | undefined;
  contractor?: string | undefined;
  externalid?: string | undefined;
  'iam-master-group'?: string | undefined;
  'iam-policy'?: string | undefined;
  'iam-delegated-role'?: string | undefined;
  account?: string | undefined;
  profile?: string | undefined;
  region?: string | undefined;
  nomfa?: boolean | undefined;
  'mfa-serial'?: string | undefined;
}

/** Builds the assume request shared by assume, credential-process, exec, env and configure. */
export function requestFromFlags(flags: TargetFlagValues): AssumeRequest {
  let parts: { project: string; env: string; role: string };
  if (flags.target !== undefined) {
    if (flags.project || flags.env || flags.role) throw new AnwbisError('usage', 'give either --target or -p/-e/-r, not both');
    parts = splitTargetName(flags.target);
  } else if (flags.project && flags.env && flags.role) {
    parts = { project: flags.project, env: flags.env, role: flags.role };
  } else {
    throw new AnwbisError('usage', 'say which role: -p PROJECT -e ENV -r ROLE (or --target PROJECT-ENV-ROLE)');
  }
  if (parts.role === 'contractor' && (!flags.contractor || !flags.externalid)) {
    throw new AnwbisError('usage', `-r contractor needs ${!flags.contractor ? '-c NAME' : '-ext EXTERNAL_ID'}`, {
      next: 'anwbis -p PROJECT -e ENV -r contractor -c NAME -ext EXTERNAL_ID',
    });
  }
  if (flags.contractor && parts.role !== 'contractor') throw new AnwbisError('usage', '-c/--contractor goes with -r contractor');
  return {
    target: {
      ...parts,
      ...(flags.contractor ? { contractor: flags.contractor } : {}),
      ...(flags['iam-master-group'] ? { groupName: flags['iam-master-group'] } : {}),
      ...(flags['iam-policy'] ? { policyName: flags['iam-policy'] } : {}),
      ...(flags['iam-delegated-role'] ? { delegatedRoleName: flags['iam-delegated-role'] } : {}),
    },
    ...(flags.profile ? { sourceProfile: flags.profile } : {}),
    ...(flags.region ? { region: flags.region } : {}),
    ...(flags.nomfa ? { noMfa: true } : {}),
    ...(flags['mfa-serial'] ? { mfaSerial: flags['mfa-serial'] } : {}),
    ...(flags.externalid ? { externalId: flags.externalid } : {}),
    ...(flags.account ? { account: flags.account } : {}),
  };
}
