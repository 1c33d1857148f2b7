import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsCallError, type AccessKeysPort, type AwsCredentials, type AwsPort } from '../aws/port.js';
import { loadProfileCredentials } from '../source/profile-credentials.js';
import { fakeAws, FAKE_WORLD } from '../testing/fake-aws.js';
import { rejectedAnwbisError } from '../testing/caught.js';
import { addKeys, listKeys, rotateKeys, type KeysDeps } from './keys.js';
import { openBackend } from './store.js';

const OLD = { accessKeyId: 'AKIAOLDOLDOLDOLD1111', secretAccessKey: 'old/secret' };
const NEW = { accessKeyId: 'AKIANEWNEWNEWNEW2222', secretAccessKey: 'new/secret' };

// Each new key file backend derives its key with scrypt at full cost (about 0.1 s, far more on a
// busy machine).
jest.setTimeout(60_000);

describe('keys (with the encrypted key file)', () => {
  let dir: string;
  let env: Record<string, string>;
  let calls: string[];
  /** Per access key: how GetCallerIdentity answers (a count of failures first, for a key IAM has not spread yet). */
  let notYet: Record<string, number>;
  let overrides: Partial<AccessKeysPort & AwsPort>;
  let deps: KeysDeps;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'anwbis-keys-'));
    env = { HOME: dir, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_CONFIG_FILE: join(dir, 'config'), ANWBIS_HOME: join(dir, 'home'), ANWBIS_KEYS_PASSPHRASE: 'test passphrase' };
    calls = [];
    notYet = {};
    overrides = {};
    const port = (credentials: AwsCredentials): AwsPort & AccessKeysPort => ({
      ...fakeAws({
        getCallerIdentity: async () => {
          calls.push(`GetCallerIdentity ${credentials.accessKeyId}`);
          if ((notYet[credentials.accessKeyId] ?? 0) > 0) {
            notYet[credentials.accessKeyId]!--;
            throw new AwsCallError('sts:GetCallerIdentity', 'InvalidClientTokenId', 'The security token included in the request is invalid.');
          }
          return { account: FAKE_WORLD.account, arn: FAKE_WORLD.userArn, userId: 'AIDA' };
        },
      }).port,
      createAccessKey: async (user) => (calls.push(`CreateAccessKey ${user} with ${credentials.accessKeyId}`), NEW),
      deleteAccessKey: async (user, id) => void calls.push(`DeleteAccessKey ${user} ${id} with ${credentials.accessKeyId}`),
      ...overrides,
    });
    deps = {
      env,
      createAws: ({ credentials }) => port(credentials),
      readKeys: async () => OLD,
      sleep: async (ms) => void calls.push(`sleep ${ms}`),
    };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const stored = async (profile: string) => openBackend('file', { env }).get(profile);

  it('add takes the keys from the file, and removes only their two lines after AWS accepted them', async () => {
    const before = `# corp\r\n[corp]\r\naws_access_key_id = ${OLD.accessKeyId}\r\nregion = eu-west-1\r\naws_secret_access_key = ${OLD.secretAccessKey}\r\n\r\n[other]\r\nx = 1\r\n`;
    writeFileSync(env.AWS_SHARED_CREDENTIALS_FILE!, before);
    const result = await addKeys({ profile: 'corp', backend: 'file' }, { ...deps, readKeys: () => Promise.reject(new Error('not asked')) });
    expect(result).toMatchObject({ profile: 'corp', backend: 'file', keyId: '…1111', userArn: FAKE_WORLD.userArn });
    expect(calls).toEqual([`GetCallerIdentity ${OLD.accessKeyId}`]);
    expect(readFileSync(env.AWS_SHARED_CREDENTIALS_FILE!, 'utf8')).toBe('# corp\r\n[corp]\r\nregion = eu-west-1\r\n\r\n[other]\r\nx = 1\r\n');
    expect(await listKeys({ env })).toEqual([{ profile: 'corp', backend: 'file', keyId: '…1111' }]);
    // Every source-profile command goes through this one loader.
    expect(await loadProfileCredentials('corp', 'the test', env)).toEqual(OLD);
  });

  it('add with keys AWS refuses stores nothing and leaves the credentials file as it was', async () => {
    const before = `[corp]\naws_access_key_id = ${OLD.accessKeyId}\naws_secret_access_key = ${OLD.secretAccessKey}\n`;
    writeFileSync(env.AWS_SHARED_CREDENTIALS_FILE!, before);
    notYet[OLD.accessKeyId] = 1;
    const error = await rejectedAnwbisError(addKeys({ profile: 'corp', backend: 'file' }, deps));
    expect(error.message).toMatch(/testing the keys failed: AWS does not recognise.*nothing was stored and the credentials file is unchanged/);
    expect(readFileSync(env.AWS_SHARED_CREDENTIALS_FILE!, 'utf8')).toBe(before);
    expect(await listKeys({ env })).toEqual([]);
  });

  // getSection reads only its section since #22; the edit after storing would refuse the file.
  it('add with a credentials file broken outside the profile stores nothing and calls no AWS', async () => {
    const before = `[corp]\naws_access_key_id = ${OLD.accessKeyId}\naws_secret_access_key = ${OLD.secretAccessKey}\n[other]\nnot a line botocore reads\n`;
    writeFileSync(env.AWS_SHARED_CREDENTIALS_FILE!, before);
    const error = await rejectedAnwbisError(addKeys({ profile: 'corp', backend: 'file' }, deps));
    expect(error).toMatchObject({ name: 'IniParseError', line: 5 });
    expect(error.message).toMatch(/^cannot parse .*credentials line 5/);
    expect(calls).toEqual([]);
    expect(readFileSync(env.AWS_SHARED_CREDENTIALS_FILE!, 'utf8')).toBe(before);
    expect(await listKeys({ env })).toEqual([]);
  });

  it('stored keys win over keys still in the credentials file for the same profile', async () => {
    await addKeys({ profile: 'corp', backend: 'file' }, deps);
    writeFileSync(env.AWS_SHARED_CREDENTIALS_FILE!, `[corp]\naws_access_key_id = AKIASTALESTALESTALE0\naws_secret_access_key = stale\n`);
    expect(await loadProfileCredentials('corp', 'the test', env)).toEqual(OLD);
  });

  it('rotate: creates, waits for the new key to work, stores it, then deletes the old one with it', async () => {
    await addKeys({ profile: 'corp', backend: 'file' }, deps);
    calls = [];
    notYet[NEW.accessKeyId] = 2;
    const result = await rotateKeys({ profile: 'corp' }, deps);
    expect(result).toEqual({ profile: 'corp', where: expect.stringContaining('keys.enc'), oldKeyId: OLD.accessKeyId, newKeyId: NEW.accessKeyId });
    expect(calls).toEqual([
      `GetCallerIdentity ${OLD.accessKeyId}`,
      `CreateAccessKey ${FAKE_WORLD.user} with ${OLD.accessKeyId}`,
      `GetCallerIdentity ${NEW.accessKeyId}`,
      'sleep 1000',
      `GetCallerIdentity ${NEW.accessKeyId}`,
      'sleep 2000',
      `GetCallerIdentity ${NEW.accessKeyId}`,
      `DeleteAccessKey ${FAKE_WORLD.user} ${OLD.accessKeyId} with ${NEW.accessKeyId}`,
    ]);
    expect(JSON.parse((await stored('corp'))!)).toMatchObject({ AccessKeyId: NEW.accessKeyId });
    expect(await listKeys({ env })).toEqual([{ profile: 'corp', backend: 'file', keyId: '…2222' }]);
  });

  it('rotate: a refused CreateAccessKey leaves the old key stored and says so', async () => {
    await addKeys({ profile: 'corp', backend: 'file' }, deps);
    overrides.createAccessKey = () => Promise.reject(new AwsCallError('iam:CreateAccessKey', 'LimitExceeded', 'Cannot exceed quota for AccessKeysPerUser: 2'));
    const error = await rejectedAnwbisError(rotateKeys({ profile: 'corp' }, deps));
    expect(error.message).toMatch(new RegExp(`LimitExceeded.*the old key ${OLD.accessKeyId} is still stored in .*keys\\.enc and still works`));
    expect(error.next).toMatch(/IAM allows two keys per user/);
    expect(JSON.parse((await stored('corp'))!)).toMatchObject({ AccessKeyId: OLD.accessKeyId });
  });

  it('rotate: a new key that never works is deleted again, and the old one stays stored', async () => {
    await addKeys({ profile: 'corp', backend: 'file' }, deps);
    notYet[NEW.accessKeyId] = 100;
    calls = [];
    const error = await rejectedAnwbisError(rotateKeys({ profile: 'corp' }, deps));
    expect(error.message).toMatch(new RegExp(`not accepted by AWS within 30 s; the old key ${OLD.accessKeyId} is still stored .* and still works; the new key ${NEW.accessKeyId} was deleted again`));
    expect(calls.filter((c) => c.startsWith('GetCallerIdentity AKIANEW'))).toHaveLength(9);
    expect(calls.at(-1)).toBe(`DeleteAccessKey ${FAKE_WORLD.user} ${NEW.accessKeyId} with ${OLD.accessKeyId}`);
    expect(JSON.parse((await stored('corp'))!)).toMatchObject({ AccessKeyId: OLD.accessKeyId });
  });

  it('rotate: a refused DeleteAccessKey of the old key leaves the new one stored and names the old one to delete', async () => {
    await addKeys({ profile: 'corp', backend: 'file' }, deps);
    overrides.deleteAccessKey = () => Promise.reject(new AwsCallError('iam:DeleteAccessKey', 'AccessDenied', 'not allowed'));
    const error = await rejectedAnwbisError(rotateKeys({ profile: 'corp' }, deps));
    expect(error.message).toMatch(new RegExp(`the new key ${NEW.accessKeyId} is stored in .*keys\\.enc and works, the old key ${OLD.accessKeyId} is still active in IAM`));
    expect(error.next).toBe(`delete it: \`aws iam delete-access-key --user-name ${FAKE_WORLD.user} --access-key-id ${OLD.accessKeyId}\``);
    expect(JSON.parse((await stored('corp'))!)).toMatchObject({ AccessKeyId: NEW.accessKeyId });
  });
});
