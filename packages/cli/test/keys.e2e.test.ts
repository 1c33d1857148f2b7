import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANWBIS_BIN, conventionScenario, run, runAnwbis, runAwsCli } from '@anwbis/tools/emulator';
import { keyringTestsRun, startKeyring, type PrivateKeyring } from '@anwbis/tools/keyring';
import { EXIT, emulatorWorld, expectOk, expectRefused, modeOf, snapshot, writeLoadTrace } from './helpers.js';

const DEV = '222222222222';
const USER = 'luis.gonzalez';

const world = emulatorWorld(() => conventionScenario({ users: [USER], projects: { datalab: { envs: { dev: DEV }, roles: ['admin'] } } }));

// Outside CI these tests need dbus and gnome-keyring (tools/setup.sh); in CI a missing tool fails them.
const describeKeychain = keyringTestsRun() ? describe : describe.skip;

describeKeychain('keys in the OS keychain (a private Secret Service)', () => {
  let keyring: PrivateKeyring;
  beforeAll(async () => {
    keyring = await startKeyring();
  });
  afterAll(async () => {
    await keyring?.stop();
  });
  // One keyring for the file, a fresh sandbox for each test: each test starts with none of anwbis's entries.
  beforeEach(() => {
    spawnSync('secret-tool', ['clear', 'service', 'anwbis'], { env: env() });
  });

  const env = (extra: Record<string, string> = {}) => ({ ...world.sandbox.env, ...keyring.env, ...extra });
  const anwbis = (args: string[], input = '', extra: Record<string, string> = {}) => runAnwbis(args, { env: env(extra), input });
  const aws = (args: string[], extra: Record<string, string> = {}) => runAwsCli(args, { env: env(extra), endpoint: world.moto.endpoint });
  /** What the keychain holds for a profile, read with libsecret's own tool. */
  const inKeychain = (profile: string) => {
    const res = spawnSync('secret-tool', ['lookup', 'service', 'anwbis', 'username', profile], { env: env(), encoding: 'utf8' });
    return res.status === 0 && res.stdout !== '' ? (JSON.parse(res.stdout) as { AccessKeyId: string; SecretAccessKey: string }) : undefined;
  };
  const user = () => world.seeded.users[USER]!;

  it('keys add moves the keys out of the credentials file; the seed flow and the AWS CLI work from the keychain', async () => {
    const { accessKeyId, secretAccessKey } = user();
    world.sandbox.write('credentials', `# my corp keys\r\n[default]\r\naws_access_key_id = ${accessKeyId}\r\naws_secret_access_key = ${secretAccessKey}\r\n\r\n[other]\r\nregion = x\r\n`);
    const added = await anwbis(['keys', 'add']);
    expectOk(added);
    expect(added.stderr).toContain('Secret Service');
    expect(world.sandbox.read('credentials')).toBe('# my corp keys\r\n[default]\r\n\r\n[other]\r\nregion = x\r\n');
    expect(inKeychain('default')).toEqual({ v: 1, AccessKeyId: accessKeyId, SecretAccessKey: secretAccessKey });
    expect(modeOf(join(world.sandbox.anwbisHome, 'keys.json'))).toBe('600');
    const listed = await anwbis(['keys', 'list']);
    expectOk(listed);
    expect(listed.stdout).toBe(`default\tkeychain\t…${accessKeyId.slice(-4)}\n`);
    expect(listed.stdout).not.toContain(secretAccessKey);

    await world.moto.startRecording();
    expectOk(await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456']));
    const assume = (await world.moto.recording()).find((c) => c.action === 'AssumeRole')!;
    expect(assume.accessKeyId).toBe(accessKeyId);
    const id = await aws(['sts', 'get-caller-identity', '--profile', 'datalab-dev-admin']);
    expect(JSON.parse(id.stdout).Arn).toBe(`arn:aws:sts::${DEV}:assumed-role/dev-datalab-delegated-admin/${USER}`);
  });

  it('session and roles take the corp keys from the keychain too', async () => {
    const { accessKeyId } = user();
    expectOk(await anwbis(['keys', 'add']));
    await world.moto.startRecording();
    expectOk(await anwbis(['session', '--mfa-code', '123456']));
    const roles = await anwbis(['roles']);
    expectOk(roles);
    expect(roles.stdout).toContain('datalab');
    const calls = await world.moto.recording();
    expect(calls.find((c) => c.action === 'GetSessionToken')?.accessKeyId).toBe(accessKeyId);
    expect(world.sandbox.read('credentials')).toMatch(/\[corp-session-default\]\naws_access_key_id = ASIA/);
  });

  it('the keychain module loads only when AWS needs the stored key: not for a reused profile or a cached credential-process', async () => {
    expectOk(await anwbis(['keys', 'add']));
    /** The modules one run of anwbis loaded. */
    const traced = async (args: string[]) => {
      const dir = mkdtempSync(join(tmpdir(), 'anwbis-trace-'));
      try {
        const { hook, loaded } = writeLoadTrace(dir);
        const res = await run(process.execPath, ['--import', hook, ANWBIS_BIN, ...args], { env: env() });
        expect(res).toMatchObject({ code: EXIT.ok });
        return loaded().join('');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    };
    const assume = ['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456'];
    expect(await traced(assume)).toContain('@napi-rs/keyring');
    expect(await traced(assume)).not.toContain('@napi-rs/keyring');
    const credentialProcess = ['credential-process', '-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456'];
    expect(await traced(credentialProcess)).toContain('@napi-rs/keyring');
    expect(await traced(credentialProcess)).not.toContain('@napi-rs/keyring');
  });

  it('keys add reads typed keys from a piped stdin when the profile has none in the file', async () => {
    const { accessKeyId, secretAccessKey } = user();
    world.sandbox.write('credentials', '');
    expectOk(await anwbis(['keys', 'add', '--profile', 'corp'], `${accessKeyId}\n${secretAccessKey}\n`));
    expect(inKeychain('corp')?.AccessKeyId).toBe(accessKeyId);
    expect(world.sandbox.read('credentials')).toBe('');
    expectOk(await anwbis(['--profile', 'corp', '-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456']));
  });

  it('keys add with keys AWS refuses stores nothing and changes no file', async () => {
    world.sandbox.write('credentials', '[default]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n');
    await world.moto.enforcePolicies();
    const before = snapshot(world.sandbox);
    const res = await anwbis(['keys', 'add']);
    expectRefused(res, EXIT.config, /testing the keys failed: AWS does not recognise.*nothing was stored/);
    expect(snapshot(world.sandbox)).toEqual(before);
    expect(inKeychain('default')).toBeUndefined();
  });

  it('keys rotate leaves exactly one key in IAM, the new one, stored and working', async () => {
    const old = user().accessKeyId;
    expectOk(await anwbis(['keys', 'add']));
    const rotated = await anwbis(['keys', 'rotate']);
    expectOk(rotated);
    const stored = inKeychain('default')!;
    expect(stored.AccessKeyId).not.toBe(old);
    expect(rotated.stderr).toContain(stored.AccessKeyId);
    const asNew = { AWS_ACCESS_KEY_ID: stored.AccessKeyId, AWS_SECRET_ACCESS_KEY: stored.SecretAccessKey };
    const keys = await aws(['iam', 'list-access-keys', '--user-name', USER], asNew);
    expect((JSON.parse(keys.stdout) as { AccessKeyMetadata: Array<{ AccessKeyId: string }> }).AccessKeyMetadata.map((k) => k.AccessKeyId)).toEqual([stored.AccessKeyId]);
    expectOk(await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456']));
    expect((await anwbis(['keys', 'list'])).stdout).toBe(`default\tkeychain\t…${stored.AccessKeyId.slice(-4)}\n`);
  });

  it('keys remove forgets them: the keychain entry and the index line go', async () => {
    expectOk(await anwbis(['keys', 'add']));
    expectOk(await anwbis(['keys', 'remove']));
    expect(inKeychain('default')).toBeUndefined();
    expect((await anwbis(['keys', 'list'])).stdout).toBe('');
    expectRefused(await anwbis(['keys', 'remove']), EXIT.usage, /anwbis keeps no keys for profile "default"/);
  });
});

describe('keys without a keychain', () => {
  const anwbis = (args: string[], input = '', extra: Record<string, string> = {}) =>
    runAnwbis(args, { env: { ...world.sandbox.env, DBUS_SESSION_BUS_ADDRESS: '', ...extra }, input });

  it('with no Secret Service reachable, keys add fails naming the encrypted key file, and changes nothing', async () => {
    const before = snapshot(world.sandbox);
    const res = await anwbis(['keys', 'add']);
    expectRefused(res, EXIT.config, /the Secret Service keyring \(D-Bus\) cannot be used: no D-Bus session bus/);
    expect(res.stderr).toContain('anwbis keys add --backend file');
    expect(snapshot(world.sandbox)).toEqual(before);
  });

  it('--backend file keeps them encrypted under ANWBIS_HOME; the seed flow works with the passphrase from the environment', async () => {
    const { accessKeyId, secretAccessKey } = world.seeded.users[USER]!;
    const passphrase = { ANWBIS_KEYS_PASSPHRASE: 'correct horse battery staple' };
    expectOk(await anwbis(['keys', 'add', '--backend', 'file'], '', passphrase));
    const file = join(world.sandbox.anwbisHome, 'keys.enc');
    expect(modeOf(file)).toBe('600');
    const bytes = spawnSync('cat', [file], { encoding: 'utf8' }).stdout;
    expect(bytes).not.toContain(secretAccessKey);
    expect(bytes).not.toContain(accessKeyId);
    expect(world.sandbox.read('credentials')).not.toContain(secretAccessKey);
    expectOk(await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456'], '', passphrase));

    const wrong = await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456', '--refresh'], '', { ANWBIS_KEYS_PASSPHRASE: 'wrong' });
    expectRefused(wrong, EXIT.config, /the passphrase does not open .*keys\.enc/);
    const none = await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456', '--refresh']);
    expectRefused(none, EXIT.config, /needs its passphrase and there is no terminal to ask on/);
    expect(none.stderr).toContain('ANWBIS_KEYS_PASSPHRASE');
  });
});
