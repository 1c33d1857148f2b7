import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { headlessChromium, type HeadlessChromium } from '@anwbis/tools/browser';
import { conventionScenario, runAnwbis } from '@anwbis/tools/emulator';
import { emulatorWorld, EXIT, expectOk, expectRefused, federationWorld, waitFor } from './helpers.js';

const DEV = '222222222222';
const USER = 'luis.gonzalez';

// moto has no console federation endpoint: a stand-in that follows AWS's documented protocol.
const federation = federationWorld();
const world = emulatorWorld(() => conventionScenario({ users: [USER], projects: { datalab: { envs: { dev: DEV }, roles: ['admin'] } } }));
let chromium: HeadlessChromium;

beforeEach(async () => {
  // `-b chromium` finds this wrapper first on PATH: Debian's Chromium, headless, in a throw-away profile.
  chromium = await headlessChromium();
  Object.assign(world.sandbox.env, { ANWBIS_FEDERATION_ENDPOINT: federation.standIn.endpoint, PATH: chromium.path(world.sandbox.env.PATH) });
});
afterEach(async () => {
  await chromium.remove();
  expect(existsSync(chromium.dir)).toBe(false);
});

const anwbis = (args: string[]) => runAnwbis(args, { env: world.sandbox.env });

function writtenKeys() {
  const text = world.sandbox.read('credentials');
  const section = text.slice(text.indexOf('[datalab-dev-admin]'));
  const value = (key: string) => new RegExp(`^${key} = (.*)$`, 'm').exec(section)?.[1];
  return { sessionId: value('aws_access_key_id'), sessionKey: value('aws_secret_access_key'), sessionToken: value('aws_session_token') };
}

describe('console sign-in (-b)', () => {
  it('opens Chromium, which arrives at the console signed in with the credentials anwbis wrote', async () => {
    const sessionsBefore = federation.standIn.sessions.length;
    const res = await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456', '-b', 'chromium', '--destination', 's3']);
    expectOk(res);
    expect(res.stderr).toMatch(/Opened the AWS console for datalab-dev-admin with .*chromium/);
    expect(res.stdout).toBe('');
    const session = federation.standIn.sessions[sessionsBefore]!;
    expect({ sessionId: session.sessionId, sessionKey: session.sessionKey, sessionToken: session.sessionToken }).toEqual(writtenKeys());
    const destination = 'https://console.aws.amazon.com/s3/home?region=eu-west-1';
    const login = await waitFor('the browser', () => federation.standIn.logins.find((l) => l.signinToken === session.signinToken), 180_000);
    expect(login).toEqual({ issuer: 'anwbis', destination, signinToken: session.signinToken, tokenValid: true });
    await waitFor('the browser', () => federation.standIn.landings.find((l) => l.destination === destination), 180_000);
  });

  it('-b link prints only the sign-in URL on stdout', async () => {
    const res = await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456', '-b', 'link']);
    expectOk(res);
    const url = new URL(res.stdout.trim());
    expect(res.stdout).toBe(`${url.href}\n`);
    expect(url.searchParams.get('Action')).toBe('login');
    expect(url.searchParams.get('Destination')).toBe('https://console.aws.amazon.com/console/home?region=eu-west-1');
    const token = url.searchParams.get('SigninToken');
    expect(federation.standIn.sessions.some((s) => s.signinToken === token)).toBe(true);
    expect(res.stderr).not.toContain(token!);
  });

  it('-b works on reused credentials too', async () => {
    expectOk(await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456']));
    const res = await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '-b', 'link']);
    expectOk(res);
    expect(res.stderr).toContain('Reusing profile datalab-dev-admin');
    const token = new URL(res.stdout.trim()).searchParams.get('SigninToken');
    const session = federation.standIn.sessions.find((s) => s.signinToken === token)!;
    expect(session.sessionId).toBe(writtenKeys().sessionId);
  });

  it('anwbis console reuses the written profile', async () => {
    expectOk(await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456']));
    const res = await anwbis(['console', '-p', 'datalab', '-e', 'dev', '-r', 'admin', '-b', 'link', '--destination', 'ec2']);
    expectOk(res);
    expect(new URL(res.stdout.trim()).searchParams.get('Destination')).toBe('https://console.aws.amazon.com/ec2/home?region=eu-west-1');
  });

  it('names a missing browser program and keeps the credentials it got', async () => {
    const res = await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456', '--browser-command', 'no-such-browser-xyz --new-window {url}']);
    expectRefused(res, EXIT.config, /browser command not found: looked for "no-such-browser-xyz"/);
    expect(writtenKeys().sessionToken).toBeDefined();
  });

  it('names every program it looked for when the chosen browser is not installed', async () => {
    const emptyPath = mkdtempSync(join(tmpdir(), 'anwbis-path-'));
    try {
      const res = await runAnwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456', '-b', 'chromium'], { env: { ...world.sandbox.env, PATH: emptyPath } });
      expectRefused(res, EXIT.config, /chromium[\s\S]*chromium-browser/);
      expect(writtenKeys().sessionToken).toBeDefined();
    } finally {
      rmSync(emptyPath, { recursive: true, force: true });
    }
  });

  it('anwbis console without valid credentials says what to run', async () => {
    const res = await anwbis(['console', '-p', 'datalab', '-e', 'dev', '-r', 'admin', '-b', 'link']);
    expectRefused(res, EXIT.config, /profile datalab-dev-admin has no valid credentials from anwbis[\s\S]*anwbis -p PROJECT -e ENV -r ROLE/);
    expect(res.stdout).toBe('');
  });
});
