import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromIni } from '@aws-sdk/credential-provider-ini';
import { rejectedAnwbisError } from '../testing/caught.js';
import { loadProfileCredentials, staticKeysOf } from './profile-credentials.js';

describe('staticKeysOf', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'anwbis-source-'));
    env = { AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_CONFIG_FILE: join(dir, 'config'), HOME: dir };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const files = (credentials: string | undefined, config: string | undefined) => {
    if (credentials !== undefined) writeFileSync(env.AWS_SHARED_CREDENTIALS_FILE!, credentials);
    if (config !== undefined) writeFileSync(env.AWS_CONFIG_FILE!, config);
  };

  /** What the SDK's own resolver makes of the same files, as plain keys. */
  const sdk = async (profile: string) => {
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const c = await fromIni({ profile, ignoreCache: true })();
      return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, ...(c.sessionToken ? { sessionToken: c.sessionToken } : {}) };
    } finally {
      process.env = saved;
    }
  };

  // Read here, as the SDK reads them: the answer must be the SDK's.
  it.each<[string, string | undefined, string | undefined, string]>([
    ['keys in the credentials file', '[corp]\naws_access_key_id = AKIACORP\naws_secret_access_key = s1\n', undefined, 'corp'],
    ['a corp session, with its token', '[corp-session-corp]\naws_access_key_id = ASIA1\naws_secret_access_key = s2\naws_session_token = t2\n', undefined, 'corp-session-corp'],
    ['keys in the config file', undefined, '[profile corp]\naws_access_key_id = AKIACONF\naws_secret_access_key = s3\n', 'corp'],
    ['the default profile in [default] of the config file', undefined, '[default]\naws_access_key_id = AKIADEF\naws_secret_access_key = s4\n', 'default'],
    ['the credentials file winning over the config file', '[corp]\naws_access_key_id = AKIAFILE\naws_secret_access_key = s5\n', '[profile corp]\naws_access_key_id = AKIACONF\naws_secret_access_key = s6\n', 'corp'],
    ['a key split over both files', '[corp]\naws_secret_access_key = s7\n', '[profile corp]\naws_access_key_id = AKIASPLIT\n', 'corp'],
    ['CRLF line ends and a comment', '# corp keys\r\n[corp]\r\naws_access_key_id = AKIACRLF\r\naws_secret_access_key = s8\r\n', undefined, 'corp'],
  ])('reads %s', async (_what, credentials, config, profile) => {
    files(credentials, config);
    const mine = await staticKeysOf(profile, env);
    expect(mine).toEqual(await sdk(profile));
  });

  it.each<[string, string | undefined, string | undefined]>([
    ['a role to assume, even beside keys', '[corp]\naws_access_key_id = AKIA\naws_secret_access_key = s\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\n', undefined],
    ['a credential_process', undefined, '[profile corp]\ncredential_process = /bin/echo\n'],
    ['no secret key', '[corp]\naws_access_key_id = AKIA\n', undefined],
    ['no such profile', '[other]\naws_access_key_id = AKIA\naws_secret_access_key = s\n', undefined],
    ['no files at all', undefined, undefined],
    ['a file this parser refuses', '[corp\naws_access_key_id = AKIA\n', undefined],
  ])('leaves %s to the SDK', async (_what, credentials, config) => {
    files(credentials, config);
    expect(await staticKeysOf('corp', env)).toBeUndefined();
  });

  it('a profile without usable credentials is a config error naming it', async () => {
    files('[corp]\naws_access_key_id = AKIA\n', undefined);
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      const error = await rejectedAnwbisError(loadProfileCredentials('corp', 'your AWS files', env));
      expect(error.kind).toBe('config');
      expect(error.message).toContain('no usable credentials for profile "corp" in your AWS files');
    } finally {
      process.env = saved;
    }
  });
});
