import { describe, expect, it } from '@jest/globals';
import { freshCachedCredentials, standingProfile } from './answer.js';
import type { CachedCredentials, ProfileRecord } from './records.js';

const now = new Date('2030-01-01T10:00:00.000Z');
const options = { now, marginSeconds: 300, kind: 'assume' } as const;
const record: ProfileRecord = {
  version: 1,
  profile: 'datalab-dev-admin',
  kind: 'assume',
  accessKeyId: 'ASIAWRITTEN',
  expiration: '2030-01-01T11:00:00.000Z',
  region: 'eu-west-1',
  sourceProfile: 'default',
};
const section = { aws_access_key_id: 'ASIAWRITTEN', aws_secret_access_key: 'secret', aws_session_token: 'token' };

describe('standingProfile: a written profile reused only while it stands as written', () => {
  it('gives the section’s credentials with the record’s expiry', () => {
    expect(standingProfile(record, section, options)?.credentials).toEqual({
      accessKeyId: 'ASIAWRITTEN',
      secretAccessKey: 'secret',
      sessionToken: 'token',
      expiration: new Date(record.expiration),
    });
  });

  it.each<[string, ProfileRecord | undefined, Record<string, string> | undefined]>([
    ['no record', undefined, section],
    ['another kind', { ...record, kind: 'session' }, section],
    ['inside the margin', { ...record, expiration: '2030-01-01T10:04:59.000Z' }, section],
    ['no section', record, undefined],
    ['a section replaced by another tool', record, { ...section, aws_access_key_id: 'AKIAHANDMADE' }],
    ['no session token', record, { aws_access_key_id: 'ASIAWRITTEN', aws_secret_access_key: 'secret' }],
    ['an empty secret', record, { ...section, aws_secret_access_key: '' }],
  ])('%s: not reused', (_what, written, keys) => {
    expect(standingProfile(written, keys, options)).toBeUndefined();
  });
});

describe('freshCachedCredentials: a cache entry answers only its own request while fresh', () => {
  const cached: CachedCredentials = {
    version: 1,
    profile: 'datalab-dev-admin',
    requestKey: 'key',
    region: 'eu-west-1',
    roleArn: 'arn:aws:iam::222222222222:role/dev-datalab-delegated-admin',
    accessKeyId: 'ASIACACHED',
    secretAccessKey: 'secret',
    sessionToken: 'token',
    expiration: '2030-01-01T11:00:00.000Z',
  };

  it('answers its request', () => {
    expect(freshCachedCredentials(cached, 'key', options)).toBe(cached);
  });

  it.each<[string, CachedCredentials | undefined, string]>([
    ['no entry', undefined, 'key'],
    ['another request', cached, 'other'],
    ['inside the margin', { ...cached, expiration: '2030-01-01T10:05:00.000Z' }, 'key'],
  ])('%s: a miss', (_what, entry, key) => {
    expect(freshCachedCredentials(entry, key, options)).toBeUndefined();
  });
});
