import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { consoleLoginUrl, createBrowserLauncher, signinTokenUrl } from '@anwbis/core';
import { headlessChromium } from '../src/browser/index.js';
import { startFederationStandIn, type FederationStandIn } from '../src/federation/index.js';

/** Role-session credentials as AWS shapes them, with the characters that need encoding. */
const credentials = {
  accessKeyId: 'ASIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY+EXAMPLE=KEY',
  sessionToken: 'IQoJb3JpZ2luX2VjEHQa+/CXVzLWVhc3QtMSJGMEQCIF//EXAMPLE==',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, timeoutMs: number, probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

describe('console sign-in through the federation stand-in', () => {
  let standIn: FederationStandIn;
  const cleanups: Array<() => Promise<void>> = [];

  beforeAll(async () => {
    standIn = await startFederationStandIn({ acceptSession: (s) => !s.sessionId.startsWith('AKIA') });
  });
  afterEach(async () => {
    while (cleanups.length > 0) await cleanups.pop()!();
  });
  afterAll(async () => {
    await standIn?.close();
  });

  it('signs a real Chromium in and lands it on the destination', async () => {
    // The `chromium` the launcher finds on PATH runs Debian's Chromium headless in a throw-away profile.
    const chromium = await headlessChromium();
    cleanups.push(async () => {
      await chromium.remove();
      expect(existsSync(chromium.dir)).toBe(false);
    });
    const env = { ...process.env, PATH: chromium.path(process.env.PATH), ANWBIS_FEDERATION_ENDPOINT: standIn.endpoint };

    const url = await consoleLoginUrl({ credentials, region: 'eu-west-1', destination: 's3', sessionDuration: 3600, env });

    expect(standIn.sessions).toHaveLength(1);
    const session = standIn.sessions[0]!;
    expect(session).toMatchObject({
      sessionId: credentials.accessKeyId,
      sessionKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
      sessionDuration: 3600,
    });

    const result = await createBrowserLauncher({ env }).open(url, 'chromium');
    expect(result).toMatchObject({ kind: 'launched', command: join(chromium.dir, 'bin', 'chromium') });

    const destination = 'https://console.aws.amazon.com/s3/home?region=eu-west-1';
    const landing = await until('the browser to reach the console landing page', 180_000, () =>
      standIn.landings.find((l) => l.destination === destination),
    );
    expect(landing.userAgent).toMatch(/Chrom/);
    expect(standIn.logins).toContainEqual({ issuer: 'anwbis', destination, signinToken: session.signinToken, tokenValid: true });
    expect(standIn.logins.every((login) => login.tokenValid)).toBe(true);
  });

  it('reports credentials the endpoint will not sign in, without their secrets', async () => {
    const longTerm = { ...credentials, accessKeyId: 'AKIAIOSFODNN7EXAMPLE' };
    const attempt = consoleLoginUrl({ credentials: longTerm, region: 'eu-west-1', env: { ANWBIS_FEDERATION_ENDPOINT: standIn.endpoint } });
    const error = await attempt.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: 'AnwbisError' });
    const { kind, message, next } = error as { kind: string; message: string; next: string };
    expect(kind).toBe('aws');
    expect(message).toBe(`the federation endpoint ${standIn.endpoint} refused the sign-in token request (HTTP 400)`);
    expect(next).toContain('GetSessionToken');
    expect(`${message} ${next}`).not.toContain(credentials.secretAccessKey);
  });

  it.each([
    ['an extra key', { ...credentials, extra: 'x' }],
    ['a missing token', { accessKeyId: 'ASIA1', secretAccessKey: 'k' }],
  ])('the stand-in refuses a session with %s, as AWS does', async (_what, session) => {
    const url = new URL(standIn.endpoint);
    url.search = new URLSearchParams({ Action: 'getSigninToken', Session: JSON.stringify(session) }).toString();
    const res = await fetch(url);
    expect(res.status).toBe(400);
  });

  it('the stand-in refuses a login with a token it did not issue', async () => {
    const before = standIn.logins.length;
    const url = new URL(standIn.endpoint);
    url.search = new URLSearchParams({ Action: 'login', Issuer: 'anwbis', Destination: 'https://console.aws.amazon.com/', SigninToken: 'forged' }).toString();
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(400);
    expect(standIn.logins.slice(before)).toEqual([{ issuer: 'anwbis', destination: 'https://console.aws.amazon.com/', signinToken: 'forged', tokenValid: false }]);
  });

  it('the stand-in accepts what signinTokenUrl builds', async () => {
    const res = await fetch(signinTokenUrl(standIn.endpoint, credentials));
    expect(res.status).toBe(200);
    expect(Object.keys((await res.json()) as object)).toEqual(['SigninToken']);
  });
});
