import { describe, expect, it } from '@jest/globals';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { conventionScenario, runAnwbis, runAwsCli } from '@anwbis/tools/emulator';
import { EXIT, emulatorWorld, expectOk, expectRefused, snapshot } from './helpers.js';

const DEV = '222222222222';
const USER = 'luis.gonzalez';

const world = emulatorWorld(() => conventionScenario({ users: [USER], projects: { datalab: { envs: { dev: DEV }, roles: ['admin', 'devops'] } } }));


const anwbis = (args: string[], input = '') => runAnwbis(args, { env: world.sandbox.env, input });
const aws = (args: string[]) => runAwsCli(args, { env: world.sandbox.env, endpoint: world.moto.endpoint });
const sectionKey = (profile: string) => new RegExp(`\\[${profile}\\]\\naws_access_key_id = (\\S+)`).exec(world.sandbox.read('credentials'))?.[1];

describe('corp session (--get_session, anwbis session, --nomfa)', () => {
  it('--get_session starts a corp session with MFA, then assumes the role with it and no MFA', async () => {
    await world.moto.startRecording();
    expectOk(await anwbis(['--profile', 'default', '-p', 'datalab', '-e', 'dev', '-r', 'admin', '--get_session', '--mfa-code', '123456']));
    const calls = await world.moto.recording();
    const session = calls.find((c) => c.action === 'GetSessionToken')!;
    expect(session.params).toMatchObject({ SerialNumber: world.seeded.users[USER]!.mfaSerial, TokenCode: '123456', DurationSeconds: '28800' });
    expect(session.accessKeyId).toBe(world.seeded.users[USER]!.accessKeyId);
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
    expectOk(await anwbis(['session', '--mfa-code', '123456', '--duration', '43200']));
    const sessionKey = sectionKey('corp-session-default');
    await world.moto.startRecording();
    const res = await anwbis(['--profile', 'corp-session-default', '-p', 'datalab', '-e', 'dev', '-r', 'devops', '--nomfa']);
    expectOk(res);
    expect(res.stderr).not.toMatch(/MFA code/);
    const calls = await world.moto.recording();
    expect(calls.some((c) => c.action === 'ListMFADevices')).toBe(false);
    const assume = calls.find((c) => c.action === 'AssumeRole')!;
    expect(assume.accessKeyId).toBe(sessionKey);
    expect(assume.params).not.toHaveProperty('SerialNumber');
    expect(assume.params).not.toHaveProperty('TokenCode');
    const id = await aws(['sts', 'get-caller-identity', '--profile', 'datalab-dev-devops']);
    expect(JSON.parse(id.stdout).Account).toBe(DEV);
  });

  it('reuses a valid session and renews it with --refresh', async () => {
    expectOk(await anwbis(['session', '--mfa-code', '123456']));
    await world.moto.startRecording();
    const again = await anwbis(['session']);
    expectOk(again);
    expect(again.stderr).toContain('Reusing corp session corp-session-default');
    expect(await world.moto.recording()).toEqual([]);
    const renewed = await anwbis(['session', '--refresh', '--mfa-code', '654321']);
    expectOk(renewed);
    expect((await world.moto.recording()).filter((c) => c.action === 'GetSessionToken').map((c) => c.params.TokenCode)).toEqual(['654321']);
  });

  it('says the corp session expired and what to run, and changes nothing', async () => {
    expectOk(await anwbis(['session', '--profile', 'default', '--mfa-code', '123456']));
    const recordPath = join(world.sandbox.anwbisHome, 'profiles', 'corp-session-default.json');
    const record = JSON.parse(readFileSync(recordPath, 'utf8'));
    writeFileSync(recordPath, JSON.stringify({ ...record, expiration: '2020-01-01T00:00:00.000Z' }));
    const before = snapshot(world.sandbox);
    await world.moto.startRecording();
    const res = await anwbis(['--profile', 'corp-session-default', '-p', 'datalab', '-e', 'dev', '-r', 'admin', '--nomfa']);
    expectRefused(res, EXIT.config, /the corp session corp-session-default expired at 2020-01-01T00:00:00.000Z[\s\S]*anwbis session`/);
    expect(await world.moto.recording()).toEqual([]);
    expect(snapshot(world.sandbox)).toEqual(before);
  });

  it.each<[string[], number, RegExp]>([
    [['session', '--duration', '200000'], EXIT.usage, /--duration 200000 is outside what STS allows for GetSessionToken: 900 to 129600 seconds/],
    [['session', '--duration', '600'], EXIT.usage, /900 to 129600/],
    [['session', '--mfa-code', '12'], EXIT.mfa, /the MFA code from --mfa-code is not six digits/],
    [['session', '--profile', 'x]y'], EXIT.usage, /invalid profile name/],
  ])('refuses %j and changes nothing', async (args, code, message) => {
    const before = snapshot(world.sandbox);
    const res = await anwbis(args);
    expectRefused(res, code, message);
    expect(res.stdout).toBe('');
    expect(snapshot(world.sandbox)).toEqual(before);
  });
});

describe('a delegated AWS_PROFILE, as the original README suggests exporting', () => {
  it('is passed over as the source: anwbis uses default', async () => {
    expectOk(await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456']));
    await world.moto.startRecording();
    const res = await runAnwbis(['-p', 'datalab', '-e', 'dev', '-r', 'devops', '--mfa-code', '123456', '-v'], {
      env: { ...world.sandbox.env, AWS_PROFILE: 'datalab-dev-admin', AWS_DEFAULT_PROFILE: 'datalab-dev-admin' },
    });
    expectOk(res);
    expect(res.stderr).toContain('AWS_PROFILE=datalab-dev-admin is a delegated profile written by anwbis; using default');
    const assume = (await world.moto.recording()).find((c) => c.action === 'AssumeRole')!;
    expect(assume.accessKeyId).toBe(world.seeded.users[USER]!.accessKeyId);
  });
});
