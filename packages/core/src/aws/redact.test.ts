import { describe, it, expect } from '@jest/globals';
import { redact } from './redact.js';

const R = '<redacted>';

describe('redact', () => {
  it.each<[string, unknown, unknown]>([
    ['a string', 'SecretAccessKey', 'SecretAccessKey'],
    ['a number', 42, 42],
    ['null', null, null],
    ['undefined', undefined, undefined],
    ['a date', new Date('2025-01-01T00:00:00Z'), '2025-01-01T00:00:00.000Z'],
    [
      'an AssumeRole request',
      { RoleArn: 'arn:aws:iam::1:role/r', RoleSessionName: 'alice', SerialNumber: 'arn:aws:iam::1:mfa/alice', TokenCode: '123456', ExternalId: 'ext', DurationSeconds: 3600 },
      { RoleArn: 'arn:aws:iam::1:role/r', RoleSessionName: 'alice', SerialNumber: 'arn:aws:iam::1:mfa/alice', TokenCode: R, ExternalId: 'ext', DurationSeconds: 3600 },
    ],
    [
      'nested credentials',
      { Credentials: { AccessKeyId: 'ASIA1', SecretAccessKey: 's3cr3t', SessionToken: 'tok', Expiration: new Date('2025-01-01T01:00:00Z') }, AssumedRoleUser: { Arn: 'a' } },
      { Credentials: { AccessKeyId: 'ASIA1', SecretAccessKey: R, SessionToken: R, Expiration: '2025-01-01T01:00:00.000Z' }, AssumedRoleUser: { Arn: 'a' } },
    ],
    [
      'arrays of objects',
      [{ secretAccessKey: 'a', accessKeyId: 'k' }, [{ sessionToken: 'b' }], 'plain'],
      [{ secretAccessKey: R, accessKeyId: 'k' }, [{ sessionToken: R }], 'plain'],
    ],
    [
      'file-style and odd-case keys',
      { aws_secret_access_key: 'a', AWS_SESSION_TOKEN: 'b', tokencode: 'c', Password: 'd', aws_access_key_id: 'e' },
      { aws_secret_access_key: R, AWS_SESSION_TOKEN: R, tokencode: R, Password: R, aws_access_key_id: 'e' },
    ],
    ['secret keys holding objects', { SessionToken: { nested: 'x' }, TokenCode: ['1'] }, { SessionToken: R, TokenCode: R }],
    ['secret keys holding empty strings and null', { SecretAccessKey: '', SessionToken: null }, { SecretAccessKey: R, SessionToken: R }],
    ['secret keys left undefined', { TokenCode: undefined, SerialNumber: 's' }, { TokenCode: undefined, SerialNumber: 's' }],
    ['keys that only contain a secret name', { SecretAccessKeyHint: 'h', MySessionToken: 't', TokenCodes: 'x' }, { SecretAccessKeyHint: 'h', MySessionToken: 't', TokenCodes: 'x' }],
  ])('%s', (_name, input, expected) => {
    expect(redact(input)).toEqual(expected);
  });

  it('leaves its input unchanged', () => {
    const input = { Credentials: { SecretAccessKey: 's3cr3t' } };
    redact(input);
    expect(input).toEqual({ Credentials: { SecretAccessKey: 's3cr3t' } });
  });

  it('leaves no secret in the JSON of a deep structure', () => {
    const input = { a: [{ b: { c: [{ SecretAccessKey: 'TOPSECRET1', SessionToken: 'TOPSECRET2', TokenCode: '987654' }] } }] };
    const text = JSON.stringify(redact(input));
    expect(text).toBe(`{"a":[{"b":{"c":[{"SecretAccessKey":"${R}","SessionToken":"${R}","TokenCode":"${R}"}]}}]}`);
  });
});
