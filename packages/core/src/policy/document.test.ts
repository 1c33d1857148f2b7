import { describe, it, expect } from '@jest/globals';
import { AnwbisError } from '../errors/errors.js';
import { parsePolicyDocument, type Statement } from './document.js';

const WHERE = 'group corp-datalab-master-admin policy Delegated_Roles';

const ROLE = 'arn:aws:iam::222222222222:role/dev-datalab-delegated-admin';
const POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: ROLE }],
};
const ASSUME: Statement = { effect: 'Allow', actions: ['sts:AssumeRole'], notActions: [], resources: [ROLE], notResources: [], conditional: false };

function failure(raw: string): AnwbisError {
  try {
    parsePolicyDocument(raw, WHERE);
  } catch (error) {
    if (error instanceof AnwbisError) return error;
    throw error;
  }
  throw new Error(`parsePolicyDocument accepted ${raw}`);
}

describe('parsePolicyDocument', () => {
  it.each<[string, string, Statement[]]>([
    ['plain JSON', JSON.stringify(POLICY), [ASSUME]],
    ['plain JSON, indented and padded', `\n  ${JSON.stringify(POLICY, null, 2)}\n`, [ASSUME]],
    // IAM's GetGroupPolicy returns the document URL-encoded (RFC 3986).
    ['URL-encoded JSON as IAM returns it', encodeURIComponent(JSON.stringify(POLICY, null, 4)), [ASSUME]],
    ['URL-encoded JSON with a leading newline', encodeURIComponent(`\n${JSON.stringify(POLICY)}`), [ASSUME]],
    ['a single statement object', JSON.stringify({ ...POLICY, Statement: POLICY.Statement[0] }), [ASSUME]],
    ['no Statement at all', JSON.stringify({ Version: '2012-10-17' }), []],
    ['an empty Statement list', JSON.stringify({ Statement: [] }), []],
    [
      'every field, as strings and lists',
      JSON.stringify({
        Statement: [
          { Effect: 'Deny', NotAction: ['iam:*', 'sts:GetSessionToken'], NotResource: 'arn:aws:iam::1:user/x', Sid: 'x', Condition: {} },
          { Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: [ROLE, '*'] },
        ],
      }),
      [
        { effect: 'Deny', actions: [], notActions: ['iam:*', 'sts:GetSessionToken'], resources: [], notResources: ['arn:aws:iam::1:user/x'], conditional: true },
        { effect: 'Allow', actions: ['sts:AssumeRole', 'sts:TagSession'], notActions: [], resources: [ROLE, '*'], notResources: [], conditional: false },
      ],
    ],
    [
      'URL-encoded role names with + and =',
      encodeURIComponent(JSON.stringify({ Statement: { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: 'arn:aws:iam::1:role/a+b=c' } })),
      [{ effect: 'Allow', actions: ['sts:AssumeRole'], notActions: [], resources: ['arn:aws:iam::1:role/a+b=c'], notResources: [], conditional: false }],
    ],
  ])('parses %s', (_name, raw, expected) => {
    expect(parsePolicyDocument(raw, WHERE)).toEqual(expected);
  });

  it.each([
    ['malformed JSON', '{"Statement": [', 'it is not valid JSON'],
    ['malformed URL encoding', '%7B%ZZ', 'it is not valid JSON'],
    ['an empty document', '', 'it is not valid JSON'],
    ['a JSON list', '[]', 'it is not a JSON object'],
    ['JSON null', 'null', 'it is not a JSON object'],
    ['a statement that is a string', JSON.stringify({ Statement: ['Allow'] }), 'statement 1 is not an object'],
    ['a statement that is null', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, null] }), 'statement 2 is not an object'],
    ['a bad Effect', JSON.stringify({ Statement: [{ Effect: 'Permit', Action: '*', Resource: '*' }] }), 'statement 1 has Effect "Permit"'],
    ['a lower-case Effect', JSON.stringify({ Statement: [{ Effect: 'allow', Action: '*', Resource: '*' }] }), 'statement 1 has Effect "allow"'],
    ['a missing Effect', JSON.stringify({ Statement: [{ Action: '*', Resource: '*' }] }), 'statement 1 has Effect undefined'],
    ['a numeric Action', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 42, Resource: '*' }] }), 'statement 1 has an Action that is not a string or a list of strings'],
    [
      'an Action list with a non-string',
      JSON.stringify({ Statement: [{ Effect: 'Allow', Action: ['sts:AssumeRole', { x: 1 }], Resource: '*' }] }),
      'statement 1 has an Action that is not a string or a list of strings',
    ],
    ['a null NotAction', JSON.stringify({ Statement: [{ Effect: 'Allow', NotAction: null, Resource: '*' }] }), 'statement 1 has a NotAction that is not a string or a list of strings'],
    ['an object Resource', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', Resource: { a: 1 } }] }), 'statement 1 has a Resource that is not a string or a list of strings'],
    ['a numeric NotResource', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: '*', NotResource: [1] }] }), 'statement 1 has a NotResource that is not a string or a list of strings'],
  ])('refuses %s', (_name, raw, why) => {
    const error = failure(raw);
    expect(error.kind).toBe('denied');
    expect(error.message).toBe(`the policy document of ${WHERE} is malformed: ${why}`);
    expect(error.next).toBe('ask the administrators of the corp account to fix the policy');
  });

  it('keeps the parse error as the cause', () => {
    expect(failure('{oops').cause).toBeInstanceOf(SyntaxError);
  });
});
