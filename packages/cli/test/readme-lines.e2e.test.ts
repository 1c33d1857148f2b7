import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conventionScenario, runAnwbis, runAwsCli } from '@anwbis/tools/emulator';
import { emulatorWorld, expectOk, federationWorld } from './helpers.js';

/**
 * Every command line of the original anwbis README, run as written (placeholders filled in)
 * against the emulator. Browsers are stand-in programs on PATH that record their arguments,
 * since firefox and chrome are not installed here; the real-browser test is console.e2e.
 */
const DEV = '222222222222';
const USER = 'luis.gonzalez';

const federation = federationWorld();
const world = emulatorWorld(
  () =>
    conventionScenario({
      users: [USER],
      projects: { datalab: { envs: { dev: DEV }, roles: ['admin', 'devops'] } },
      contractors: [{ project: 'datalab', env: 'dev', name: 'acme', externalId: 'acme-7f3a' }],
    }),
  { profiles: ['corp'] },
);
let bin: string;

beforeEach(() => {
  bin = mkdtempSync(join(tmpdir(), 'anwbis-browsers-'));
  for (const name of ['firefox', 'google-chrome']) {
    const script = join(bin, name);
    // Written aside and renamed, so a reader never sees the file half written.
    writeFileSync(script, `#!/bin/sh\nprintf '%s\\n' "$@" > "${bin}/${name}.args.tmp" && mv "${bin}/${name}.args.tmp" "${bin}/${name}.args"\n`);
    chmodSync(script, 0o755);
  }
  Object.assign(world.sandbox.env, { PATH: `${bin}:${process.env.PATH}`, ANWBIS_FEDERATION_ENDPOINT: federation.standIn.endpoint });
});
afterEach(() => {
  rmSync(bin, { recursive: true, force: true });
});

const anwbis = (line: string, input = '') => runAnwbis(line.split(/\s+/).filter(Boolean), { env: world.sandbox.env, input });
const aws = (line: string) => runAwsCli(line.split(' '), { env: world.sandbox.env, endpoint: world.moto.endpoint });
/** Who the AWS CLI acts as with a profile: proof of the role anwbis really assumed. */
async function identity(profile: string): Promise<{ UserId: string; Account: string; Arn: string }> {
  const res = await aws(`sts get-caller-identity --profile ${profile}`);
  expect(res).toMatchObject({ code: 0, stderr: '' });
  return JSON.parse(res.stdout);
}
/** The arguments a stand-in browser got; anwbis does not wait for the browser it starts. */
async function browserArgs(name: string, timeoutMs = 180_000): Promise<string[]> {
  const file = join(bin, `${name}.args`);
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(file)) {
    if (Date.now() > deadline) throw new Error(`the ${name} stand-in was not started within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return readFileSync(file, 'utf8').trim().split('\n');
}

describe('the original README, line by line', () => {
  it('anwbis -p datalab -e dev -r admin -b firefox', async () => {
    const res = await anwbis('-p datalab -e dev -r admin -b firefox', '471265\n');
    expectOk(res);
    expect(res.stderr).toContain('[ OK ] You are authenticated as luis.gonzalez');
    expect(res.stderr).toContain('Assuming role admin from project datalab using MFA device from user luis.gonzalez...');
    expect(res.stderr).toContain('[ OK ] Assumed the role successfully');
    const [url] = await browserArgs('firefox');
    expect(new URL(url!).searchParams.get('Action')).toBe('login');
    expect(world.sandbox.read('credentials')).toMatch(/\[datalab-dev-admin\]\naws_access_key_id = \S+\naws_secret_access_key = \S+\naws_session_token = \S+\n/);
  });

  it('aws s3 ls --profile datalab-dev-admin, and aws --profile datalab-dev-admin s3 ls', async () => {
    expectOk(await anwbis('-p datalab -e dev -r admin --mfa-code 471265'));
    expect(await aws('s3 ls --profile datalab-dev-admin')).toMatchObject({ code: 0, stderr: '' });
    expect(await aws('--profile datalab-dev-admin s3 ls')).toMatchObject({ code: 0, stderr: '' });
    const id = await runAwsCli(['sts', 'get-caller-identity'], { env: { ...world.sandbox.env, AWS_PROFILE: 'datalab-dev-admin', AWS_DEFAULT_PROFILE: 'datalab-dev-admin' }, endpoint: world.moto.endpoint });
    expect(JSON.parse(id.stdout).Account).toBe(DEV);
  });

  it('anwbis --profile corp -p datalab -e dev -r contractor -c acme -ext acme-7f3a', async () => {
    expectOk(await anwbis('--profile corp -p datalab -e dev -r contractor -c acme -ext acme-7f3a --mfa-code 471265'));
    expect(await identity('datalab-dev-contractor-acme')).toMatchObject({ Account: DEV, Arn: `arn:aws:sts::${DEV}:assumed-role/dev-datalab-delegated-contractor-acme/${USER}` });
  });

  it('anwbis --profile corp -p datalab -e dev -r admin --get_session, then --profile corp-session-corp … --nomfa -b chrome', async () => {
    expectOk(await anwbis('--profile corp -p datalab -e dev -r admin --get_session', '471265\n'));
    expect(world.sandbox.read('credentials')).toContain('[corp-session-corp]');
    expectOk(await anwbis('--profile corp-session-corp -p datalab -e dev -r devops --nomfa -b chrome'));
    const [url] = await browserArgs('google-chrome');
    expect(new URL(url!).searchParams.get('SigninToken')).toBeTruthy();
  });

  it('--isolate gives each profile its own Chromium-family browser profile under ANWBIS_HOME', async () => {
    expectOk(await anwbis('-p datalab -e dev -r admin --mfa-code 471265 -b chrome --isolate'));
    const args = await browserArgs('google-chrome');
    expect(args).toContain(`--user-data-dir=${join(world.sandbox.anwbisHome, 'browser-profiles', 'datalab-dev-admin')}`);
  });

  it('the underscore spellings: --iam_master_group --iam_policy --iam_delegated_role', async () => {
    await world.moto.startRecording();
    expectOk(
      await anwbis(
        '-p datalab -e dev -r admin --mfa-code 471265 --iam_master_group corp-datalab-master-devops --iam_policy Delegated_Roles --iam_delegated_role dev-datalab-delegated-devops',
      ),
    );
    const read = (await world.moto.recording()).find((c) => c.action === 'GetGroupPolicy');
    expect(read?.params).toMatchObject({ GroupName: 'corp-datalab-master-devops', PolicyName: 'Delegated_Roles' });
    // The profile keeps the -p/-e/-r name; the role in it is the one the flags named.
    expect(await identity('datalab-dev-admin')).toEqual({
      UserId: expect.any(String),
      Account: DEV,
      Arn: `arn:aws:sts::${DEV}:assumed-role/dev-datalab-delegated-devops/${USER}`,
    });
  });
});
