import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { chmodSync, closeSync, existsSync, ftruncateSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { connect } from 'node:net';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { conventionScenario, runAnwbis, runAwsCli } from '@anwbis/tools/emulator';
import { processRunning } from '@anwbis/core';
import { DaemonClient } from '@anwbis/daemon';
import { emulatorWorld, modeOf, waitFor as waitUntil } from './helpers.js';

const waitFor = <T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>) => waitUntil(what, probe, 90_000);

const DEV = '222222222222';
const USER = 'luis.gonzalez';
const OTHER_ROLES = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8'];

const world = emulatorWorld(() => conventionScenario({ users: [USER], projects: { datalab: { envs: { dev: DEV }, roles: ['admin', 'devops', ...OTHER_ROLES] } } }));

let runtime: string;
let env: Record<string, string>;
const pids = new Set<number>();

beforeEach(() => {
  // Short, private, per test: a Unix socket path is limited to about 107 bytes.
  runtime = mkdtempSync('/tmp/anwr-');
  chmodSync(runtime, 0o700);
  env = { ...world.sandbox.env, XDG_RUNTIME_DIR: runtime };
});

afterEach(async () => {
  await runAnwbis(['daemon', 'stop', '--force'], { env });
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  pids.clear();
  rmSync(runtime, { recursive: true, force: true });
});

const anwbis = (args: string[], extra: Record<string, string> = {}) => runAnwbis(args, { env: { ...env, ...extra } });
const aws = (args: string[]) => runAwsCli(args, { env, endpoint: world.moto.endpoint });
const sectionKey = (profile: string) => new RegExp(`\\[${profile}\\]\\naws_access_key_id = (\\S+)`).exec(world.sandbox.read('credentials'))?.[1];
const socketPath = () => join(runtime, 'anwbis', 'daemon.sock');

const daemonLog = () => readFileSync(join(world.sandbox.anwbisHome, 'logs', 'daemon.log'), 'utf8');
const savedWatches = () => (JSON.parse(readFileSync(join(world.sandbox.anwbisHome, 'daemon', 'watches.json'), 'utf8')) as { watches: Array<{ profile: string }> }).watches.map((w) => w.profile);

function settings(text: string): void {
  mkdirSync(world.sandbox.anwbisHome, { recursive: true, mode: 0o700 });
  writeFileSync(join(world.sandbox.anwbisHome, 'config'), text);
}

async function status(): Promise<{ pid: number; session: { profile: string; state: string; expiresAt: string | null } | null; profiles: Array<Record<string, string | null>> }> {
  const res = await anwbis(['daemon', 'status', '--json']);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout);
}

async function startDaemon(): Promise<number> {
  const res = await anwbis(['daemon', 'start']);
  expect(res.stderr).toMatch(/The anwbis daemon is (already )?running/);
  expect(res.code).toBe(0);
  const { pid } = await status();
  pids.add(pid);
  return pid;
}


describe('anwbis daemon and watch, as a person uses them', () => {
  it('keeps a watched profile fresh from the corp session, without MFA, and the AWS CLI takes the new key', async () => {
    settings('[daemon]\nrefresh_before_seconds = 895\nnotifications = false\n');
    expect((await anwbis(['session', '--mfa-code', '123456'])).code).toBe(0);
    const sessionKey = sectionKey('corp-session-default');
    await startDaemon();
    await world.moto.startRecording();
    const watched = await anwbis(['watch', '-p', 'datalab', '-e', 'dev', '-r', 'admin', '--duration', '900']);
    expect(watched.stderr).toContain('The daemon keeps datalab-dev-admin fresh from corp-session-default');
    expect(watched.code).toBe(0);
    const first = sectionKey('datalab-dev-admin');
    expect(first).toMatch(/^ASIA/);

    const second = await waitFor('the daemon to refresh the profile', async () => {
      const key = sectionKey('datalab-dev-admin');
      return key !== first && key;
    });
    const calls = (await world.moto.recording()).filter((c) => c.action === 'AssumeRole');
    expect(calls.length).toBeGreaterThanOrEqual(2);
    for (const call of calls) {
      expect(call.accessKeyId).toBe(sessionKey);
      expect(call.params).not.toHaveProperty('SerialNumber');
      expect(call.params).not.toHaveProperty('TokenCode');
      expect(call.params.DurationSeconds).toBe('900');
    }
    const id = await aws(['sts', 'get-caller-identity', '--profile', 'datalab-dev-admin']);
    expect(JSON.parse(id.stdout).Arn).toBe(`arn:aws:sts::${DEV}:assumed-role/dev-datalab-delegated-admin/${USER}`);
    expect(second).toMatch(/^ASIA/);

    const shown = await status();
    expect(Object.keys(shown).sort()).toEqual(['grants', 'pid', 'profiles', 'session', 'socket', 'version']);
    expect(shown.session).toEqual({ profile: 'corp-session-default', state: 'valid', expiresAt: expect.any(String) });
    expect(shown.profiles).toEqual([
      { profile: 'datalab-dev-admin', state: expect.stringMatching(/^(fresh|refreshing)$/), expiresAt: expect.any(String), lastRefreshAt: expect.any(String), lastError: null },
    ]);
    const log = readFileSync(join(world.sandbox.anwbisHome, 'logs', 'daemon.log'), 'utf8');
    expect(log).toContain('refreshed datalab-dev-admin');
    const secret = /aws_secret_access_key = (\S+)/.exec(world.sandbox.read('credentials'))![1]!;
    expect(log).not.toContain(secret);
  });

  it('watch without a valid corp session names the command that starts one, and assume --watch hands over', async () => {
    await startDaemon();
    const res = await anwbis(['watch', '-p', 'datalab', '-e', 'dev', '-r', 'admin']);
    expect(res.code).toBe(3);
    expect(res.stderr).toContain('there is no valid corp session corp-session-default');
    expect(res.stderr).toContain('`anwbis session`');

    const assumed = await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'devops', '--get_session', '--mfa-code', '123456', '--watch']);
    expect(assumed.stderr).toContain('The daemon keeps datalab-dev-devops fresh');
    expect(assumed.code).toBe(0);
    expect((await status()).profiles.map((p) => p.profile)).toEqual(['datalab-dev-devops']);
    expect(await anwbis(['unwatch', '--target', 'datalab-dev-devops'])).toMatchObject({ code: 0, stderr: '[ OK ] The daemon no longer refreshes datalab-dev-devops\n' });
    expect((await status()).profiles).toEqual([]);
  });

  it('watch with the daemon not running says how to start it', async () => {
    const res = await anwbis(['watch', '-p', 'datalab', '-e', 'dev', '-r', 'admin']);
    expect(res.code).toBe(3);
    expect(res.stderr).toContain('the anwbis daemon is not running');
    expect(res.stderr).toContain('anwbis daemon start');
  });

  it('a second start keeps the first; kill -9 then start restores the watch list; stop removes the socket', async () => {
    expect((await anwbis(['session', '--mfa-code', '123456'])).code).toBe(0);
    const pid = await startDaemon();
    expect(modeOf(socketPath())).toBe('600');
    expect(modeOf(join(runtime, 'anwbis'))).toBe('700');
    expect(modeOf(join(runtime, 'anwbis', 'daemon.token'))).toBe('600');
    expect(await startDaemon()).toBe(pid);
    expect((await anwbis(['watch', '-p', 'datalab', '-e', 'dev', '-r', 'admin'])).code).toBe(0);

    process.kill(pid, 'SIGKILL');
    await waitFor('the daemon to die', async () => !processRunning(pid));
    expect(statSync(socketPath()).isSocket()).toBe(true);
    const again = await startDaemon();
    expect(again).not.toBe(pid);
    expect((await status()).profiles).toEqual([expect.objectContaining({ profile: 'datalab-dev-admin', state: 'fresh' })]);

    const stopped = await anwbis(['daemon', 'stop']);
    expect(stopped.code).toBe(0);
    expect(existsSync(socketPath())).toBe(false);
    await waitFor('the daemon to exit', async () => !processRunning(again));
    const none = await anwbis(['daemon', 'status']);
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('the anwbis daemon is not running');
  });

  it('daemon stop said "has stopped" before the process had exited: it waits for the exit, and says so when it does not come in time', async () => {
    // The daemon's process lingers after it has closed its socket (as a slow exit would): Node
    // runs this `exit` handler, which blocks, once the daemon has stopped serving. Only the
    // daemon (`daemon run`) lingers, not the `daemon start` that launches it.
    const linger = join(runtime, 'linger.cjs');
    writeFileSync(
      linger,
      "if (process.argv.slice(2).join(' ') === 'daemon run') process.on('exit', () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(process.env.LINGER_MS)));\n",
    );
    const lingering = async (ms: number) => {
      const res = await anwbis(['daemon', 'start'], { NODE_OPTIONS: `--require ${linger}`, LINGER_MS: String(ms) });
      expect(res.code).toBe(0);
      const { pid } = await status();
      pids.add(pid);
      return pid;
    };

    const pid = await lingering(3000);
    const stopped = await anwbis(['daemon', 'stop']);
    expect({ code: stopped.code, stderr: stopped.stderr }).toEqual({ code: 0, stderr: expect.stringContaining(`The anwbis daemon (pid ${pid}) has stopped`) });
    expect(processRunning(pid)).toBe(false);

    const stuck = await lingering(600_000);
    const late = await anwbis(['daemon', 'stop', '--timeout', '1']);
    expect(late.code).toBe(3);
    expect(late.stderr).toContain(`the anwbis daemon (pid ${stuck}) has closed its socket but its process has not exited within 1 s`);
    expect(late.stderr).toContain(`kill ${stuck}`);
    expect(late.stderr).not.toContain('has stopped');
  });

  it('refuses a wrong or missing token, and survives garbage and a 2 MB line', async () => {
    await startDaemon();
    const send = (bytes: Buffer) =>
      new Promise<string>((resolve) => {
        const socket = connect(socketPath());
        let got = '';
        socket.setEncoding('utf8').on('data', (d: string) => (got += d));
        socket.on('error', () => undefined);
        socket.on('close', () => resolve(got));
        socket.end(bytes);
      });
    const wrong = await send(Buffer.from(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'hello', params: { token: '0'.repeat(64), protocol: 1 } })}\n{"jsonrpc":"2.0","id":2,"method":"status"}\n`));
    expect(wrong).toContain('wrong or missing token');
    expect(wrong).not.toContain('"result"');
    const missing = await send(Buffer.from('{"jsonrpc":"2.0","id":1,"method":"status"}\n'));
    expect(missing).not.toContain('"result"');
    await send(Buffer.from([0xde, 0xad, 0xbe, 0xef, 0xff, 0x0a]));
    await send(Buffer.concat([Buffer.alloc(2 * 1024 * 1024, 0x7b), Buffer.from('\n')]));
    await send(Buffer.from('{"jsonrpc":"2.0","id":1,"meth'));
    expect((await status()).profiles).toEqual([]);
  });

  it('one batch line of 20 roles requests (5,031 roles) or 20,000 status requests, and clients that never read, no longer kill the daemon (96 MB heap)', async () => {
    expect((await anwbis(['session', '--mfa-code', '123456'])).code).toBe(0);
    expect((await anwbis(['roles', '--json'])).code).toBe(0);
    const rolesDir = join(world.sandbox.anwbisHome, 'roles');
    const cacheFile = join(rolesDir, readdirSync(rolesDir).find((f) => f !== 'used.json')!);
    const cache = JSON.parse(readFileSync(cacheFile, 'utf8'));
    const template = cache.roles[0];
    cache.roles = Array.from({ length: 5031 }, (_, i) => ({
      ...template,
      env: `e${i}`,
      roleArn: `arn:aws:iam::${DEV}:role/e${i}-datalab-delegated-admin-${'x'.repeat(120)}`,
      profile: `datalab-e${i}-admin`,
    }));
    writeFileSync(cacheFile, JSON.stringify(cache));
    const pid = await startDaemon();
    const token = readFileSync(join(runtime, 'anwbis', 'daemon.token'), 'utf8').trim();
    const hello = `${JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'hello', params: { token, protocol: 1 } })}\n`;
    const request = (id: number, method: string) => ({ jsonrpc: '2.0', id, method });
    /** Sends after hello and reads the answer lines until `lines` arrived or the daemon closed. */
    const exchange = (payload: string, lines: number) =>
      new Promise<string[]>((resolve) => {
        const socket = connect(socketPath());
        let got = '';
        const done = () => {
          socket.destroy();
          resolve(got.split('\n').filter(Boolean));
        };
        socket.setEncoding('utf8').on('data', (d: string) => {
          got += d;
          if (got.split('\n').length > lines) done();
        });
        socket.on('error', () => undefined);
        socket.on('close', done);
        socket.write(hello + payload);
      });

    const batch = JSON.stringify(Array.from({ length: 20 }, (_, i) => request(i + 1, 'roles')));
    expect(Buffer.byteLength(batch)).toBeLessThan(1000);
    const [, rolesAnswer] = await exchange(`${batch}\n`, 2);
    const answers = JSON.parse(rolesAnswer!) as Array<{ id: number; result?: { roles: unknown[] }; error?: { code: number; message: string } }>;
    expect(answers.map((a) => a.id).sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(answers[0]!.result!.roles).toHaveLength(5031);
    const refused = answers.filter((a) => a.error);
    expect(refused.length).toBeGreaterThan(0);
    for (const a of refused) expect(a.error).toEqual({ code: -32006, message: expect.stringContaining('4194304 bytes') });

    const [, statusAnswer] = await exchange(`${JSON.stringify(Array.from({ length: 20_000 }, (_, i) => request(i + 1, 'status')))}\n`, 2);
    expect(JSON.parse(statusAnswer!)).toEqual({ jsonrpc: '2.0', id: null, error: { code: -32006, message: 'a batch may hold at most 64 requests; this one holds 20000' } });

    // Clients that ask and ask and never read what they are answered (no data listener).
    const silent = Array.from({ length: 16 }, () => {
      const socket = connect(socketPath());
      socket.on('error', () => undefined);
      socket.write(hello + `${JSON.stringify(request(1, 'roles'))}\n`.repeat(64));
      return socket;
    });
    try {
      await waitFor('the daemon to close the clients that do not read', () => (daemonLog().match(/closed a client that left \d+ MB of answers unread/g) ?? []).length >= silent.length);
    } finally {
      for (const socket of silent) socket.destroy();
    }

    expect(processRunning(pid)).toBe(true);
    expect((await status()).pid).toBe(pid);
    expect(daemonLog()).not.toContain('heap');
  });

  it.each([
    ['a planted symlink', (dir: string) => {
      mkdirSync(join(runtime, 'elsewhere'), { mode: 0o700 });
      symlinkSync(join(runtime, 'elsewhere'), dir);
    }, /refusing the daemon's directory .*: it is a symbolic link/],
    ['a group-writable directory', (dir: string) => {
      mkdirSync(dir);
      chmodSync(dir, 0o770);
    }, /refusing the daemon's directory .*: its mode is 770/],
  ])('refuses %s as the socket directory', async (_name, plant, message) => {
    plant(join(runtime, 'anwbis'));
    const res = await anwbis(['daemon', 'start']);
    expect(res.code).toBe(3);
    expect(res.stderr).toMatch(message);
  });

  it.each([
    ['the socket in XDG_RUNTIME_DIR', {}],
    ['the socket in ANWBIS_HOME', { XDG_RUNTIME_DIR: '' }],
  ])('an ANWBIS_HOME made with a plain mkdir (0755) to hold config is narrowed to 0700, not refused (%s)', async (_name, extra) => {
    mkdirSync(world.sandbox.anwbisHome, { mode: 0o755 });
    chmodSync(world.sandbox.anwbisHome, 0o755);
    writeFileSync(join(world.sandbox.anwbisHome, 'config'), '[daemon]\nnotifications = false\n');
    const res = await anwbis(['daemon', 'start'], extra);
    expect(res.stderr).toContain('The anwbis daemon is running');
    expect(res.code).toBe(0);
    expect(modeOf(world.sandbox.anwbisHome)).toBe('700');
    expect((await anwbis(['daemon', 'stop'], extra)).code).toBe(0);
  });

  it('an ANWBIS_HOME others could write to is still refused, and left as it is', async () => {
    mkdirSync(world.sandbox.anwbisHome, { mode: 0o775 });
    chmodSync(world.sandbox.anwbisHome, 0o775);
    const res = await anwbis(['daemon', 'start']);
    expect(res.code).toBe(3);
    expect(res.stderr).toContain(`refusing ${world.sandbox.anwbisHome}: its mode is 775, so others could have put files in it`);
    expect(res.stderr).toContain(`chmod 700 ${world.sandbox.anwbisHome}`);
    expect(modeOf(world.sandbox.anwbisHome)).toBe('775');
  });

  it('an expired corp session shows needs-mfa; anwbis session renews it and the daemon refreshes at once', async () => {
    settings('[daemon]\nnotifications = false\n');
    expect((await anwbis(['session', '--mfa-code', '123456'])).code).toBe(0);
    await startDaemon();
    expect((await anwbis(['watch', '-p', 'datalab', '-e', 'dev', '-r', 'admin'])).code).toBe(0);
    const first = sectionKey('datalab-dev-admin');

    const recordPath = join(world.sandbox.anwbisHome, 'profiles', 'corp-session-default.json');
    const record = JSON.parse(readFileSync(recordPath, 'utf8'));
    writeFileSync(recordPath, JSON.stringify({ ...record, expiration: new Date(Date.now() - 1000).toISOString() }));
    await waitFor('needs-mfa', async () => (await status()).profiles[0]?.state === 'needs-mfa');
    expect((await status()).session).toMatchObject({ profile: 'corp-session-default', state: 'expired' });

    expect((await anwbis(['session', '--mfa-code', '654321'])).code).toBe(0);
    const refreshed = await waitFor('the refresh after the renewal', async () => {
      const p = (await status()).profiles[0];
      return p?.state === 'fresh' && p.lastRefreshAt !== null && p;
    });
    expect(refreshed.lastError).toBeNull();
    expect(sectionKey('datalab-dev-admin')).not.toBe(first);
    expect((await status()).session).toMatchObject({ state: 'valid' });
  });

  it('a watched profile whose section the person deletes is unwatched and logged, and watched again when the section comes back', async () => {
    expect((await anwbis(['session', '--mfa-code', '123456'])).code).toBe(0);
    await startDaemon();
    expect((await anwbis(['watch', '-p', 'datalab', '-e', 'dev', '-r', 'admin'])).code).toBe(0);
    const text = world.sandbox.read('credentials');
    world.sandbox.write('credentials', text.replace(/\[datalab-dev-admin\][^[]*/, ''));
    await waitFor('the unwatch', async () => (await status()).profiles.length === 0);
    expect(daemonLog()).toMatch(/stopped watching datalab-dev-admin: its section was removed/);
    expect(world.sandbox.read('credentials')).not.toContain('[datalab-dev-admin]');
    expect(savedWatches()).toEqual([]);

    world.sandbox.write('credentials', text);
    await waitFor('the watch again', async () => (await status()).profiles.length === 1);
    expect(daemonLog()).toContain('watching datalab-dev-admin again: its section is back');
    expect(savedWatches()).toEqual(['datalab-dev-admin']);
  });

  it('an editor saving the credentials file in place (truncate, pause, write) keeps every watch (it dropped them all)', async () => {
    expect((await anwbis(['session', '--mfa-code', '123456'])).code).toBe(0);
    await startDaemon();
    const watched = ['admin', 'devops', 'r1'];
    for (const role of watched) expect((await anwbis(['watch', '-p', 'datalab', '-e', 'dev', '-r', role])).code).toBe(0);
    const text = world.sandbox.read('credentials');
    const lines = (pattern: RegExp) => daemonLog().split('\n').filter((l) => pattern.test(l)).length;

    // As vim with backupcopy=yes or nano save: the same inode, emptied, then written.
    const fd = openSync(world.sandbox.credentialsFile, 'r+');
    try {
      ftruncateSync(fd, 0);
      await waitFor('the daemon to see the empty file', () => lines(/holds no section now: every watch is kept/) > 0);
      // The first part of the file written, the watched sections still to come.
      const head = text.slice(0, text.indexOf('[datalab-dev-'));
      writeSync(fd, head, 0);
      await waitFor('the daemon to see the sections missing', () => lines(/its section is missing from/) === watched.length);
      writeSync(fd, text.slice(head.length), Buffer.byteLength(head));
    } finally {
      closeSync(fd);
    }
    await waitFor('the daemon to see the sections back', () => lines(/its section is back in .*; still watched/) === watched.length);
    expect(daemonLog()).not.toContain('its section was removed');
    expect((await status()).profiles.map((p) => p.profile).sort()).toEqual(watched.map((r) => `datalab-dev-${r}`));
    expect(savedWatches().sort()).toEqual(watched.map((r) => `datalab-dev-${r}`));
    expect(world.sandbox.read('credentials')).toBe(text);
  });

  it('the daemon refreshing while 8 CLIs assume other roles loses no section', async () => {
    settings('[daemon]\nnotifications = false\n');
    expect((await anwbis(['session', '--mfa-code', '123456'])).code).toBe(0);
    await startDaemon();
    expect((await anwbis(['watch', '-p', 'datalab', '-e', 'dev', '-r', 'admin'])).code).toBe(0);
    const client = await DaemonClient.connect(env);
    try {
      let cliDone = false;
      const refreshing = (async () => {
        let n = 0;
        while (!cliDone) {
          await client.refresh('datalab-dev-admin');
          n++;
          // A pause such as real refreshes have between them, so the CLIs get the file lock too.
          await new Promise((r) => setTimeout(r, 1000));
        }
        return n;
      })();
      const results = await Promise.all(OTHER_ROLES.map((role) => anwbis(['--profile', 'corp-session-default', '-p', 'datalab', '-e', 'dev', '-r', role, '--nomfa'])));
      cliDone = true;
      expect(await refreshing).toBeGreaterThan(0);
      expect(results.map((r) => r.code)).toEqual(OTHER_ROLES.map(() => 0));
    } finally {
      client.close();
    }
    const credentials = world.sandbox.read('credentials');
    const config = world.sandbox.read('config');
    for (const profile of ['default', 'corp-session-default', 'datalab-dev-admin', ...OTHER_ROLES.map((r) => `datalab-dev-${r}`)]) {
      expect(credentials).toContain(`[${profile}]\naws_access_key_id = `);
      if (profile !== 'default') expect(config).toContain(`[profile ${profile}]\nregion = eu-west-1`);
    }
    for (const role of OTHER_ROLES) {
      const id = await aws(['sts', 'get-caller-identity', '--profile', `datalab-dev-${role}`]);
      expect(JSON.parse(id.stdout).Arn).toContain(`dev-datalab-delegated-${role}`);
    }
  });

  it('daemon refresh with STS silent: one profile per corp session waits out 10 s for all, each outcome is printed, and the retry comes at the time shown (it showed a time that never came)', async () => {
    let requests = 0;
    const silent = createServer(() => void requests++);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      settings('[daemon]\nnotifications = false\n');
      expect((await anwbis(['session', '--mfa-code', '123456'])).code).toBe(0);
      const started = await anwbis(['daemon', 'start'], { AWS_ENDPOINT_URL_STS: `http://127.0.0.1:${(silent.address() as AddressInfo).port}` });
      expect(started.code).toBe(0);
      pids.add((await status()).pid);
      const roles = ['admin', 'devops', 'r1', 'r2'];
      for (const role of roles) expect((await anwbis(['watch', '-p', 'datalab', '-e', 'dev', '-r', role])).code).toBe(0);

      const res = await anwbis(['daemon', 'refresh']);
      expect(res.code).toBe(6);
      for (const role of roles) expect(res.stderr).toMatch(new RegExp(`datalab-dev-${role}: retrying: .*did not answer within 10 s .*\\(next try \\S+\\)`));
      expect(res.stderr).toContain('4 of 4 profiles were not refreshed');
      expect(res.stderr).toContain('the daemon tries them again at the time shown');
      // One profile's three attempts stood for all four.
      expect(requests).toBeGreaterThan(0);
      expect(requests).toBeLessThanOrEqual(3);
      const shown = await status();
      expect(shown.profiles.map((p) => p.state)).toEqual(roles.map(() => 'retrying'));

      const asked = requests;
      await waitFor('the retry at the time shown', () => requests > asked);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('roles over the socket is the list anwbis roles prints, with the watched profile marked', async () => {
    expect((await anwbis(['session', '--mfa-code', '123456'])).code).toBe(0);
    await startDaemon();
    expect((await anwbis(['watch', '-p', 'datalab', '-e', 'dev', '-r', 'admin'])).code).toBe(0);
    const client = await DaemonClient.connect(env);
    try {
      await world.moto.startRecording();
      const listed = await client.roles({ refresh: true });
      expect((await world.moto.recording()).map((c) => c.action)).toContain('ListGroupsForUser');
      expect(listed).toMatchObject({ sourceProfile: 'default', userName: USER, fromCache: false, problems: [] });
      const printed = await anwbis(['roles', '--json']);
      expect(printed.code).toBe(0);
      const cli = JSON.parse(printed.stdout) as Array<{ roleArn: string; status: string; expiresAt: string | null }>;
      expect(listed.roles.map((r) => [r.roleArn, r.status, r.expiresAt])).toEqual(cli.map((r) => [r.roleArn, r.status, r.expiresAt]));
      const byProfile = new Map(listed.roles.map((r) => [r.profile, r]));
      expect(byProfile.get('datalab-dev-admin')).toMatchObject({ project: 'datalab', env: 'dev', role: 'admin', account: DEV, status: 'valid', watched: true, watchState: 'fresh' });
      expect(byProfile.get('datalab-dev-devops')).toMatchObject({ status: 'not-assumed', expiresAt: null, watched: false, watchState: null });
      expect(listed.roles).toHaveLength(2 + OTHER_ROLES.length);

      await world.moto.startRecording();
      expect((await client.roles()).fromCache).toBe(true);
      expect(await world.moto.recording()).toEqual([]);
    } finally {
      client.close();
    }
  });

  it('daemon install --no-enable writes systemd units with absolute paths; uninstall removes them', async () => {
    const configHome = join(world.sandbox.dir, 'xdg-config');
    const res = await anwbis(['daemon', 'install', '--no-enable'], { XDG_CONFIG_HOME: configHome });
    expect(res.code).toBe(0);
    const service = readFileSync(join(configHome, 'systemd', 'user', 'anwbis-daemon.service'), 'utf8');
    expect(service).toContain(`ExecStart="${process.execPath}" "--max-semi-space-size=1" "--max-old-space-size=96" "`);
    expect(service).toMatch(/bin\/run\.js" "daemon" "run"/);
    expect(service).toContain(`Environment="ANWBIS_HOME=${world.sandbox.anwbisHome}"`);
    expect(res.stderr).toContain('systemctl --user enable --now anwbis-daemon.socket');
    expect((await anwbis(['daemon', 'uninstall'], { XDG_CONFIG_HOME: configHome })).code).toBe(0);
    expect(existsSync(join(configHome, 'systemd', 'user', 'anwbis-daemon.service'))).toBe(false);
  });
});
