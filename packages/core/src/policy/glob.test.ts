import { describe, expect, it } from '@jest/globals';
import { globMatches } from './glob.js';

describe('globMatches', () => {
  it.each<[string, string, boolean, boolean]>([
    ['arn:aws:iam::222222222222:role/dev-datalab-delegated-admin', 'arn:aws:iam::222222222222:role/dev-datalab-delegated-admin', true, false],
    ['arn:aws:iam::222222222222:role/dev-datalab-delegated-admin', 'arn:aws:iam::222222222222:role/dev-datalab-delegated-admins', false, false],
    ['arn:aws:iam::222222222222:role/Dev-datalab-delegated-admin', 'arn:aws:iam::222222222222:role/dev-datalab-delegated-admin', false, false],
    ['sts:AssumeRole', 'sts:assumerole', true, true],
    ['sts:AssumeRole', 'sts:assumerole', false, false],
    ['arn:aws:iam::*:role/dev-*', 'arn:aws:iam::222222222222:role/dev-datalab-delegated-admin', true, false],
    ['arn:aws:iam::*:role/dev-*', 'arn:aws:iam::222222222222:role/pro-datalab-delegated-admin', false, false],
    ['sts:Assume*', 'sts:assumerole', true, true],
    ['role/dev-?', 'role/dev-a', true, false],
    ['role/dev-?', 'role/dev-ab', false, false],
    ['role/a.b', 'role/aXb', false, false],
    ['*', '', true, false],
    ['', '', true, false],
  ])('%s against %s: %s (ignoring case: %s)', (pattern, value, expected, ignoreCase) => {
    expect(globMatches(pattern, value, { ignoreCase })).toBe(expected);
  });
});
