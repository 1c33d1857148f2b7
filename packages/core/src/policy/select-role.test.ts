import { describe, it, expect } from '@jest/globals';
import { AnwbisError } from '../errors/errors.js';
import { resolveTarget } from '../naming/patterns.js';
import { selectRoleArn } from './select-role.js';
import { chooseMfaSerial } from '../mfa/device.js';

const TARGET = resolveTarget({ project: 'datalab', env: 'dev', role: 'admin' });
const ROLE = TARGET.roleName;
const A = '222222222222';
const B = '333333333333';
const arnIn = (account: string, partition = 'aws'): string => `arn:${partition}:iam::${account}:role/${ROLE}`;
const WHERE = 'group corp-datalab-master-admin policy Delegated_Roles';

const policy = (...statements: Array<{ Effect: string; Action?: string | string[]; Resource?: string | string[] }>): string =>
  encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: statements }));
const allow = (...resources: string[]) => ({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: resources });
const deny = (...resources: string[]) => ({ Effect: 'Deny', Action: 'sts:AssumeRole', Resource: resources });

function failure(document: string, account?: string, partition = 'aws'): AnwbisError {
  try {
    selectRoleArn(document, TARGET, { partition, project: 'datalab', ...(account !== undefined ? { account } : {}) });
  } catch (error) {
    if (error instanceof AnwbisError) return error;
    throw error;
  }
  throw new Error('selectRoleArn chose a role');
}

describe('selectRoleArn', () => {
  it.each<[string, string, string | undefined, string, string]>([
    ['one ARN', policy(allow(arnIn(A))), undefined, 'aws', arnIn(A)],
    ['one ARN among other roles', policy(allow(`arn:aws:iam::${B}:role/${ROLE}2`, arnIn(A))), undefined, 'aws', arnIn(A)],
    ['one ARN, --account agreeing', policy(allow(arnIn(A))), A, 'aws', arnIn(A)],
    ['several accounts, --account choosing', policy(allow(arnIn(A), arnIn(B))), B, 'aws', arnIn(B)],
    ['several accounts, one denied', policy(allow(arnIn(A), arnIn(B)), deny(arnIn(A))), undefined, 'aws', arnIn(B)],
    ['a name wildcard in one account', policy(allow(`arn:aws:iam::${A}:role/dev-*-delegated-admin`)), undefined, 'aws', arnIn(A)],
    ['an IAM path', policy(allow(`arn:aws:iam::${A}:role/team/${ROLE}`)), undefined, 'aws', `arn:aws:iam::${A}:role/team/${ROLE}`],
    ['* with --account', policy(allow('*')), B, 'aws', arnIn(B)],
    ['an account wildcard with --account', policy(allow(`arn:aws:iam::*:role/${ROLE}`)), B, 'aws', arnIn(B)],
    ['an account wildcard with --account keeps the path', policy(allow(`arn:aws:iam::*:role/team/${ROLE}`)), B, 'aws', `arn:aws:iam::${B}:role/team/${ROLE}`],
    ['an account wildcard with --account in aws-cn', policy(allow(`arn:aws-cn:iam::*:role/${ROLE}`)), B, 'aws-cn', arnIn(B, 'aws-cn')],
    ['a concrete ARN and an account wildcard, --account elsewhere', policy(allow(arnIn(A), `arn:aws:iam::*:role/${ROLE}`)), B, 'aws', arnIn(B)],
    ['a concrete ARN and an account wildcard, no --account', policy(allow(arnIn(A), `arn:aws:iam::*:role/${ROLE}`)), undefined, 'aws', arnIn(A)],
    ['plain JSON', JSON.stringify({ Statement: allow(arnIn(A)) }), undefined, 'aws', arnIn(A)],
  ])('%s', (_name, document, account, partition, expected) => {
    expect(selectRoleArn(document, TARGET, { partition, project: 'datalab', ...(account !== undefined ? { account } : {}) })).toBe(expected);
  });

  it('refuses several accounts without --account, listing them', () => {
    const error = failure(policy(allow(arnIn(A)), allow(arnIn(B))));
    expect(error.kind).toBe('usage');
    expect(error.message).toBe(`role ${ROLE} is granted in several accounts by ${WHERE}:\n  ${arnIn(A)}\n  ${arnIn(B)}`);
    expect(error.next).toBe(`pick one with --account ${A}`);
  });

  it('refuses an account-open grant without --account', () => {
    const error = failure(policy(allow('*', `arn:aws:iam::*:role/${ROLE}`)));
    expect(error.kind).toBe('usage');
    expect(error.message).toBe(`${WHERE} allows ${ROLE} in any account (*, arn:aws:iam::*:role/${ROLE})`);
    expect(error.next).toBe('say which account with --account ID');
  });

  it.each<[string, string, string | undefined, string]>([
    ['an empty policy', policy(), undefined, ''],
    ['another role only', policy(allow(`arn:aws:iam::${A}:role/${ROLE}2`, `arn:aws:iam::${A}:role/pre${ROLE}`)), undefined, ''],
    ['another action only', policy({ Effect: 'Allow', Action: 'sts:GetSessionToken', Resource: arnIn(A) }), undefined, ''],
    ['an ARN that is denied', policy(allow(arnIn(A)), deny(arnIn(A))), undefined, ''],
    ['an ARN in another partition', policy(allow(arnIn(A, 'aws-cn'))), undefined, ''],
    ['--account where it is not granted', policy(allow(arnIn(A))), B, ` in account ${B} (granted in ${A})`],
    ['--account where two others are granted', policy(allow(arnIn(A), `arn:aws:iam::444444444444:role/${ROLE}`)), B, ` in account ${B} (granted in ${A}, 444444444444)`],
    ['--account denied in an account-open grant', policy(allow('*'), deny(arnIn(B))), B, ''],
    ['--account outside a partial account wildcard', policy(allow(`arn:aws:iam::2222*:role/${ROLE}`)), B, ''],
  ])('says "not authorized" for %s', (_name, document, account, elsewhere) => {
    const error = failure(document, account);
    expect(error.kind).toBe('denied');
    expect(error.message).toBe(`not authorized to use role admin for project datalab${elsewhere}: no ${ROLE} in ${WHERE}`);
    expect(error.next).toBe(`ask the corp account administrators to add "${ROLE}" to Delegated_Roles of corp-datalab-master-admin, or check -p/-e/-r`);
  });

  it('names the contractor role, group and policy of the target', () => {
    const target = resolveTarget({ project: 'datalab', env: 'pro', role: 'contractor', contractor: 'acme', policyName: 'Other' });
    let error: unknown;
    try {
      selectRoleArn(policy(allow(arnIn(A))), target, { partition: 'aws', project: 'datalab' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AnwbisError);
    expect((error as AnwbisError).message).toBe(
      'not authorized to use role contractor-acme for project datalab: no pro-datalab-delegated-contractor-acme in group corp-datalab-master-contractor-acme policy Other',
    );
  });

  it('reports a malformed policy naming the group and policy', () => {
    const error = failure('%7B%22Statement');
    expect(error.kind).toBe('denied');
    expect(error.message).toBe(`the policy document of ${WHERE} is malformed: it is not valid JSON`);
  });
});

describe('chooseMfaSerial', () => {
  it.each<[string, string[], string | undefined]>([
    ['no device', [], undefined],
    ['one virtual device', ['arn:aws:iam::111111111111:mfa/alice'], 'arn:aws:iam::111111111111:mfa/alice'],
    ['one hardware device', ['GAHT12345678'], 'GAHT12345678'],
    ['a hardware device before a virtual one', ['GAHT12345678', 'arn:aws:iam::111111111111:mfa/alice'], 'arn:aws:iam::111111111111:mfa/alice'],
    ['two virtual devices', ['arn:aws:iam::111111111111:mfa/phone', 'arn:aws:iam::111111111111:mfa/laptop'], 'arn:aws:iam::111111111111:mfa/phone'],
    ['two hardware devices', ['GAHT1', 'GAHT2'], 'GAHT1'],
    ['only a FIDO security key', ['arn:aws:iam::111111111111:u2f/user/alice/key-ABC'], undefined],
    ['a FIDO key before a virtual device', ['arn:aws:iam::111111111111:u2f/user/alice/key-ABC', 'arn:aws:iam::111111111111:mfa/alice'], 'arn:aws:iam::111111111111:mfa/alice'],
    ['a virtual device in aws-cn', ['GAHT1', 'arn:aws-cn:iam::111111111111:mfa/alice'], 'arn:aws-cn:iam::111111111111:mfa/alice'],
  ])('%s', (_name, serials, expected) => {
    expect(chooseMfaSerial(serials)).toBe(expected);
  });
});
