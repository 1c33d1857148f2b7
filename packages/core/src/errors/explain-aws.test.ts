import { describe, expect, it } from '@jest/globals';
import { AwsCallError } from '../aws/port.js';
import { AnwbisError } from './errors.js';
import { AWS_FAILURES, awsFailureBehind, awsFailureKind, explainAwsError, mfaRejectedError, type AwsFailureKind } from './explain-aws.js';

const failure = (code: string, status?: number, message = 'm') => new AwsCallError('sts:AssumeRole', code, message, status);

describe('awsFailureKind: the one table of AWS failures', () => {
  it.each<[string, number | undefined, AwsFailureKind]>([
    ['AccessDenied', 403, 'denied'],
    ['AccessDeniedException', 400, 'denied'],
    ['ExpiredToken', 400, 'expired'],
    ['ExpiredTokenException', 400, 'expired'],
    ['RequestExpired', 400, 'expired'],
    ['InvalidClientTokenId', 403, 'unrecognized'],
    ['SignatureDoesNotMatch', 403, 'unrecognized'],
    ['UnrecognizedClientException', 400, 'unrecognized'],
    ['Throttling', 400, 'throttled'],
    ['ThrottlingException', 400, 'throttled'],
    ['TooManyRequestsException', 429, 'throttled'],
    ['RequestLimitExceeded', 503, 'throttled'],
    ['Network', undefined, 'unreachable'],
    ['TimeoutError', undefined, 'unreachable'],
    ['ServiceUnavailable', 503, 'unavailable'],
    ['InternalFailure', 500, 'unavailable'],
    ['SomethingNew', 502, 'unavailable'],
    ['NoSuchEntity', 404, 'missing'],
    ['NoSuchEntityException', 404, 'missing'],
    ['ValidationError', 400, 'other'],
    ['constructor', undefined, 'other'],
  ])('%s (HTTP %s) is %s', (code, status, kind) => {
    expect(awsFailureKind(failure(code, status))).toBe(kind);
  });

  it('tells a rejected MFA code from a denial only for a call that sent one', () => {
    const rejected = failure('AccessDenied', 403, 'MultiFactorAuthentication failed with invalid MFA one time pass code.');
    expect(awsFailureKind(rejected, { mfaCodeSent: true })).toBe('mfa-rejected');
    expect(awsFailureKind(rejected)).toBe('denied');
    expect(awsFailureKind(failure('AccessDenied', 403, 'not authorized on role/dev-mfa-delegated-admin'), { mfaCodeSent: true })).toBe('mfa-rejected');
    expect(awsFailureKind(failure('AccessDenied', 403, 'not authorized'), { mfaCodeSent: true })).toBe('denied');
  });

  it('knows nothing but AWS failures, and finds one however deep it was wrapped', () => {
    expect(awsFailureKind(new Error('disk full'))).toBeUndefined();
    const wrapped = new AnwbisError('aws', 'explained', { cause: new Error('middle', { cause: failure('Throttling') }) });
    expect(awsFailureBehind(wrapped)).toBe('throttled');
    expect(awsFailureBehind(new AnwbisError('config', 'no cause'))).toBeUndefined();
  });

  it('every kind but other and mfa-rejected has codes, and no code has two kinds', () => {
    const codes = Object.values(AWS_FAILURES).flatMap((row) => row.codes);
    expect(new Set(codes).size).toBe(codes.length);
    for (const [kind, row] of Object.entries(AWS_FAILURES)) expect(row.codes.length > 0).toBe(kind !== 'other' && kind !== 'mfa-rejected');
  });
});

describe('explainAwsError: the message, next step and exit code of each kind', () => {
  it.each<[string, number | undefined, AnwbisError['kind'], number, RegExp, RegExp | undefined]>([
    ['AccessDeniedException', 400, 'denied', 4, /^checking failed: access denied \(sts:AssumeRole: AccessDeniedException: m\)$/, undefined],
    ['ExpiredToken', 400, 'config', 3, /^checking failed: the credentials of profile corp have expired$/, /anwbis session --refresh/],
    ['SignatureDoesNotMatch', 403, 'config', 3, /^checking failed: AWS does not recognise the credentials of profile corp/, /aws configure --profile/],
    ['Network', undefined, 'aws', 6, /^checking failed: AWS could not be reached \(m\)$/, /network, proxy or AWS_ENDPOINT_URL/],
    ['Throttling', 400, 'aws', 6, /^checking failed \(sts:AssumeRole: Throttling: m\)$/, undefined],
    ['InternalFailure', 500, 'aws', 6, /^checking failed \(sts:AssumeRole: InternalFailure: m\)$/, undefined],
    ['NoSuchEntity', 404, 'aws', 6, /^checking failed \(sts:AssumeRole: NoSuchEntity: m\)$/, undefined],
    ['ValidationError', 400, 'aws', 6, /^checking failed \(sts:AssumeRole: ValidationError: m\)$/, undefined],
  ])('%s', (code, status, kind, exitCode, message, next) => {
    const explained = explainAwsError(failure(code, status), 'checking', { profile: 'corp' });
    expect({ kind: explained.kind, exitCode: explained.exitCode }).toEqual({ kind, exitCode });
    expect(explained.message).toMatch(message);
    if (next) expect(explained.next).toMatch(next);
    else expect(explained.next).toBeUndefined();
  });

  it('a rejected MFA code exits 5 with what to do', () => {
    const explained = mfaRejectedError(failure('AccessDenied', 403, 'MultiFactorAuthentication failed'));
    expect({ kind: explained.kind, exitCode: explained.exitCode, message: explained.message }).toEqual({ kind: 'mfa', exitCode: 5, message: 'AWS rejected the MFA code' });
    expect(explained.next).toBe('wait for the next code of your MFA device and run again');
  });
});
