import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateStore, type CachedCredentials, type DiscoveryRecord, type ProfileRecord } from './state-store.js';

const profile: ProfileRecord = {
  version: 1,
  profile: 'datalab-dev-admin',
  kind: 'assume',
  accessKeyId: 'ASIAEXAMPLE',
  expiration: '2030-01-01T11:00:00.000Z',
  region: 'eu-west-1',
  roleArn: 'arn:aws:iam::222222222222:role/dev-datalab-delegated-admin',
  account: '222222222222',
  sourceProfile: 'default',
  requestKey: '{"roleArn":"…"}',
  sessionName: 'alice',
  durationSeconds: 3600,
};

const credentials: CachedCredentials = {
  version: 1,
  profile: 'datalab-dev-admin',
  requestKey: '{"roleArn":"…"}',
  region: 'eu-west-1',
  roleArn: profile.roleArn!,
  accessKeyId: 'ASIAEXAMPLE',
  secretAccessKey: 'secret',
  sessionToken: 'token',
  expiration: '2030-01-01T11:00:00.000Z',
};

const discovery: DiscoveryRecord = { version: 1, roleArn: profile.roleArn!, userName: 'alice', account: '111111111111', partition: 'aws', mfaSerial: 'arn:aws:iam::111111111111:mfa/alice' };

describe('StateStore', () => {
  let home: string;
  let store: StateStore;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'anwbis-state-'));
    store = new StateStore(home);
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('reads back what it wrote, in private files', async () => {
    await store.writeProfile(profile);
    await store.writeCredentials(credentials);
    await store.writeDiscovery('k', discovery);
    expect(await store.readProfile(profile.profile)).toEqual(profile);
    expect(await store.readCredentials(credentials.profile)).toEqual(credentials);
    expect(await store.readDiscovery('k')).toEqual(discovery);
    expect(statSync(store.credentialsPath(credentials.profile)).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'credentials')).mode & 0o777).toBe(0o700);
  });

  // Each damaged record must be a miss: a wrong value read as valid would be trusted state.
  it.each<[string, Record<string, unknown>]>([
    ['another version', { version: 2 }],
    ['an empty profile name', { profile: '' }],
    ['an expiry that is not a date', { expiration: 'soon' }],
    ['an unknown kind', { kind: 'console' }],
    ['a fractional duration', { durationSeconds: 1.5 }],
    ['a negative duration', { durationSeconds: -60 }],
    ['a role ARN that is not a string', { roleArn: 42 }],
    ['no access key id', { accessKeyId: undefined }],
  ])('a profile record with %s is a miss', async (_what, change) => {
    await store.writeProfile({ ...profile, ...change } as ProfileRecord);
    expect(await store.readProfile(profile.profile)).toBeUndefined();
  });

  it.each<[string, Record<string, unknown>]>([
    ['an empty secret key', { secretAccessKey: '' }],
    ['no session token', { sessionToken: undefined }],
    ['an empty request key', { requestKey: '' }],
    ['an expiry that is not a date', { expiration: 'never' }],
  ])('cached credentials with %s are a miss', async (_what, change) => {
    await store.writeCredentials({ ...credentials, ...change } as CachedCredentials);
    expect(await store.readCredentials(credentials.profile)).toBeUndefined();
  });

  it('a record under another name, not JSON, or missing is a miss', async () => {
    await store.writeProfile({ ...profile, profile: 'other' });
    // The file of `other` copied under this profile's name must not answer for it.
    mkdirSync(join(home, 'profiles'), { recursive: true });
    writeFileSync(join(home, 'profiles', `${profile.profile}.json`), JSON.stringify({ ...profile, profile: 'other' }));
    expect(await store.readProfile(profile.profile)).toBeUndefined();
    writeFileSync(join(home, 'profiles', `${profile.profile}.json`), '{not json');
    expect(await store.readProfile(profile.profile)).toBeUndefined();
    expect(await store.readDiscovery('nothing')).toBeUndefined();
  });
});
