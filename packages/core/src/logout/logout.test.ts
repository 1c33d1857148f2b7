import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StateStore, type ProfileRecord } from '../cache/state-store.js';
import { isAnwbisCredentialProcess, judgeConfigSection, judgeCredentialsSection, logout } from './logout.js';

const record = (profile: string, accessKeyId: string, kind: ProfileRecord['kind'] = 'assume'): ProfileRecord => ({
  version: 1,
  profile,
  kind,
  accessKeyId,
  expiration: '2030-01-01T00:00:00.000Z',
  region: 'eu-west-1',
  sourceProfile: 'default',
});

describe('judgeCredentialsSection', () => {
  it.each([
    ['absent', undefined, record('p', 'ASIA1'), { remove: false }],
    ['the key anwbis wrote', { aws_access_key_id: 'ASIA1' }, record('p', 'ASIA1'), { remove: true }],
    ['no record', { aws_access_key_id: 'ASIA1' }, undefined, { remove: false, why: 'anwbis has no record of writing it' }],
    ['rewritten since', { aws_access_key_id: 'AKIAOTHER' }, record('p', 'ASIA1'), { remove: false, why: 'it holds other keys than anwbis wrote (changed since)' }],
  ])('%s', (_, section, rec, verdict) => {
    expect(judgeCredentialsSection(section, rec)).toEqual(verdict);
  });
});

describe('judgeConfigSection', () => {
  const anwbisProcess = '/usr/bin/node /opt/anwbis/bin/run.js credential-process -p datalab -e dev -r admin';
  it.each([
    ['region as recorded', { region: 'eu-west-1' }, record('p', 'A'), true],
    ['region changed since', { region: 'us-east-1' }, record('p', 'A'), false],
    ['a setting anwbis never writes', { region: 'eu-west-1', output: 'json' }, record('p', 'A'), false],
    ['anwbis credential_process without a record', { credential_process: anwbisProcess, region: 'eu-west-1' }, undefined, true],
    ["granted's credential_process", { credential_process: 'granted credential-process --profile p' }, undefined, false],
    ['region only, no record', { region: 'eu-west-1' }, undefined, false],
  ])('%s', (_, section, rec, remove) => {
    expect(judgeConfigSection(section, rec).remove).toBe(remove);
  });

  it('a comment among its keys keeps the section, named with the other lines', () => {
    expect(judgeConfigSection({ region: 'eu-west-1' }, record('p', 'A'), 1)).toEqual({ remove: false, why: 'it has lines anwbis did not write (a comment)' });
    expect(judgeConfigSection({ region: 'eu-west-1', output: 'json' }, record('p', 'A'), 2)).toEqual({ remove: false, why: 'it has lines anwbis did not write (output, 2 comments)' });
  });
});

describe('isAnwbisCredentialProcess', () => {
  it.each([
    ['anwbis credential-process -p a -e b -r c', true],
    ['"/opt/my tools/anwbis" credential-process -r c -e b -p a --profile corp', true],
    ['aws-vault export --format=json p', false],
    ['granted credential-process --profile p', false],
    ['credential-process -p a -e b -r c', false],
    ['anwbis "unterminated', false],
  ])('%s', (command, expected) => {
    expect(isAnwbisCredentialProcess(command)).toBe(expected);
  });
});

describe('logout on real files', () => {
  let dir: string;
  let env: Record<string, string>;
  let store: StateStore;
  const credentialsFile = () => join(dir, 'credentials');
  const configFile = () => join(dir, 'config');

  // CRLF, comments, other tools' sections, and anwbis's sections in between.
  const CREDENTIALS = [
    '# my keys\r\n',
    '[default]\r\n',
    'aws_access_key_id = AKIACORP\r\n',
    'aws_secret_access_key = corp/secret+==\r\n',
    '\r\n',
    '[datalab-dev-admin]\r\n',
    'aws_access_key_id = ASIAADMIN\r\n',
    'aws_secret_access_key = s1\r\n',
    'aws_session_token = t1\r\n',
    '\r\n',
    '; written by another tool\r\n',
    '[other-tool]\r\n',
    'aws_access_key_id = AKIAOTHER\r\n',
    'aws_secret_access_key = s2\r\n',
    '\r\n',
    '[corp-session-default]\r\n',
    'aws_access_key_id = ASIASESSION\r\n',
    'aws_secret_access_key = s3\r\n',
    'aws_session_token = t3\r\n',
    '\r\n',
    '[datalab-dev-developer]\r\n',
    'aws_access_key_id = AKIAMINE\r\n',
    'aws_secret_access_key = s4\r\n',
  ].join('');
  const CONFIG = [
    '[default]\r\n',
    'region = eu-west-1\r\n',
    '\r\n',
    '[profile datalab-dev-admin]\r\n',
    'region = eu-west-1\r\n',
    '\r\n',
    '# sso, not anwbis\r\n',
    '[profile sso-dev]\r\n',
    'sso_session = corp\r\n',
    '\r\n',
    '[profile corp-session-default]\r\n',
    'region = eu-west-1\r\n',
    '\r\n',
    '[profile datalab-pro-admin]\r\n',
    'credential_process = /usr/bin/node /opt/anwbis/bin/run.js credential-process -p datalab -e pro -r admin\r\n',
    'region = eu-west-1\r\n',
    '\r\n',
    '[profile granted-one]\r\n',
    'credential_process = granted credential-process --profile granted-one\r\n',
  ].join('');

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'anwbis-logout-'));
    env = { HOME: dir, AWS_SHARED_CREDENTIALS_FILE: credentialsFile(), AWS_CONFIG_FILE: configFile(), ANWBIS_HOME: join(dir, 'home') };
    await writeFile(credentialsFile(), CREDENTIALS, { mode: 0o600 });
    await writeFile(configFile(), CONFIG, { mode: 0o600 });
    store = new StateStore(env.ANWBIS_HOME!);
    await store.writeProfile(record('datalab-dev-admin', 'ASIAADMIN'));
    await store.writeProfile(record('corp-session-default', 'ASIASESSION', 'session'));
    // anwbis once wrote datalab-dev-developer, but the section was replaced by hand since.
    await store.writeProfile(record('datalab-dev-developer', 'ASIAOLD'));
    await store.writeCredentials({
      version: 1,
      profile: 'datalab-pro-admin',
      requestKey: '0'.repeat(32),
      region: 'eu-west-1',
      roleArn: 'arn:aws:iam::333333333333:role/pro-datalab-delegated-admin',
      accessKeyId: 'ASIACACHE',
      secretAccessKey: 's5',
      sessionToken: 't5',
      expiration: '2030-01-01T00:00:00.000Z',
    });
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('one role: removes its two sections and its state; every other byte stays', async () => {
    const unwatched: string[] = [];
    const result = await logout({ target: { project: 'datalab', env: 'dev', role: 'admin' } }, { env, unwatch: async (p) => void unwatched.push(p) });
    expect(result).toEqual([{ profile: 'datalab-dev-admin', removed: ['credentials', 'config', 'state'], kept: [] }]);
    expect(unwatched).toEqual(['datalab-dev-admin']);
    expect(await readFile(credentialsFile(), 'utf8')).toBe(CREDENTIALS.replace('[datalab-dev-admin]\r\naws_access_key_id = ASIAADMIN\r\naws_secret_access_key = s1\r\naws_session_token = t1\r\n\r\n', ''));
    expect(await readFile(configFile(), 'utf8')).toBe(CONFIG.replace('[profile datalab-dev-admin]\r\nregion = eu-west-1\r\n\r\n', ''));
    expect(await store.readProfile('datalab-dev-admin')).toBeUndefined();
  });

  it('--all: every profile anwbis wrote, the corp session included; never one it did not write', async () => {
    const result = await logout({ all: true }, { env });
    expect(result.map((r) => [r.profile, r.removed])).toEqual([
      ['corp-session-default', ['credentials', 'config', 'state']],
      ['datalab-dev-admin', ['credentials', 'config', 'state']],
      ['datalab-dev-developer', ['state']],
      ['datalab-pro-admin', ['config', 'cache']],
    ]);
    expect(result.find((r) => r.profile === 'datalab-dev-developer')!.kept).toEqual([
      { what: 'credentials', why: `[datalab-dev-developer] in ${credentialsFile()}: it holds other keys than anwbis wrote (changed since)` },
    ]);
    expect(await readFile(credentialsFile(), 'utf8')).toBe(
      [
        '# my keys\r\n[default]\r\naws_access_key_id = AKIACORP\r\naws_secret_access_key = corp/secret+==\r\n\r\n',
        '; written by another tool\r\n[other-tool]\r\naws_access_key_id = AKIAOTHER\r\naws_secret_access_key = s2\r\n\r\n',
        '[datalab-dev-developer]\r\naws_access_key_id = AKIAMINE\r\naws_secret_access_key = s4\r\n',
      ].join(''),
    );
    expect(await readFile(configFile(), 'utf8')).toBe(
      '[default]\r\nregion = eu-west-1\r\n\r\n# sso, not anwbis\r\n[profile sso-dev]\r\nsso_session = corp\r\n\r\n[profile granted-one]\r\ncredential_process = granted credential-process --profile granted-one\r\n',
    );
    expect(existsSync(store.credentialsPath('datalab-pro-admin'))).toBe(false);
    expect(await store.listProfiles('profiles')).toEqual([]);
  });

  it("logout deletes the user's own lines inside anwbis's sections: only anwbis's keys go, a comment and a region added by hand stay, and it says so (CRLF)", async () => {
    const section = '[datalab-dev-admin]\r\naws_access_key_id = ASIAADMIN\r\naws_secret_access_key = s1\r\naws_session_token = t1\r\n';
    const mine = '[datalab-dev-admin]\r\n; my admin profile, see the wiki\r\naws_access_key_id = ASIAADMIN\r\nregion = eu-central-1\r\naws_secret_access_key = s1\r\naws_session_token = t1\r\n';
    await writeFile(credentialsFile(), CREDENTIALS.replace(section, mine));
    const configSection = '[profile datalab-dev-admin]\r\nregion = eu-west-1\r\n';
    const configMine = '[profile datalab-dev-admin]\r\n# region from anwbis\r\nregion = eu-west-1\r\n';
    await writeFile(configFile(), CONFIG.replace(configSection, configMine));

    const result = await logout({ target: { project: 'datalab', env: 'dev', role: 'admin' } }, { env });

    expect(result).toEqual([
      {
        profile: 'datalab-dev-admin',
        removed: ['credentials', 'state'],
        kept: [
          { what: 'credentials', why: `[datalab-dev-admin] in ${credentialsFile()}: it has lines anwbis did not write (region, a comment), kept without anwbis's keys` },
          { what: 'config', why: `[profile datalab-dev-admin] in ${configFile()}: it has lines anwbis did not write (a comment)` },
        ],
      },
    ]);
    expect(await readFile(credentialsFile(), 'utf8')).toBe(CREDENTIALS.replace(section, '[datalab-dev-admin]\r\n; my admin profile, see the wiki\r\nregion = eu-central-1\r\n'));
    expect(await readFile(configFile(), 'utf8')).toBe(CONFIG.replace(configSection, configMine));
  });

  it('a profile anwbis has no record of is left, and says why', async () => {
    const result = await logout({ target: { project: 'other', env: 'tool', role: 'x' } }, { env });
    expect(result).toEqual([{ profile: 'other-tool-x', removed: [], kept: [] }]);
    await writeFile(credentialsFile(), CREDENTIALS + '\r\n[a-b-c]\r\naws_access_key_id = AKIAX\r\naws_secret_access_key = s\r\n');
    const none = await logout({ target: { project: 'a', env: 'b', role: 'c' } }, { env });
    expect(none[0]!.kept).toEqual([{ what: 'credentials', why: `[a-b-c] in ${credentialsFile()}: anwbis has no record of writing it` }]);
    expect(await readFile(credentialsFile(), 'utf8')).toContain('[a-b-c]');
  });

  it('an AWS file that cannot be parsed is left untouched and named', async () => {
    await writeFile(credentialsFile(), 'aws_access_key_id = before-any-section\n');
    await expect(logout({ all: true }, { env })).rejects.toThrow(/credentials/);
    expect(await readFile(credentialsFile(), 'utf8')).toBe('aws_access_key_id = before-any-section\n');
    expect(await store.readProfile('datalab-dev-admin')).toBeDefined();
  });
});
