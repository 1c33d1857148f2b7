import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { connect, type Socket } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@anwbis/core/testing';
import { FakeBackend } from './backend-fake.js';
import { DaemonClient } from './client.js';
import { startDaemon, type RunningDaemon } from './daemon.js';
import { DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from './server.js';
import type { DaemonEvent } from './scheduler.js';
import { tokenPathFor } from './socket-dir.js';
import type { WatchSpec } from './watch-spec.js';

const spec = (profile: string): WatchSpec => ({
  profile,
  sourceProfile: 'default',
  target: { project: 'datalab', env: 'dev', role: profile.split('-').pop()! },
  durationSeconds: 900,
});

let dir: string;
let env: Record<string, string>;
let backend: FakeBackend;
let daemon: RunningDaemon | undefined;
const clients: DaemonClient[] = [];

beforeEach(async () => {
  // Short: a Unix socket path is limited to about 107 bytes.
  dir = mkdtempSync('/tmp/anwd-');
  env = { HOME: dir, XDG_RUNTIME_DIR: join(dir, 'run'), ANWBIS_HOME: join(dir, 'home') };
  backend = new FakeBackend(dir);
  backend.sessions.set('default', new Date(Date.now() + 8 * 3600_000));
  const { mkdirSync } = await import('node:fs');
  mkdirSync(env.XDG_RUNTIME_DIR!, { mode: 0o700 });
  daemon = await startDaemon({ env, version: '9.9.9', backend, log: { info: () => undefined, warn: () => undefined }, notifier: () => undefined, sectionSettleMs: 100 });
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await daemon?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const client = async () => {
  const c = await DaemonClient.connect(env);
  clients.push(c);
  return c;
};

/** Sends raw bytes and collects what comes back until the daemon closes or `untilLines` arrive. */
function raw(bytes: Buffer | string, untilLines = Infinity): Promise<{ lines: string[]; closed: boolean }> {
  return new Promise((resolve) => {
    const socket: Socket = connect(daemon!.socketPath);
    let data = '';
    const finish = (closed: boolean) => {
      socket.destroy();
      resolve({ lines: data.split('\n').filter(Boolean), closed });
    };
    socket.setEncoding('utf8');
    socket.on('data', (d: string) => {
      data += d;
      if (data.split('\n').length > untilLines) finish(false);
    });
    socket.on('close', () => finish(true));
    socket.on('error', () => undefined);
    socket.write(bytes);
  });
}

const token = () => readFileSync(tokenPathFor(daemon!.socketPath), 'utf8').trim();
const hello = () => `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'hello', params: { token: token(), protocol: 1 } })}\n`;

describe('the socket', () => {
  it('is 0600 in a 0700 directory, with a 0600 token beside it', () => {
    expect(daemon!.socketPath).toBe(join(env.XDG_RUNTIME_DIR!, 'anwbis', 'daemon.sock'));
    expect(statSync(daemon!.socketPath).mode & 0o777).toBe(0o600);
    expect(statSync(join(env.XDG_RUNTIME_DIR!, 'anwbis')).mode & 0o777).toBe(0o700);
    expect(statSync(tokenPathFor(daemon!.socketPath)).mode & 0o777).toBe(0o600);
    expect(token()).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    ['a wrong token', `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'hello', params: { token: 'f'.repeat(64), protocol: 1 } })}\n`],
    ['no token', `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'hello', params: { protocol: 1 } })}\n`],
    ['another method first', `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'status' })}\n`],
    ['garbage first', 'GET / HTTP/1.1\r\n\r\n'],
  ])('refuses %s and closes the connection', async (_name, first) => {
    const res = await raw(first + `${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'status' })}\n`);
    expect(res.closed).toBe(true);
    expect(res.lines.join('\n')).not.toContain('"result"');
  });

  it('refuses another protocol version', async () => {
    const res = await raw(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'hello', params: { token: token(), protocol: 99 } })}\n`);
    expect(res.closed).toBe(true);
    expect(JSON.parse(res.lines[0]!).error.message).toMatch(/speaks protocol 1/);
  });

  it('answers garbage, invalid UTF-8, unknown methods and bad params with errors, and keeps serving', async () => {
    const lines = Buffer.concat([
      Buffer.from(hello()),
      Buffer.from('not json\n'),
      Buffer.from([0xff, 0xfe, 0x7b, 0x0a]),
      Buffer.from(`${JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'frobnicate' })}\n`),
      Buffer.from(`${JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'watch', params: { watch: { profile: 'x]y' } } })}\n`),
      Buffer.from(`${JSON.stringify({ jsonrpc: '2.0', id: 5, method: 'roles', params: { sourceProfile: 'x]y' } })}\n`),
      Buffer.from(`${JSON.stringify({ jsonrpc: '2.0', id: 6, method: 'status' })}\n`),
    ]);
    const res = await raw(lines, 7);
    const byId = Object.fromEntries(res.lines.map((l) => JSON.parse(l)).map((m, i) => [m.id ?? `null${i}`, m]));
    expect(byId[1].result).toMatchObject({ protocol: 1, version: '9.9.9', pid: process.pid });
    expect(res.lines.filter((l) => JSON.parse(l).error?.code === -32700)).toHaveLength(2);
    expect(byId[3].error.code).toBe(-32601);
    expect(byId[4].error.code).toBe(-32602);
    expect(byId[5].error).toMatchObject({ code: -32602, message: expect.stringMatching(/sourceProfile/) });
    expect(byId[6].result).toMatchObject({ pid: process.pid, profiles: [] });
  });

  it('answers a batch one request after another, and a batch past 64 requests or an empty one with one error', async () => {
    const batch = (n: number) => `${JSON.stringify(Array.from({ length: n }, (_, i) => ({ jsonrpc: '2.0', id: i + 10, method: 'status' })))}\n`;
    const res = await raw(hello() + batch(64) + batch(65) + '[]\n', 4);
    // Answered in the order they are done: the refusals at once, the batch after its last request.
    const answers = res.lines.map((l) => JSON.parse(l));
    const ok = answers.find((a) => Array.isArray(a));
    const tooMany = answers.find((a) => a.error?.code === -32006);
    const empty = answers.find((a) => a.error?.code === -32600);
    expect(ok?.map((a: { id: number }) => a.id)).toEqual(Array.from({ length: 64 }, (_, i) => i + 10));
    expect(tooMany).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32006, message: 'a batch may hold at most 64 requests; this one holds 65' } });
    expect(empty).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32600, message: 'an empty batch' } });
  });

  it('answers a roles list longer than 4 MiB with an error that names the limit', async () => {
    const role = { project: 'datalab', env: 'dev', role: 'admin', account: '222222222222', group: 'corp-datalab-master-admin', policy: 'Delegated_Roles' };
    for (let i = 0; i < 12_000; i++) backend.roleList.push({ ...role, roleArn: `arn:aws:iam::222222222222:role/dev-datalab-delegated-admin-${i}-${'x'.repeat(200)}`, profile: `datalab-dev-admin-${i}` });
    const res = await raw(`${hello()}${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'roles' })}\n`, 2);
    expect(JSON.parse(res.lines[1]!)).toEqual({ jsonrpc: '2.0', id: 2, error: { code: -32006, message: expect.stringMatching(/^the answer is \d+ bytes, more than the 4194304 bytes an answer may be$/) } });
    expect((await (await client()).status()).pid).toBe(process.pid);
  });

  it('closes a connection that sends a 2 MB line, and survives half lines and clients that vanish', async () => {
    const big = await raw(Buffer.concat([Buffer.from(hello()), Buffer.alloc(2 * 1024 * 1024, 0x61), Buffer.from('\n')]));
    expect(big.closed).toBe(true);
    const half = connect(daemon!.socketPath);
    half.write(hello() + '{"jsonrpc":"2.0","id":2,"meth');
    await new Promise((r) => half.once('data', r));
    half.destroy();
    expect((await (await client()).status()).version).toBe('9.9.9');
  });
});

describe('connection limits', () => {
  const restart = async (connectionLimits: ConnectionLimits) => {
    await daemon?.stop();
    daemon = await startDaemon({ env, version: '9.9.9', backend, log: { info: () => undefined, warn: () => undefined }, notifier: () => undefined, connectionLimits });
  };
  const idle = async () => {
    const socket = connect(daemon!.socketPath);
    socket.on('error', () => undefined);
    await new Promise((resolve) => socket.once('connect', resolve));
    return socket;
  };

  it('128 held connections lock everyone out: 200 grant holders leave room for status and a new grant', async () => {
    backend.profiles.set('datalab-dev-admin', { accessKeyId: 'ASIAWRITTEN1', expiresAt: new Date(Date.now() + 900_000) });
    const holders = await Promise.all(Array.from({ length: 200 }, () => client()));
    await Promise.all(holders.map((c) => c.holdCredentials(spec('datalab-dev-admin'))));
    const late = await client();
    expect((await late.status()).grants).toBe(200);
    await late.holdCredentials(spec('datalab-dev-admin'));
    expect((await late.fetchCredentials('datalab-dev-admin')).accessKeyId).toBe('ASIAWRITTEN1');
  });

  it('a connection that never says hello is closed after the hello timeout', async () => {
    await restart({ ...DEFAULT_CONNECTION_LIMITS, helloTimeoutMs: 50 });
    const socket = await idle();
    await new Promise((resolve) => socket.once('close', resolve));
  });

  it('connections that have not said hello fill their own places, and the next client is told so', async () => {
    await restart({ ...DEFAULT_CONNECTION_LIMITS, unauthenticated: 2, helloTimeoutMs: 600_000 });
    const sockets = [await idle(), await idle()];
    await expect(DaemonClient.connect(env)).rejects.toThrow('the daemon has 2 connections that have not said hello yet');
    sockets[0]!.destroy();
    await waitFor(async () => (await DaemonClient.connect(env).then((c) => (clients.push(c), true)).catch(() => false)));
    sockets[1]!.destroy();
  });

  it('clients that hold no grant are limited apart from grant holders, with an error naming the limit', async () => {
    await restart({ ...DEFAULT_CONNECTION_LIMITS, clients: 2, holders: 1 });
    const [a] = [await client(), await client()];
    await expect(DaemonClient.connect(env)).rejects.toThrow(/the daemon already serves 2 clients/);
    await a!.holdCredentials(spec('datalab-dev-admin'));
    const b = await client();
    await expect(b.holdCredentials(spec('datalab-dev-admin'))).rejects.toThrow(/the daemon already holds grants for 1 programs/);
  });

  it('one connection holds at most 16 grants', async () => {
    const c = await client();
    for (let i = 0; i < 16; i++) await c.holdCredentials(spec('datalab-dev-admin'));
    await expect(c.holdCredentials(spec('datalab-dev-admin'))).rejects.toThrow(/this connection already holds 16 grants/);
    expect((await c.status()).grants).toBe(16);
  });
});

describe('the methods', () => {
  it('watch refreshes a profile at once when nothing is written, status shows it, subscribers hear it', async () => {
    const events: DaemonEvent[] = [];
    const listener = await client();
    await listener.subscribe((e) => events.push(e));
    const c = await client();
    expect(await c.watch(spec('datalab-dev-admin'))).toEqual({ profile: 'datalab-dev-admin', state: 'pending' });
    const [refreshed] = await c.refresh('datalab-dev-admin');
    expect(refreshed).toMatchObject({ profile: 'datalab-dev-admin', state: 'fresh', lastError: null });
    expect(backend.refreshes[0]).toBe('datalab-dev-admin');
    const status = await c.status();
    expect(status).toEqual({
      pid: process.pid,
      grants: 0,
      version: '9.9.9',
      socket: daemon!.socketPath,
      session: { profile: 'corp-session-default', state: 'valid', expiresAt: backend.sessions.get('default')!.toISOString() },
      profiles: [{ profile: 'datalab-dev-admin', state: 'fresh', expiresAt: expect.any(String), lastRefreshAt: expect.any(String), lastError: null }],
    });
    await waitFor(() => events.some((e) => e.type === 'refreshed'));
    await waitFor(() => JSON.parse(readFileSync(join(env.ANWBIS_HOME!, 'daemon', 'watches.json'), 'utf8')).watches.length === 1);
    expect(JSON.parse(readFileSync(join(env.ANWBIS_HOME!, 'daemon', 'watches.json'), 'utf8')).watches).toEqual([spec('datalab-dev-admin')]);
    expect(await c.unwatch('datalab-dev-admin')).toEqual({ profile: 'datalab-dev-admin', removed: true });
    expect((await c.status()).profiles).toEqual([]);
  });

  it('roles lists core\'s roles with each profile\'s status and whether the daemon watches it', async () => {
    const role = (name: string, profile: string | null) => ({
      project: 'datalab',
      env: 'dev',
      role: name,
      account: '222222222222',
      roleArn: `arn:aws:iam::222222222222:role/dev-datalab-delegated-${name}`,
      profile,
      group: 'corp-datalab-master-admin',
      policy: 'Delegated_Roles',
    });
    backend.roleList.push(role('admin', 'datalab-dev-admin'), role('devops', 'datalab-dev-devops'), role('odd', null));
    const expiresAt = new Date(Date.now() + 3600_000);
    backend.roleStatuses.set(role('devops', null).roleArn, { state: 'valid', expiresAt });
    const c = await client();
    await c.watch(spec('datalab-dev-admin'));
    await c.refresh('datalab-dev-admin');
    const listed = await c.roles({ sourceProfile: 'corp', refresh: true });
    expect(backend.roleRequests).toEqual([{ sourceProfile: 'corp', refresh: true }]);
    expect(listed).toMatchObject({ sourceProfile: 'corp', userName: 'fake.user', account: '111111111111', fromCache: false, problems: [] });
    expect(listed.roles.map((r) => [r.role, r.status, r.expiresAt, r.watched, r.watchState])).toEqual([
      ['admin', 'not-assumed', null, true, 'fresh'],
      ['devops', 'valid', expiresAt.toISOString(), false, null],
      ['odd', 'not-assumed', null, false, null],
    ]);
    expect(listed.roles[0]).toMatchObject(role('admin', 'datalab-dev-admin'));
    await expect(c.request('roles', { refresh: 'yes' } as never)).rejects.toThrow(/invalid params for roles/);
  });

  it('an expired corp session leaves profiles needing MFA until session.unlock, which refreshes them', async () => {
    backend.sessions.set('default', new Date(Date.now() - 1000));
    const c = await client();
    await c.watch(spec('datalab-dev-admin'));
    await c.refresh();
    expect((await c.status()).profiles[0]!.state).toBe('needs-mfa');
    expect((await c.status()).session!.state).toBe('expired');
    await expect(c.unlock('12345')).rejects.toThrow(/six digits/);
    const unlocked = await c.unlock('123456');
    expect(unlocked.profile).toBe('corp-session-default');
    await waitFor(async () => (await c.status()).profiles[0]!.state === 'fresh');
  });

  it('a change to the AWS files does not unwatch a watched profile that was never written yet (it was taken for a deleted section)', async () => {
    backend.failNext('throttled');
    const c = await client();
    await c.watch(spec('datalab-dev-admin'));
    await waitFor(async () => (await c.status()).profiles[0]!.state === 'retrying');
    const looked = backend.writtenCalls;
    writeFileSync(backend.files.credentials, '[default]\n');
    await waitFor(() => backend.writtenCalls > looked);
    expect((await c.status()).profiles.map((p) => p.profile)).toEqual(['datalab-dev-admin']);
  });

  it('a watched profile whose section was deleted is unwatched', async () => {
    const c = await client();
    await c.watch(spec('datalab-dev-admin'));
    await c.refresh('datalab-dev-admin');
    backend.profiles.delete('datalab-dev-admin');
    writeFileSync(backend.files.credentials, '[default]\n');
    await waitFor(async () => (await c.status()).profiles.length === 0);
  });

  it('a deleted section that comes back with the key anwbis wrote is watched again', async () => {
    const c = await client();
    await c.watch(spec('datalab-dev-admin'));
    await c.refresh('datalab-dev-admin');
    const written = backend.profiles.get('datalab-dev-admin')!;
    backend.profiles.delete('datalab-dev-admin');
    writeFileSync(backend.files.credentials, '[default]\n');
    await waitFor(async () => (await c.status()).profiles.length === 0);
    backend.profiles.set('datalab-dev-admin', written);
    writeFileSync(backend.files.credentials, '[default]\n[datalab-dev-admin]\n');
    await waitFor(async () => (await c.status()).profiles.length === 1);
    expect((await c.status()).profiles[0]).toMatchObject({ profile: 'datalab-dev-admin', state: 'fresh', expiresAt: written.expiresAt.toISOString() });
    await waitFor(() => JSON.parse(readFileSync(join(env.ANWBIS_HOME!, 'daemon', 'watches.json'), 'utf8')).watches.length === 1);
    expect(JSON.parse(readFileSync(join(env.ANWBIS_HOME!, 'daemon', 'watches.json'), 'utf8')).watches).toEqual([spec('datalab-dev-admin')]);
  });

  it('a credentials file with no section at all (an editor between truncate and write) unwatches nothing', async () => {
    const c = await client();
    await c.watch(spec('datalab-dev-admin'));
    await c.refresh('datalab-dev-admin');
    backend.profiles.clear();
    const looked = backend.writtenCalls;
    writeFileSync(backend.files.credentials, '');
    await waitFor(() => backend.writtenCalls > looked);
    expect((await c.status()).profiles.map((p) => p.profile)).toEqual(['datalab-dev-admin']);
  });

  it('a forced refresh gives each AWS call 10 s, and when STS cannot be reached for one profile the others of its corp session share that outcome (they each waited out 30 s, 4 at a time)', async () => {
    const c = await client();
    const profiles = ['datalab-dev-admin', 'datalab-dev-devops', 'datalab-dev-r1'];
    for (const p of profiles) await c.watch(spec(p));
    await waitFor(async () => (await c.status()).profiles.every((p) => p.state === 'fresh'));
    backend.refreshes.length = 0;
    backend.failNext('throttled', 'https://sts.example did not answer within 10 s (3 attempts)');
    const refreshed = await c.refresh();
    expect(backend.refreshes).toHaveLength(1);
    expect(backend.refreshTimeouts.get(backend.refreshes[0]!)).toBe(10_000);
    expect(refreshed.map((p) => [p.profile, p.state])).toEqual(profiles.map((p) => [p, 'retrying']));
    for (const p of refreshed) expect(p.lastError).toMatch(/did not answer within 10 s/);

    backend.refreshes.length = 0;
    const again = await c.refresh();
    expect(backend.refreshes.sort()).toEqual(profiles);
    expect(again.map((p) => p.state)).toEqual(['fresh', 'fresh', 'fresh']);
  });

  it('refresh of a profile nobody watches is an error with a next step', async () => {
    await expect((await client()).refresh('nope-dev-admin')).rejects.toThrow(/nope-dev-admin is not watched/);
  });

  it('shutdown stops the daemon and removes the socket and token', async () => {
    const c = await client();
    expect(await c.shutdown()).toEqual({ stopping: true });
    await daemon!.stopped;
    expect(() => statSync(daemon!.socketPath)).toThrow();
    expect(() => statSync(tokenPathFor(daemon!.socketPath))).toThrow();
  });
});

describe('starting', () => {
  it('answers every client that connects while it starts (a start polls the socket; an unhandled connection hung it)', async () => {
    await daemon!.stop();
    daemon = undefined;
    const socketPath = join(env.XDG_RUNTIME_DIR!, 'anwbis', 'daemon.sock');
    let started = false;
    const early: Socket[] = [];
    // Clients that try to connect as fast as they can, as `anwbis daemon start` does while it waits.
    const poll = async () => {
      while (!started) {
        const socket = await new Promise<Socket | undefined>((resolve) => {
          const s = connect(socketPath);
          s.once('connect', () => resolve(s));
          s.once('error', () => resolve(undefined));
        });
        if (socket) return void early.push(socket);
        await new Promise((r) => setImmediate(r));
      }
    };
    const pollers = Array.from({ length: 16 }, poll);
    daemon = await startDaemon({ env, version: '9.9.9', backend, log: { info: () => undefined, warn: () => undefined }, notifier: () => undefined });
    started = true;
    await Promise.all(pollers);
    const answers = await Promise.all(
      early.map(
        (socket) =>
          new Promise<string>((resolve) => {
            let got = '';
            const timer = setTimeout(() => resolve(`no answer: ${got}`), 3000);
            socket.setEncoding('utf8').on('data', (d: string) => {
              got += d;
              if (got.includes('\n')) {
                clearTimeout(timer);
                resolve(got);
              }
            });
            socket.on('error', () => undefined);
            socket.write(hello());
          }),
      ),
    );
    for (const socket of early) socket.destroy();
    expect(early.length).toBeGreaterThan(0);
    for (const answer of answers) expect(answer).toContain('"result"');
  });
});
