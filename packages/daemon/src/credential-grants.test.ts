import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { FakeBackend } from './backend-fake.js';
import { DaemonClient } from './client.js';
import { announcedExpiration, MIN_ANNOUNCED_SECONDS } from './credential-grants.js';
import { startDaemon, type RunningDaemon } from './daemon.js';
import type { WatchSpec } from './watch-spec.js';

const T = new Date('2026-12-01T12:00:00Z');
const at = (seconds: number) => new Date(T.getTime() + seconds * 1000);

describe('announcedExpiration', () => {
  it.each([
    ['the next refresh, when it is well ahead', 3600, 3000, 3000],
    ['the real expiry when nothing is due', 3600, undefined, 3600],
    ['a floor when the refresh is late', 3600, -10, MIN_ANNOUNCED_SECONDS],
    ['a floor when the refresh is close', 3600, 5, MIN_ANNOUNCED_SECONDS],
    ['never later than the real expiry', 30, 5, 30],
    ['never later than the real expiry, even when the refresh is due after it', 600, 900, 600],
  ] as const)('is %s', (_what, real, due, expected) => {
    expect(announcedExpiration(at(real), due === undefined ? undefined : at(due), T)).toEqual(at(expected));
  });
});

const spec = (profile: string): WatchSpec => ({
  profile,
  sourceProfile: 'default',
  target: { project: 'datalab', env: 'dev', role: profile.split('-').pop()! },
  durationSeconds: 900,
});

function fetchCredentials(url: string, token: string): Promise<{ status: number; body: Record<string, string> }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { authorization: token } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(body) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('credentials.grant', () => {
  let dir: string;
  let env: Record<string, string>;
  let backend: FakeBackend;
  let daemon: RunningDaemon;
  const clients: DaemonClient[] = [];
  const client = async () => {
    const c = await DaemonClient.connect(env);
    clients.push(c);
    return c;
  };
  const savedWatches = () => {
    const path = join(env.ANWBIS_HOME!, 'daemon', 'watches.json');
    return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as { watches: WatchSpec[] }).watches.map((w) => w.profile) : [];
  };
  const closed = async (c: DaemonClient) => {
    c.close();
    await c.closed();
  };
  /** The daemon sees a connection close a moment after the client does. */
  const refusedSoon = async (grant: { url: string; token: string }) => {
    const end = Date.now() + 60_000;
    for (;;) {
      const { status } = await fetchCredentials(grant.url, grant.token);
      if (status !== 200 || Date.now() > end) return status;
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  beforeEach(async () => {
    // Short: a Unix socket path is limited to about 107 bytes.
    dir = mkdtempSync('/tmp/anwg-');
    env = { HOME: dir, XDG_RUNTIME_DIR: join(dir, 'run'), ANWBIS_HOME: join(dir, 'home') };
    mkdirSync(env.XDG_RUNTIME_DIR!, { mode: 0o700 });
    backend = new FakeBackend(dir);
    backend.sessions.set('default', new Date(Date.now() + 8 * 3600_000));
    backend.profiles.set('datalab-dev-admin', { accessKeyId: 'ASIAWRITTEN1', expiresAt: new Date(Date.now() + 900_000) });
    daemon = await startDaemon({ env, version: '9.9.9', backend, log: { info: () => undefined, warn: () => undefined }, notifier: () => undefined });
  });

  afterEach(async () => {
    for (const c of clients.splice(0)) c.close();
    await daemon.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves what the daemon wrote while the connection that asked is open, then refuses the token and forgets the watch', async () => {
    const c = await client();
    const grant = await c.grantCredentials(spec('datalab-dev-admin'));
    expect(grant).toEqual({ url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/credentials\/datalab-dev-admin$/), token: expect.any(String), profile: 'datalab-dev-admin', expiresAt: expect.any(String) });
    const served = await fetchCredentials(grant.url, grant.token);
    expect(served.status).toBe(200);
    expect(served.body.AccessKeyId).toBe('ASIAWRITTEN1');
    expect(savedWatches()).toEqual([]);
    expect((await c.status()).profiles.map((p) => p.profile)).toEqual(['datalab-dev-admin']);

    await closed(c);
    expect(await refusedSoon(grant)).toBe(403);
    expect((await (await client()).status()).profiles).toEqual([]);
  });

  it('keeps a profile a person watches after the grant ends, and saves it', async () => {
    const person = await client();
    await person.watch(spec('datalab-dev-admin'));
    const program = await client();
    const grant = await program.grantCredentials(spec('datalab-dev-admin'));
    await closed(program);
    expect(await refusedSoon(grant)).toBe(403);
    expect((await person.status()).profiles.map((p) => p.profile)).toEqual(['datalab-dev-admin']);
    expect(savedWatches()).toEqual(['datalab-dev-admin']);
  });

  it('keeps a granted profile watched until its last grant ends', async () => {
    const first = await client();
    const second = await client();
    const a = await first.grantCredentials(spec('datalab-dev-admin'));
    const b = await second.grantCredentials(spec('datalab-dev-admin'));
    expect(a.token).not.toBe(b.token);
    await closed(first);
    expect(await refusedSoon(a)).toBe(403);
    expect((await fetchCredentials(b.url, b.token)).status).toBe(200);
    await closed(second);
    expect(await refusedSoon(b)).toBe(403);
    expect((await (await client()).status()).profiles).toEqual([]);
  });

  it('answers the error the SDK reports once the corp session has ended, and status says needs-mfa', async () => {
    const c = await client();
    const grant = await c.grantCredentials(spec('datalab-dev-admin'));
    backend.sessions.set('default', new Date(Date.now() - 1000));
    await c.refresh('datalab-dev-admin');
    expect((await c.status()).profiles[0]?.state).toBe('needs-mfa');
    const answer = await fetchCredentials(grant.url, grant.token);
    expect(answer).toEqual({ status: 503, body: { code: 'CredentialsUnavailable', message: expect.stringContaining('renew it with `anwbis session`') } });
  });

  it('refuses a grant whose watch spec is invalid, like watch does', async () => {
    const c = await client();
    await expect(c.grantCredentials({ ...spec('datalab-dev-admin'), durationSeconds: 60 })).rejects.toThrow(/invalid params for credentials.grant/);
  });
});
