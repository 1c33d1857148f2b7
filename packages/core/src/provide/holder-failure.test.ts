import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsCallError } from '../aws/port.js';
import { AnwbisError } from '../errors/errors.js';
import { explainAwsError } from '../errors/explain-aws.js';
import { holderFailureSince, isUnreachable, noteHolderFailure } from './holder-failure.js';

describe('a holder that found AWS unreachable, for the callers waiting for it', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'anwbis-failure-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const silent = explainAwsError(new AwsCallError('sts:AssumeRole', 'Network', 'http://127.0.0.1:1/ did not answer within 30 s (3 attempts)'), 'assuming r');

  it('is told to a caller that was waiting when it failed, with its message and next step', async () => {
    const since = Date.now();
    await noteHolderFailure(home, 'credentials-p', 'key', silent);
    expect(holderFailureSince(home, 'credentials-p', 'key', since)).toEqual({ kind: 'aws', message: silent.message, next: silent.next });
  });

  it('is not told to a caller that came after it, to another request or another lock', async () => {
    await noteHolderFailure(home, 'credentials-p', 'key', silent);
    expect(holderFailureSince(home, 'credentials-p', 'key', Date.now() + 1)).toBeUndefined();
    expect(holderFailureSince(home, 'credentials-p', 'other key', 0)).toBeUndefined();
    expect(holderFailureSince(home, 'credentials-q', 'key', 0)).toBeUndefined();
  });

  it.each([
    ['AWS not reached', silent, true],
    ['a timeout', explainAwsError(new AwsCallError('sts:AssumeRole', 'TimeoutError', 't'), 's'), true],
    ['AWS said no', explainAwsError(new AwsCallError('sts:AssumeRole', 'AccessDenied', 'no'), 's'), false],
    ['anything else', new AnwbisError('aws', 'x'), false],
  ])('%s: told to the waiters instead of their own try (%s)', (_name, error, told) => {
    expect(isUnreachable(error)).toBe(told);
  });
});
