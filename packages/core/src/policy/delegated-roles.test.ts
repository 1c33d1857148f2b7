import { describe, it, expect } from '@jest/globals';
import type { Statement } from './document.js';
import { accountOfArn, findRoleGrants, type RoleGrants } from './delegated-roles.js';

const ROLE = 'dev-x-delegated-admin';
const A = '222222222222';
const B = '333333333333';
const arnIn = (account: string, name = ROLE, partition = 'aws'): string => `arn:${partition}:iam::${account}:role/${name}`;

type Fields = Partial<Omit<Statement, 'effect'>>;
const statement = (effect: Statement['effect'], fields: Fields): Statement => ({
  effect,
  actions: [],
  notActions: [],
  resources: [],
  notResources: [],
  conditional: false,
  ...fields,
});
const allow = (resources: string | string[], actions: string | string[] = 'sts:AssumeRole'): Statement =>
  statement('Allow', { actions: [actions].flat(), resources: [resources].flat() });
const deny = (resources: string | string[], actions: string | string[] = 'sts:AssumeRole'): Statement =>
  statement('Deny', { actions: [actions].flat(), resources: [resources].flat() });
const grants = (arns: string[], anyAccount: string[] = []): RoleGrants => ({ arns, anyAccount });

describe('findRoleGrants', () => {
  describe('actions', () => {
    it.each([
      ['sts:AssumeRole', true],
      ['STS:assumerole', true],
      ['sts:assumeRole', true],
      ['sts:*', true],
      ['*', true],
      ['sts:Assume*', true],
      ['sts:AssumeRol?', true],
      ['STS:ASSUME*', true],
      ['sts:AssumeRoleWithSAML', false],
      ['sts:AssumeRoleWithWebIdentity', false],
      ['sts:GetSessionToken', false],
      ['iam:*', false],
      ['s3:*', false],
      ['sts:AssumeRole ', false],
    ])('Action %j grants: %s', (action, granted) => {
      expect(findRoleGrants([allow(arnIn(A), action)], ROLE)).toEqual(grants(granted ? [arnIn(A)] : []));
      expect(findRoleGrants([allow(arnIn(A), [action])], ROLE)).toEqual(grants(granted ? [arnIn(A)] : []));
    });

    it('grants when any Action in a list covers AssumeRole', () => {
      expect(findRoleGrants([allow(arnIn(A), ['s3:GetObject', 'sts:AssumeRole'])], ROLE)).toEqual(grants([arnIn(A)]));
    });

    it.each([
      [['iam:*'], true],
      [['s3:*', 'ec2:*'], true],
      [['sts:AssumeRole'], false],
      [['sts:*'], false],
      [['iam:*', 'STS:Assume*'], false],
      [['*'], false],
    ])('NotAction %j grants: %s', (notActions, granted) => {
      expect(findRoleGrants([statement('Allow', { notActions, resources: [arnIn(A)] })], ROLE)).toEqual(grants(granted ? [arnIn(A)] : []));
    });

    it('ignores a statement with neither Action nor NotAction', () => {
      expect(findRoleGrants([statement('Allow', { resources: [arnIn(A)] })], ROLE)).toEqual(grants([]));
    });
  });

  describe('resources', () => {
    it.each<[string, string | string[], string[], string[]]>([
      ['an exact ARN', arnIn(A), [arnIn(A)], []],
      ['an ARN in a list', ['arn:aws:iam::1:role/other', arnIn(A)], [arnIn(A)], []],
      ['a longer name', `arn:aws:iam::${A}:role/${ROLE}2`, [], []],
      ['a name with a prefix', `arn:aws:iam::${A}:role/pre${ROLE}`, [], []],
      ['a name inside another', `arn:aws:iam::${A}:role/pre${ROLE}-x`, [], []],
      ['a different case', `arn:aws:iam::${A}:role/${ROLE.toUpperCase()}`, [], []],
      ['an IAM path', `arn:aws:iam::${A}:role/team/${ROLE}`, [`arn:aws:iam::${A}:role/team/${ROLE}`], []],
      ['a deep IAM path', `arn:aws:iam::${A}:role/a/b/${ROLE}`, [`arn:aws:iam::${A}:role/a/b/${ROLE}`], []],
      ['a path whose last segment only contains the name', `arn:aws:iam::${A}:role/team/x${ROLE}`, [], []],
      ['the name as a path segment', `arn:aws:iam::${A}:role/${ROLE}/other`, [], []],
      ['a wildcard in the name', `arn:aws:iam::${A}:role/dev-*-delegated-admin`, [arnIn(A)], []],
      ['a ? wildcard in the name', `arn:aws:iam::${A}:role/dev-?-delegated-admin`, [arnIn(A)], []],
      ['a wildcard that does not cover the name', `arn:aws:iam::${A}:role/pro-*-delegated-admin`, [], []],
      ['a wildcard for every role', `arn:aws:iam::${A}:role/*`, [arnIn(A)], []],
      ['a wildcard with a literal path', `arn:aws:iam::${A}:role/team/*`, [`arn:aws:iam::${A}:role/team/${ROLE}`], []],
      ['a wildcard over the whole resource', `arn:aws:iam::${A}:*`, [arnIn(A)], []],
      ['a wildcard over the resource type', `arn:aws:iam::${A}:role*`, [arnIn(A)], []],
      ['a wildcard service and region', `arn:aws:*:*:${A}:role/${ROLE}`, [arnIn(A)], []],
      ['an account wildcard', `arn:aws:iam::*:role/${ROLE}`, [], [`arn:aws:iam::*:role/${ROLE}`]],
      ['an account wildcard and a name wildcard', 'arn:aws:iam::*:role/dev-*', [], ['arn:aws:iam::*:role/dev-*']],
      ['a partial account wildcard', `arn:aws:iam::2222*:role/${ROLE}`, [], [`arn:aws:iam::2222*:role/${ROLE}`]],
      ['everything', '*', [], ['*']],
      ['an sts ARN', `arn:aws:sts::${A}:role/${ROLE}`, [], []],
      ['an s3 ARN', `arn:aws:s3:::${ROLE}`, [], []],
      ['a user ARN', `arn:aws:iam::${A}:user/${ROLE}`, [], []],
      ['an ARN with a region', `arn:aws:iam:eu-west-1:${A}:role/${ROLE}`, [], []],
      ['a resource that is not an ARN', ROLE, [], []],
      ['a truncated ARN', `arn:aws:iam::${A}`, [], []],
    ])('%s', (_name, resources, arns, anyAccount) => {
      expect(findRoleGrants([allow(resources)], ROLE)).toEqual(grants(arns, anyAccount));
    });

    it('never yields an ARN with a wildcard in it', () => {
      expect(findRoleGrants([allow(`arn:aws:iam::${A}:role/*/${ROLE}`)], ROLE)).toEqual(grants([]));
    });

    it('collects several accounts once each, in policy order', () => {
      const statements = [allow([arnIn(B), arnIn(A)]), allow(`arn:aws:iam::${B}:role/dev-*`), allow(arnIn(A, 'other'))];
      expect(findRoleGrants(statements, ROLE)).toEqual(grants([arnIn(B), arnIn(A)]));
    });

    it('keeps concrete ARNs and account-open resources apart', () => {
      expect(findRoleGrants([allow([arnIn(A), '*', `arn:aws:iam::*:role/${ROLE}`])], ROLE)).toEqual(grants([arnIn(A)], ['*', `arn:aws:iam::*:role/${ROLE}`]));
    });
  });

  describe('partitions', () => {
    it.each<[string, string, string[]]>([
      ['a partition wildcard, in aws', 'aws', [arnIn(A)]],
      ['a partition wildcard, in aws-cn', 'aws-cn', [arnIn(A, ROLE, 'aws-cn')]],
      ['a partition wildcard, in aws-us-gov', 'aws-us-gov', [arnIn(A, ROLE, 'aws-us-gov')]],
    ])('%s', (_name, partition, arns) => {
      expect(findRoleGrants([allow(`arn:*:iam::${A}:role/${ROLE}`)], ROLE, partition)).toEqual(grants(arns));
    });

    it.each<[string, string, string, string[]]>([
      ['an aws-cn ARN in aws-cn', arnIn(A, ROLE, 'aws-cn'), 'aws-cn', [arnIn(A, ROLE, 'aws-cn')]],
      ['an aws-us-gov ARN in aws-us-gov', arnIn(A, ROLE, 'aws-us-gov'), 'aws-us-gov', [arnIn(A, ROLE, 'aws-us-gov')]],
      ['an aws-cn ARN in aws', arnIn(A, ROLE, 'aws-cn'), 'aws', []],
      ['an aws ARN in aws-us-gov', arnIn(A), 'aws-us-gov', []],
      ['an aws-c* ARN in aws-us-gov', arnIn(A, ROLE, 'aws-c*'), 'aws-us-gov', []],
      ['an aws* ARN in aws-us-gov', arnIn(A, ROLE, 'aws*'), 'aws-us-gov', [arnIn(A, ROLE, 'aws-us-gov')]],
    ])('%s: %s', (_name, resource, partition, arns) => {
      expect(findRoleGrants([allow(resource)], ROLE, partition)).toEqual(grants(arns));
    });
  });

  describe('Deny', () => {
    it.each<[string, Statement[], string[]]>([
      ['an exact Deny removes the ARN', [allow([arnIn(A), arnIn(B)]), deny(arnIn(A))], [arnIn(B)]],
      ['a Deny before the Allow counts too', [deny(arnIn(A)), allow([arnIn(A), arnIn(B)])], [arnIn(B)]],
      ['a Deny of sts:* removes it', [allow(arnIn(A)), deny(arnIn(A), 'sts:*')], []],
      ['a Deny in any case removes it', [allow(arnIn(A)), deny(arnIn(A), 'STS:ASSUMEROLE')], []],
      ['a wildcard Deny removes it', [allow([arnIn(A), arnIn(B)]), deny(`arn:aws:iam::${A}:role/*`)], [arnIn(B)]],
      ['a Deny of * removes everything', [allow([arnIn(A), arnIn(B)]), deny('*')], []],
      ['a Deny of another action keeps it', [allow(arnIn(A)), deny(arnIn(A), 'sts:GetSessionToken')], [arnIn(A)]],
      ['a Deny of another role keeps it', [allow(arnIn(A)), deny(arnIn(A, `${ROLE}2`))], [arnIn(A)]],
      ['a Deny with NotResource of the ARN keeps it', [allow(arnIn(A)), statement('Deny', { actions: ['sts:AssumeRole'], notResources: [arnIn(A)] })], [arnIn(A)]],
      [
        'a Deny with NotResource of another ARN removes it',
        [allow([arnIn(A), arnIn(B)]), statement('Deny', { actions: ['sts:AssumeRole'], notResources: [arnIn(B)] })],
        [arnIn(B)],
      ],
      ['a Deny with NotAction sparing AssumeRole keeps it', [allow(arnIn(A)), statement('Deny', { notActions: ['sts:AssumeRole'], resources: ['*'] })], [arnIn(A)]],
      ['a Deny with NotAction of other actions removes it', [allow(arnIn(A)), statement('Deny', { notActions: ['iam:*'], resources: ['*'] })], []],
      ['a Deny of the path removes a path ARN', [allow(`arn:aws:iam::${A}:role/team/${ROLE}`), deny(`arn:aws:iam::${A}:role/team/*`)], []],
      ['a Deny of the pathless ARN keeps a path ARN', [allow(`arn:aws:iam::${A}:role/team/${ROLE}`), deny(arnIn(A))], [`arn:aws:iam::${A}:role/team/${ROLE}`]],
    ])('%s', (_name, statements, arns) => {
      expect(findRoleGrants(statements, ROLE).arns).toEqual(arns);
    });
  });

  describe('an account chosen for account-open resources', () => {
    it.each<[string, Statement[], string[], string[]]>([
      ['* yields the role in that account', [allow('*')], [arnIn(B)], ['*']],
      ['an account wildcard yields the role in that account', [allow(`arn:aws:iam::*:role/${ROLE}`)], [arnIn(B)], [`arn:aws:iam::*:role/${ROLE}`]],
      ['an account wildcard keeps the path', [allow(`arn:aws:iam::*:role/team/${ROLE}`)], [`arn:aws:iam::${B}:role/team/${ROLE}`], [`arn:aws:iam::*:role/team/${ROLE}`]],
      ['a partial account wildcard that covers the account', [allow(`arn:aws:iam::3333*:role/${ROLE}`)], [arnIn(B)], [`arn:aws:iam::3333*:role/${ROLE}`]],
      ['a partial account wildcard that does not cover it', [allow(`arn:aws:iam::2222*:role/${ROLE}`)], [], [`arn:aws:iam::2222*:role/${ROLE}`]],
      ['a Deny in that account removes it', [allow(`arn:aws:iam::*:role/${ROLE}`), deny(arnIn(B))], [], [`arn:aws:iam::*:role/${ROLE}`]],
      ['a Deny in another account keeps it', [allow(`arn:aws:iam::*:role/${ROLE}`), deny(arnIn(A))], [arnIn(B)], [`arn:aws:iam::*:role/${ROLE}`]],
      ['concrete ARNs in other accounts stay', [allow([arnIn(A), '*'])], [arnIn(A), arnIn(B)], ['*']],
    ])('%s', (_name, statements, arns, anyAccount) => {
      expect(findRoleGrants(statements, ROLE, 'aws', B)).toEqual(grants(arns, anyAccount));
    });

    it('uses the given partition for *', () => {
      expect(findRoleGrants([allow('*')], ROLE, 'aws-cn', B).arns).toEqual([arnIn(B, ROLE, 'aws-cn')]);
    });
  });
});

describe('accountOfArn', () => {
  it.each([
    [arnIn(A), A],
    [`arn:aws:iam::${A}:role/team/${ROLE}`, A],
    [`arn:aws-cn:iam::${B}:role/x`, B],
    ['not-an-arn', ''],
    ['arn:aws:iam::1', ''],
  ])('%s is in account %j', (arn, account) => {
    expect(accountOfArn(arn)).toBe(account);
  });
});

describe('findRoleGrants with conditional statements', () => {
  const arn = 'arn:aws:iam::222222222222:role/dev-datalab-delegated-admin';
  it('keeps an ARN that only a conditional Deny covers, since AWS decides at call time', () => {
    const conditionalDeny: Statement = { ...deny(arn), conditional: true };
    expect(findRoleGrants([allow(arn), conditionalDeny], 'dev-datalab-delegated-admin').arns).toEqual([arn]);
  });
  it('drops an ARN that an unconditional Deny covers', () => {
    expect(findRoleGrants([allow(arn), deny(arn)], 'dev-datalab-delegated-admin').arns).toEqual([]);
  });
});
