import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { conventionScenario, createSandbox, runAnwbis, runAwsCli, seedScenario, startMoto, type MotoServer, type Sandbox, type SeededScenario } from '@anwbis/tools/emulator';
import { snapshot } from './helpers.js';

const DEV = '222222222222';
const USER = 'luis.gonzalez';

let moto: MotoServer;
let seeded: SeededScenario;
let sandbox: Sandbox;

beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
});
beforeEach(async () => {
  await moto.reset();
  seeded = await seedScenario(moto.endpoint, conventionScenario({ users: [USER], projects: { datalab: { envs: { dev: DEV }, roles: ['admin', 'devops'] } } }));
  sandbox = createSandbox({ endpoint: moto.endpoint, profiles: { default: seeded.users[USER]! } });
});
afterEach(() => sandbox.remove());

const anwbis = (args: string[], input = '') => runAnwbis(args, { env: sandbox.env, input });
const aws = (args: string[]) => runAwsCli(args, { env: sandbox.env, endpoint: moto.endpoint });
const sectionKey = (profile: string) => new RegExp(`\\[${profile}\\]\\naws_access_key_id = (\\S+)`).exec(sandbox.read('credentials'))?.[1];

describe('corp session (--get_session, anwbis session, --nomfa)', () => {
  it('--get_session starts a corp session with MFA, then assumes the role with it and no MFA', async () => {
    await moto.startRecording();
    const res = await anwbis(['--profile', 'default', '-p', 'datalab', '-e', 'dev', '-r', 'admin', '--get_session', '--mfa-code', '123456']);
    expect(res.stderr).not.toContain('ERROR');
    expect(res.code).toBe(0);
    const calls = await moto.recording();
    const session = calls.find((c) => c.action === 'GetSessionToken')!;
    expect(session.params).toMatchObject({ SerialNumber: seeded.users[USER]!.mfaSerial, TokenCode: '123456', DurationSeconds: '28800' });
    expect(session.accessKeyId).toBe(seeded.users[USER]!.accessKeyId);
    const sessionKey = sectionKey('corp-session-default');
    expect(sessionKey).toMatch(/^ASIA/);
    const assume = calls.find((c) => c.action === 'AssumeRole')!;
    expect(assume.accessKeyId).toBe(sessionKey);
    expect(assume.params.SerialNumber).toBeUndefined();
    expect(assume.params.TokenCode).toBeUndefined();
    expect(assume.params.RoleSessionName).toBe(USER);

    const corp = await aws(['sts', 'get-caller-identity', '--profile', 'corp-session-default']);
    expect(JSON.parse(corp.stdout).Arn).toBe(`arn:aws:iam::111111111111:user/${USER}`);
    const delegated = await aws(['sts', 'get-caller-identity', '--profile', 'datalab-dev-admin']);
    expect(JSON.parse(delegated.stdout).Arn).toBe(`arn:aws:sts::${DEV}:assumed-role/dev-datalab-delegated-admin/${USER}`);
  });

  it('--profile corp-session-<p> --nomfa assumes with the session key and sends no MFA', async () => {
    expect((await anwbis(['session', '--mfa-code', '123456', '--duration', '43200'])).code).toBe(0);
    const sessionKey = sectionKey('corp-session-default');
    await moto.startRecording();
    const res = await anwbis(['--profile', 'corp-session-default', '-p', 'datalab', '-e', 'dev', '-r', 'devops', '--nomfa']);
    expect(res.code).toBe(0);
    expect(res.stderr).not.toMatch(/MFA code/);
    const calls = await moto.recording();
    expect(calls.some((c) => c.action === 'ListMFADevices')).toBe(false);
    const assume = calls.find((c) => c.action === 'AssumeRole')!;
    expect(assume.accessKeyId).toBe(sessionKey);
    expect(assume.params).not.toHaveProperty('SerialNumber');
    expect(assume.params).not.toHaveProperty('TokenCode');
    const id = await aws(['sts', 'get-caller-identity', '--profile', 'datalab-dev-devops']);
    expect(JSON.parse(id.stdout).Account).toBe(DEV);
  });

  it('reuses a valid session and renews it with --refresh', async () => {
    expect((await anwbis(['session', '--mfa-code', '123456'])).code).toBe(0);
    await moto.startRecording();
    const again = await anwbis(['session']);
    expect(again.code).toBe(0);
    expect(again.stderr).toContain('Reusing corp session corp-session-default');
    expect(await moto.recording()).toEqual([]);
    const renewed = await anwbis(['session', '--refresh', '--mfa-code', '654321']);
    expect(renewed.code).toBe(0);
    expect((await moto.recording()).filter((c) => c.action === 'GetSessionToken').map((c) => c.params.TokenCode)).toEqual(['654321']);
  });

  it('says the corp session expired and what to run, and changes nothing', async () => {
    expect((await anwbis(['session', '--profile', 'default', '--mfa-code', '123456'])).code).toBe(0);
    const recordPath = join(sandbox.anwbisHome, 'profiles', 'corp-session-default.json');
    const record = JSON.parse(readFileSync(recordPath, 'utf8'));
    writeFileSync(recordPath, JSON.stringify({ ...record, expiration: '2020-01-01T00:00:00.000Z' }));
    const before = snapshot(sandbox);
    await moto.startRecording();
    const res = await anwbis(['--profile', 'corp-session-default', '-p', 'datalab', '-e', 'dev', '-r', 'admin', '--nomfa']);
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(/the corp session corp-session-default expired at 2020-01-01T00:00:00.000Z/);
    expect(res.stderr).toMatch(/anwbis session`/);
    expect(await moto.recording()).toEqual([]);
    expect(snapshot(sandbox)).toEqual(before);
  });

  it.each([
    [['session', '--duration', '200000'], /--duration 200000 is outside what STS allows for GetSessionToken: 900 to 129600 seconds/],
    [['session', '--duration', '600'], /900 to 129600/],
    [['session', '--mfa-code', '12'], /not six digits/],
    [['session', '--profile', 'x]y'], /invalid profile name/],
  ])('refuses %j and changes nothing', async (args, message) => {
    const before = snapshot(sandbox);
    const res = await anwbis(args);
    expect(res.stderr).toMatch(message);
    expect(res.code).not.toBe(0);
    expect(snapshot(sandbox)).toEqual(before);
  });
});
