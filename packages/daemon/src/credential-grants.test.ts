import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@anwbis/core/testing';
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

describe('credentials.hold and credentials.fetch', () => {
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

  it('serves what the daemon wrote to the connection that holds the grant, then forgets the watch when it closes', async () => {
    const c = await client();
    expect(await c.holdCredentials(spec('datalab-dev-admin'))).toEqual({ profile: 'datalab-dev-admin', expiresAt: expect.any(String) });
    expect(await c.fetchCredentials('datalab-dev-admin')).toMatchObject({ accessKeyId: 'ASIAWRITTEN1', expiration: expect.any(String) });
    expect(savedWatches()).toEqual([]);
    expect(await c.status()).toMatchObject({ grants: 1, profiles: [expect.objectContaining({ profile: 'datalab-dev-admin' })] });

    await closed(c);
    const other = await client();
    await waitFor(async () => (await other.status()).grants === 0);
    expect((await other.status()).profiles).toEqual([]);
  });

  it('refuses a fetch of a profile the connection holds no grant of', async () => {
    const holder = await client();
    await holder.holdCredentials(spec('datalab-dev-admin'));
    const other = await client();
    await expect(other.fetchCredentials('datalab-dev-admin')).rejects.toThrow(/this connection holds no grant of datalab-dev-admin/);
    await expect(holder.fetchCredentials('datalab-dev-devops')).rejects.toThrow(/holds no grant of datalab-dev-devops/);
  });

  it('keeps a profile a person watches after the grant ends, and saves it', async () => {
    const person = await client();
    await person.watch(spec('datalab-dev-admin'));
    const program = await client();
    await program.holdCredentials(spec('datalab-dev-admin'));
    await closed(program);
    await waitFor(async () => (await person.status()).grants === 0);
    expect((await person.status()).profiles.map((p) => p.profile)).toEqual(['datalab-dev-admin']);
    expect(savedWatches()).toEqual(['datalab-dev-admin']);
  });

  it('keeps a granted profile watched until its last grant ends', async () => {
    const first = await client();
    const second = await client();
    await first.holdCredentials(spec('datalab-dev-admin'));
    await second.holdCredentials(spec('datalab-dev-admin'));
    await closed(first);
    await waitFor(async () => (await second.status()).grants === 1);
    expect((await second.fetchCredentials('datalab-dev-admin')).accessKeyId).toBe('ASIAWRITTEN1');
    await closed(second);
    const other = await client();
    await waitFor(async () => (await other.status()).grants === 0);
    expect((await other.status()).profiles).toEqual([]);
  });

  it('answers the error the program is told once the corp session has ended, and status says needs-mfa', async () => {
    const c = await client();
    await c.holdCredentials(spec('datalab-dev-admin'));
    backend.sessions.set('default', new Date(Date.now() - 1000));
    await c.refresh('datalab-dev-admin');
    expect((await c.status()).profiles[0]?.state).toBe('needs-mfa');
    await expect(c.fetchCredentials('datalab-dev-admin')).rejects.toThrow(/renew it with `anwbis session`/);
  });

  it('refuses a grant whose watch spec is invalid, like watch does', async () => {
    const c = await client();
    await expect(c.holdCredentials({ ...spec('datalab-dev-admin'), durationSeconds: 60 })).rejects.toThrow(/invalid params for credentials.hold/);
  });
});
