import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ANWBIS_BIN, conventionScenario, run, runAnwbis, type ProcessResult } from '@anwbis/tools/emulator';
import { daemonRuntime, emulatorWorld, expectOk, writeLoadTrace } from './helpers.js';

const DEV = '222222222222';
const USER = 'luis.gonzalez';
const CODE = '123456';

const world = emulatorWorld(() => conventionScenario({ users: [USER], projects: { datalab: { envs: { dev: DEV }, roles: ['admin', 'devops'] } } }));
const runtime = daemonRuntime();

let env: Record<string, string>;
beforeEach(() => {
  env = { ...world.sandbox.env, XDG_RUNTIME_DIR: runtime.dir };
});
afterEach(async () => {
  await runAnwbis(['daemon', 'stop', '--force'], { env });
});

const anwbis = (args: string[], input?: string) => runAnwbis(args, { env, ...(input === undefined ? {} : { input }) });
const daemonLog = () => readFileSync(join(world.sandbox.anwbisHome, 'logs', 'daemon.log'), 'utf8');

/** What a user sees and keeps, with what differs between two runs (keys, secrets, times) masked. */
function masked(text: string): string {
  return text
    .replace(/ASIA[A-Z0-9]{16}/g, 'ASIA…')
    .replace(/(aws_secret_access_key = |aws_session_token = |"SecretAccessKey": "|"SessionToken": "|AWS_SECRET_ACCESS_KEY=|AWS_SESSION_TOKEN=)[^\s"]+/g, '$1…')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, 'TIME')
    .replace(/ in \d+ ms/g, ' in N ms')
    // Keyed by the corp session's key, which differs per session.
    .replace(/discovery\/[0-9a-f]+\.json/g, 'discovery/HASH.json')
    // Calls made together (discovery's) are logged in the order they end.
    .replace(/(^\[ \.\. \] aws .*\n)+/gm, (lines) => `${lines.trimEnd().split('\n').sort().join('\n')}\n`);
}

/** The AWS files, and which files anwbis keeps under ANWBIS_HOME (the daemon's own aside) with their modes. */
function kept(): string {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!/^(logs|locks)\b|daemon/.test(path.slice(world.sandbox.anwbisHome.length + 1))) files.push(`${path.slice(world.sandbox.dir.length)} ${(statSync(path).mode & 0o777).toString(8)}`);
    }
  };
  walk(world.sandbox.anwbisHome);
  return masked([world.sandbox.read('credentials'), world.sandbox.read('config'), ...files.sort()].join('\n---\n'));
}

const shown = (res: ProcessResult) => ({ code: res.code, stdout: masked(res.stdout), stderr: masked(res.stderr) });

/**
 * The commands a person runs in turn: a cold login with the code on stdin, a remembered role,
 * sessions (cold with the code on stdin, reused, with a refused code) and `--get_session` (both
 * made anew; the session reused and the role made), a reuse.
 */
async function transcript(): Promise<Array<ReturnType<typeof shown> & { files: string }>> {
  const steps: Array<[string[], string | undefined]> = [
    [['-p', 'datalab', '-e', 'dev', '-r', 'admin', '-v'], `${CODE}\n`],
    [['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--refresh', '--mfa-code', CODE, '--stdout'], undefined],
    [['session', '--mfa-code', CODE, '--json'], undefined],
    [['assume', '-p', 'datalab', '-e', 'dev', '-r', 'devops', '--profile', 'corp-session-default', '--nomfa', '--json'], undefined],
    [['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--refresh', '--mfa-code', '12345'], undefined],
    [['session', '--refresh', '--stdout', '-v'], `${CODE}\n`],
    [['session', '--duration', '3600', '--stdout'], undefined],
    [['session', '--mfa-code', '12345'], undefined],
    [['-p', 'datalab', '-e', 'dev', '-r', 'devops', '--get_session', '--refresh', '--stdout'], `${CODE}\n`],
    [['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--get_session', '-v'], undefined],
  ];
  const out = [];
  for (const [args, input] of steps) out.push({ ...shown(await anwbis(args, input)), files: kept() });
  return out;
}

/** Back to the sandbox's first state: the corp keys only, nothing remembered. */
function forget(credentials: string, config: string): void {
  world.sandbox.write('credentials', credentials);
  world.sandbox.write('config', config);
  for (const entry of readdirSync(world.sandbox.anwbisHome)) if (entry !== 'logs') rmSync(join(world.sandbox.anwbisHome, entry), { recursive: true, force: true });
}

async function startDaemon(extra: Record<string, string> = {}): Promise<void> {
  const res = await runAnwbis(['daemon', 'start'], { env: { ...env, ...extra } });
  expect(res.stderr).toMatch(/The anwbis daemon is running/);
}

describe('assume and session through the daemon (its warm SDK), as without it', () => {
  it('cold, remembered, session, reuse and a refused code: the same output, exit codes and files with the daemon as without; the daemon did the work, the code is in no log or argv', async () => {
    const credentials = world.sandbox.read('credentials');
    const config = world.sandbox.read('config');
    const alone = await transcript();
    expect(alone.map((s) => s.code)).toEqual([0, 0, 0, 0, 5, 0, 0, 5, 0, 0]);

    forget(credentials, config);
    // The daemon's own environment points at no AWS at all: the requests' endpoints are their own.
    await startDaemon({ AWS_ENDPOINT_URL: 'http://127.0.0.1:9' });
    await world.moto.startRecording();
    const helped = await transcript();
    expect(helped).toEqual(alone);

    const log = daemonLog();
    expect(log).toContain('assume of datalab-dev-admin for a client: written');
    expect(log).toContain('corp session corp-session-default for a client: written');
    expect(log).toContain('assume of datalab-dev-devops for a client: written');
    expect(log).toContain('corp session corp-session-default for a client: reused');
    expect(log).not.toContain(CODE);
    const secret = /aws_secret_access_key = (\S+)/.exec(world.sandbox.read('credentials').split('[datalab-dev-admin]')[1]!)![1]!;
    expect(log).not.toContain(secret);
    // The code went to AWS from the daemon, with the corp user's keys.
    const calls = await world.moto.recording();
    const withCode = calls.filter((c) => c.params.TokenCode === CODE);
    expect(withCode.map((c) => c.action)).toEqual(['AssumeRole', 'AssumeRole', 'GetSessionToken', 'GetSessionToken', 'GetSessionToken']);
    for (const call of withCode) expect(call.accessKeyId).toBe(world.seeded.users[USER]!.accessKeyId);
    const pid = Number(/pid (\d+)/.exec(log)![1]);
    expect(readFileSync(`/proc/${pid}/cmdline`, 'utf8')).not.toContain(CODE);

  });

  it('a client that goes through the daemon sends from the small forwarding bundle: not the bundle that does the work itself (ES modules, the AWS SDK), nor oclif; its compiled code is kept as the fast bundle\'s is', async () => {
    expectOk(await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', CODE]));
    await startDaemon();
    const served = () => daemonLog().match(/assume of datalab-dev-admin for a client: written/g)?.length ?? 0;
    const before = served();
    const dir = mkdtempSync(join(tmpdir(), 'anwbis-trace-'));
    try {
      const { hook, loaded } = writeLoadTrace(dir);
      // Without a code cache the small bundles are required, so the trace sees them.
      const traced = await run(process.execPath, ['--import', hook, ANWBIS_BIN, '-p', 'datalab', '-e', 'dev', '-r', 'admin', '--refresh'], { env: { ...env, XDG_CACHE_HOME: 'not-absolute' }, input: `${CODE}\n` });
      expectOk(traced);
      expect(traced.stderr).toContain('Assumed the role successfully');
      const modules = loaded().join('');
      expect(modules).toContain('forward.bundle.cjs');
      expect(modules).not.toMatch(/dist\/fast\/bundle\/|sdk-(sts|iam|http)|@aws-sdk|@smithy|@oclif|entry\.js/);
      expect(served()).toBe(before + 1);

      const cache = join(world.sandbox.dir, 'code-cache');
      expectOk(await runAnwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--refresh', '--mfa-code', CODE], { env: { ...env, XDG_CACHE_HOME: cache } }));
      expect(served()).toBe(before + 2);
      const compiled = join(cache, 'anwbis', `node-${process.version}-${process.arch}`);
      const id = /\/\/# anwbis-bundle-id=([0-9a-f]{32})\n$/.exec(readFileSync(join(dirname(ANWBIS_BIN), '..', 'dist', 'fast', 'forward.bundle.cjs'), 'utf8'))![1]!;
      expect((statSync(join(compiled, `forward-${id}-assume.v8`)).mode & 0o777).toString(8)).toBe('600');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a forwarding client given --mfa-code loads neither readline nor child_process and builds no stdin it never reads (about 8 ms of its start)', async () => {
    expectOk(await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', CODE]));
    await startDaemon();
    const dir = mkdtempSync(join(tmpdir(), 'anwbis-trace-'));
    try {
      const { hook, builtins } = writeLoadTrace(dir);
      // process.stdin is built on first use: the hook's getter says whether anything used it.
      const stdinHook = join(dir, 'stdin.mjs');
      const used = join(dir, 'stdin-used');
      writeFileSync(
        stdinHook,
        `import { writeFileSync } from 'node:fs';\nconst d = Object.getOwnPropertyDescriptor(process, 'stdin');\n` +
          `Object.defineProperty(process, 'stdin', { ...d, get() { writeFileSync(${JSON.stringify(used)}, ''); return d.get.call(process); } });\n`,
      );
      const traced = spawnSync(process.execPath, ['--import', hook, '--import', stdinHook, ANWBIS_BIN, '-p', 'datalab', '-e', 'dev', '-r', 'admin', '--refresh', '--mfa-code', CODE], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
        encoding: 'utf8',
      });
      expect(traced.status).toBe(0);
      expect(traced.stderr).toContain('Assumed the role successfully');
      expect(daemonLog()).toMatch(/assume of datalab-dev-admin for a client: written/);
      const loaded = builtins().flat();
      expect(loaded).toContain('net');
      expect(loaded.filter((m) => m === 'readline' || m === 'child_process')).toEqual([]);
      expect(existsSync(used)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('session and --get_session that cannot be reused here go through the daemon from the small forwarding bundle: no oclif, no ES module bundle, no AWS SDK', async () => {
    await startDaemon();
    const dir = mkdtempSync(join(tmpdir(), 'anwbis-trace-'));
    try {
      const steps: Array<[string[], string | undefined, string]> = [
        // Cold: the code is read by the client, from its piped stdin.
        [['session'], `${CODE}\n`, 'corp session corp-session-default for a client: written'],
        [['session', '--stdout'], undefined, 'corp session corp-session-default for a client: reused'],
        // The corp session reused by the daemon, the role made by it.
        [['-p', 'datalab', '-e', 'dev', '-r', 'devops', '--get_session'], undefined, 'assume of datalab-dev-devops for a client: written'],
        [['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--get_session', '--refresh', '-v'], `${CODE}\n`, 'assume of datalab-dev-admin for a client: written'],
      ];
      for (const [args, input, served] of steps) {
        const before = daemonLog().split(served).length;
        const trace = mkdtempSync(join(dir, 'run-'));
        const { hook, loaded } = writeLoadTrace(trace);
        // Without a code cache the small bundles are required, so the trace sees them.
        const traced = await run(process.execPath, ['--import', hook, ANWBIS_BIN, ...args], { env: { ...env, XDG_CACHE_HOME: 'not-absolute' }, ...(input === undefined ? {} : { input }) });
        expectOk(traced);
        const modules = loaded().join('');
        expect({ args, forward: modules.includes('forward.bundle.cjs') }).toEqual({ args, forward: true });
        expect(modules).not.toMatch(/dist\/fast\/bundle\/|sdk-(sts|iam|http)|@aws-sdk|@smithy|@oclif|entry\.js/);
        expect(daemonLog().split(served).length).toBe(before + 1);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a daemon of another ANWBIS_HOME is not asked to do the work: the CLI does it', async () => {
    await startDaemon();
    const other = join(world.sandbox.dir, 'other-home');
    const res = await runAnwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', CODE], { env: { ...env, ANWBIS_HOME: other } });
    expectOk(res);
    expect(existsSync(join(other, 'profiles', 'datalab-dev-admin.json'))).toBe(true);
    expect(daemonLog()).not.toContain('for a client');
  });
});

/**
 * A stand-in for a daemon at the socket, for the cases a real one reaches only by chance: it
 * answers hello, then answers the forwarded request with `answer` (or closes the connection
 * when it is undefined), and records what it was sent.
 */
async function fakeDaemon(answer: ((id: number, method: string) => object) | undefined): Promise<{ server: Server; received: string[] }> {
  const dir = join(runtime.dir, 'anwbis');
  mkdirSync(dir, { mode: 0o700 });
  writeFileSync(join(dir, 'daemon.token'), 'a'.repeat(64), { mode: 0o600 });
  const received: string[] = [];
  const server = createServer((socket: Socket) => {
    let buffer = '';
    socket.setEncoding('utf8').on('data', (chunk: string) => {
      buffer += chunk;
      for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
        const message = JSON.parse(buffer.slice(0, nl)) as { id: number; method: string };
        buffer = buffer.slice(nl + 1);
        received.push(message.method);
        if (message.method === 'hello') socket.write(`${JSON.stringify({ jsonrpc: '2.0', id: message.id, result: { protocol: 1, version: 'fake', pid: 1 } })}\n`);
        else if (answer) socket.write(`${JSON.stringify({ jsonrpc: '2.0', id: message.id, ...answer(message.id, message.method) })}\n`);
        else socket.destroy();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(join(dir, 'daemon.sock'), resolve));
  return { server, received };
}

describe('a daemon that does not take the work: the CLI does it, silently', () => {
  const cases: Array<[string, ((id: number) => object) | undefined]> = [
    ['busy', () => ({ error: { code: -32005, message: 'the daemon already runs 64 forwarded requests' } })],
    ['older (no such method)', () => ({ error: { code: -32601, message: 'Method not found' } })],
    ['stopped before it answered', undefined],
  ];
  it.each(cases)('%s', async (_name, answer) => {
    const { server, received } = await fakeDaemon(answer);
    try {
      const res = await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', CODE, '--json']);
      expectOk(res);
      expect(JSON.parse(res.stdout)).toMatchObject({ Profile: 'datalab-dev-admin', Reused: false });
      expect(res.stderr).toContain('Assumed the role successfully');
      expect(received).toEqual(['hello', 'assume.run']);
      expect(world.sandbox.read('credentials')).toContain('[datalab-dev-admin]');
    } finally {
      server.close();
    }
  });

  it.each(cases)('%s, anwbis session: offered once, then done by the CLI as without a daemon', async (_name, answer) => {
    const { server, received } = await fakeDaemon(answer);
    try {
      const res = await anwbis(['session', '--stdout'], `${CODE}\n`);
      expectOk(res);
      expect(res.stdout).toMatch(/^export AWS_ACCESS_KEY_ID='ASIA/);
      expect(res.stderr).toContain('Corp session corp-session-default written');
      expect(received).toEqual(['hello', 'session.run']);
    } finally {
      server.close();
    }
  });

  it.each(cases)('%s, --get_session: offered once, the corp session and the role then made by the bundle that does the work, not offered again', async (_name, answer) => {
    const { server, received } = await fakeDaemon(answer);
    try {
      const res = await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--get_session', '--stdout'], `${CODE}\n`);
      expectOk(res);
      expect(res.stdout).toMatch(/^export AWS_ACCESS_KEY_ID='ASIA/);
      expect(res.stderr).toContain('Corp session corp-session-default written');
      expect(res.stderr).toContain('Assumed the role successfully');
      expect(received).toEqual(['hello', 'session.run']);
    } finally {
      server.close();
    }
  });

  it('--get_session when the daemon makes the corp session but does not take the role: the role is assumed here with that session, which is not made again', async () => {
    expectOk(await anwbis(['session', '--mfa-code', CODE]));
    const sessionKey = /\[corp-session-default\]\naws_access_key_id = (\S+)/.exec(world.sandbox.read('credentials'))![1];
    const expiration = new Date(Date.now() + 3600_000).toISOString();
    const { server, received } = await fakeDaemon((_id, method) =>
      method === 'session.run'
        ? { result: { profile: 'corp-session-default', region: 'us-east-1', reused: true, credentials: { accessKeyId: sessionKey, secretAccessKey: 'unused', sessionToken: 'unused', expiration } } }
        : { error: { code: -32005, message: 'the daemon already runs 64 forwarded requests' } },
    );
    try {
      await world.moto.startRecording();
      const res = await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--get_session', '--stdout']);
      expectOk(res);
      expect(res.stdout).toMatch(/^export AWS_ACCESS_KEY_ID='ASIA/);
      expect(res.stderr).toContain('Assumed the role successfully');
      expect(received).toEqual(['hello', 'session.run', 'hello', 'assume.run']);
      const calls = await world.moto.recording();
      expect(calls.filter((c) => c.action === 'GetSessionToken')).toEqual([]);
      expect(calls.filter((c) => c.action === 'AssumeRole').map((c) => c.accessKeyId)).toEqual([sessionKey]);
    } finally {
      server.close();
    }
  });

  // The plain flags: offered from the small forwarding bundle, then done by the bundle with the SDK.
  it.each(cases)('%s, plain flags: offered once, not again by the bundle that then does the work', async (_name, answer) => {
    const { server, received } = await fakeDaemon(answer);
    try {
      const res = await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', CODE, '--refresh', '--stdout']);
      expectOk(res);
      expect(res.stdout).toMatch(/^export AWS_ACCESS_KEY_ID='ASIA/);
      expect(res.stderr).toContain('Assumed the role successfully');
      expect(received).toEqual(['hello', 'assume.run']);
    } finally {
      server.close();
    }
  });
});
