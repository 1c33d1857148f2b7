import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getSection, processRunning, setSection } from '@anwbis/core';
import { DaemonClient } from '@anwbis/daemon';
import { ANWBIS_BIN, conventionScenario, run, runAnwbis, runAwsCli, type ProcessResult } from '@anwbis/tools/emulator';
import { asOtherUser, EXIT, emulatorWorld, expectOk, expectRefused, startAnwbis, writeLoadTrace, type RunningAnwbis, waitFor as waitUntil } from './helpers.js';

const waitFor = <T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>) => waitUntil(what, probe, 120_000);

const DEV = '222222222222';
const USER = 'luis.gonzalez';
const CLIENTS = fileURLToPath(new URL('./clients/', import.meta.url));

const world = emulatorWorld(() => conventionScenario({ users: [USER], projects: { datalab: { envs: { dev: DEV }, roles: ['admin', 'devops'] } } }));

let runtime: string;
let env: Record<string, string>;
const running = new Set<RunningAnwbis>();

beforeEach(() => {
  // Short, private, per test: a Unix socket path is limited to about 107 bytes.
  runtime = mkdtempSync('/tmp/anwx-');
  chmodSync(runtime, 0o700);
  env = { ...world.sandbox.env, XDG_RUNTIME_DIR: runtime };
});

afterEach(async () => {
  for (const run of running) run.child.kill('SIGKILL');
  running.clear();
  await runAnwbis(['daemon', 'stop', '--force'], { env });
  rmSync(runtime, { recursive: true, force: true });
});

const anwbis = (args: string[], extra: Record<string, string> = {}) => runAnwbis(args, { env: { ...env, ...extra } });
const session = async () => expectOk(await anwbis(['session', '--mfa-code', '123456']));
const lines = (res: ProcessResult) => res.stdout.split('\n').filter(Boolean);
function settings(text: string): void {
  mkdirSync(world.sandbox.anwbisHome, { recursive: true, mode: 0o700 });
  writeFileSync(join(world.sandbox.anwbisHome, 'config'), text);
}

/** `anwbis …` left running; `firstLine` is the first line its command prints. */
const started = (args: string[]) => {
  const run = startAnwbis(args, env);
  running.add(run);
  let out = '';
  run.child.stdout.on('data', (d: string) => (out += d));
  return { ...run, firstLine: async () => (await run.waitFor('stdout', /\n/), out.slice(0, out.indexOf('\n'))) };
};

function get(url: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

const ADMIN = ['-p', 'datalab', '-e', 'dev', '-r', 'admin'];

describe('anwbis exec --server', () => {
  it('runs the AWS CLI as the delegated role with no key in its environment, starting the daemon', async () => {
    await session();
    const res = await anwbis(['exec', '--server', ...ADMIN, '--', 'aws', 'sts', 'get-caller-identity', '--output', 'json'], {
      // Inherited keys and profile must not reach the command.
      AWS_ACCESS_KEY_ID: 'AKIAINHERITED0000000',
      AWS_SECRET_ACCESS_KEY: 'inherited-secret',
      AWS_SESSION_TOKEN: 'inherited-token',
      AWS_PROFILE: 'default',
    });
    expectOk(res);
    expect(JSON.parse(res.stdout)).toMatchObject({ Account: DEV, Arn: expect.stringContaining(':assumed-role/dev-datalab-delegated-admin/') });

    const shown = await anwbis(['exec', '--server', ...ADMIN, '--', process.execPath, '-e', 'console.log(JSON.stringify(process.env))'], {
      AWS_ACCESS_KEY_ID: 'AKIAINHERITED0000000',
      AWS_SECRET_ACCESS_KEY: 'inherited-secret',
      AWS_PROFILE: 'default',
    });
    expectOk(shown);
    const childEnv = JSON.parse(shown.stdout) as Record<string, string>;
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN', 'AWS_PROFILE', 'AWS_DEFAULT_PROFILE']) expect(childEnv[name]).toBeUndefined();
    expect(childEnv).toMatchObject({
      AWS_CONTAINER_CREDENTIALS_FULL_URI: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/credentials\/datalab-dev-admin$/),
      AWS_CONTAINER_AUTHORIZATION_TOKEN: expect.stringMatching(/^[\w-]{43}$/),
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      ANWBIS_PROFILE: 'datalab-dev-admin',
    });
    expect(Object.values(childEnv).join('\n')).not.toContain('AKIAINHERITED');
  });

  it('without a corp session names the command that starts one, and runs nothing', async () => {
    const marker = join(world.sandbox.dir, 'ran');
    const res = await anwbis(['exec', '--server', ...ADMIN, '--', 'touch', marker]);
    expectRefused(res, EXIT.config, /no valid corp session corp-session-default/);
    expect(res.stderr).toContain('`anwbis session`');
    expect(existsSync(marker)).toBe(false);
  });

  it('passes the exit status and signals through as exec does', async () => {
    await session();
    const failed = await anwbis(['exec', '--server', ...ADMIN, '--', 'sh', '-c', 'exit 7']);
    expect({ code: failed.code, stderr: failed.stderr }).toEqual({ code: 7, stderr: '' });

    const trapping = started(['exec', '--server', ...ADMIN, '--', 'sh', '-c', 'trap "exit 42" TERM; echo ready; while :; do sleep 0.1; done']);
    expect(await trapping.firstLine()).toBe('ready');
    trapping.child.kill('SIGTERM');
    expect((await trapping.exited()).code).toBe(42);
  });

  it('keeps a boto3 program and an AWS SDK v3 program running across refreshes: both see a new key and no call fails', async () => {
    settings('[daemon]\nrefresh_before_seconds = 895\nnotifications = false\n');
    await session();
    // Credentials of 900 s refreshed when 895 s are left: a new key about every 30 s (the
    // daemon's floor between refreshes). Each program stops once it has signed with 2 keys.
    const serve = ['exec', '--server', ...ADMIN, '--duration', '900', '--'];
    const [python, node] = await Promise.all([
      anwbis([...serve, 'python3', join(CLIENTS, 'sts-loop.py'), '2', '240']),
      anwbis([...serve, process.execPath, join(CLIENTS, 'sts-loop.mjs'), '2', '240']),
    ]);
    for (const [name, res] of [['boto3', python], ['sdk v3', node]] as const) {
      expectOk(res);
      const calls = lines(res).map((l) => JSON.parse(l) as { key?: string; arn?: string; error?: string });
      expect({ name, errors: calls.filter((c) => c.error) }).toEqual({ name, errors: [] });
      expect({ name, keys: new Set(calls.map((c) => c.key)).size }).toEqual({ name, keys: 2 });
      for (const call of calls) expect(call.arn).toContain(':assumed-role/dev-datalab-delegated-admin/');
    }
  });

  it('with the role written starts its command from the exec bundle, loading neither oclif nor the AWS SDK nor the daemon itself (it went through oclif: about 4× the time)', async () => {
    await session();
    expectOk(await anwbis(['exec', '--server', ...ADMIN, '--', 'true']));
    const dir = mkdtempSync(join(runtime, 'trace-'));
    const { hook, loaded } = writeLoadTrace(dir);
    const res = await run(process.execPath, ['--import', hook, ANWBIS_BIN, 'exec', '--server', ...ADMIN, '--duration', '900', '--', 'sh', '-c', 'echo "$ANWBIS_PROFILE"; exit 3'], { env });
    expect(res).toMatchObject({ code: 3, stdout: 'datalab-dev-admin\n', stderr: '' });
    const modules = loaded().join('');
    expect(modules).toContain('/dist/fast/bundle/exec.js');
    expect(modules).not.toMatch(/@aws-sdk|@smithy|@oclif|entry\.js|daemon\/dist\/(daemon|scheduler|server)\.js/);
    // Nor zod, inside the chunks: the client speaks the protocol from its constants, the daemon checks the params.
    const chunks = modules.split('\n').filter((url) => url.includes('/dist/fast/bundle/'));
    expect(chunks.some((url) => url.includes('/exec-server-'))).toBe(true);
    expect(chunks.filter((url) => readFileSync(fileURLToPath(url), 'utf8').includes('node_modules/zod/'))).toEqual([]);
    // What the fast reader leaves to oclif still gets oclif's answer.
    const both = await anwbis(['exec', '--server', '--mfa-code', '123456', ...ADMIN, '--', 'true']);
    expectRefused(both, EXIT.usage, /--mfa-code=123456 cannot also be provided when using --server/);
    const short = await anwbis(['exec', '--server', '--duration', '600', ...ADMIN, '--', 'true']);
    expectRefused(short, EXIT.usage, /Parsing --duration/);
    expect(short.stderr).toContain("greater than or equal to 900");
  });

  it('the endpoint refuses what is not its own grant, and is gone when the command ends', async () => {
    await session();
    const hold = join(CLIENTS, 'hold.mjs');
    const admin = started(['exec', '--server', ...ADMIN, '--', process.execPath, hold]);
    const devops = started(['exec', '--server', '-p', 'datalab', '-e', 'dev', '-r', 'devops', '--', process.execPath, hold]);
    const own = JSON.parse(await admin.firstLine()) as { url: string; token: string };
    const other = JSON.parse(await devops.firstLine()) as { url: string; token: string };
    const { host } = new URL(own.url);

    const ok = await get(own.url, { authorization: own.token });
    expect(ok.status).toBe(200);
    expect(Object.keys(JSON.parse(ok.body))).toEqual(['AccessKeyId', 'SecretAccessKey', 'Token', 'Expiration']);

    const refusals: Array<[string, string, Record<string, string>, string, number]> = [
      ['no token', own.url, {}, 'GET', 403],
      ['a wrong token', own.url, { authorization: `${own.token.slice(0, -2)}AA` }, 'GET', 403],
      ['the token of another role', own.url, { authorization: other.token }, 'GET', 403],
      ['a path of another profile', other.url, { authorization: own.token }, 'GET', 403],
      ['a foreign Host', own.url, { authorization: own.token, host: `rebound.example:${new URL(own.url).port}` }, 'GET', 403],
      ['a non-GET method', own.url, { authorization: own.token }, 'POST', 405],
      ['another path', `http://${host}/latest/meta-data/iam/security-credentials/`, { authorization: own.token }, 'GET', 404],
    ];
    for (const [what, url, headers, method, status] of refusals) {
      const res = await get(url, headers, method);
      expect({ what, status: res.status }).toEqual({ what, status });
      expect({ what, body: res.body }).toEqual({ what, body: expect.not.stringMatching(/ASIA|AccessKeyId/) });
    }

    admin.child.stdin.end();
    expect((await admin.exited()).code).toBe(0);
    await expect(get(own.url, { authorization: own.token })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect((await get(other.url, { authorization: other.token })).status).toBe(200);
    devops.child.stdin.end();
    expect((await devops.exited()).code).toBe(0);
  });

  it('when the corp session ends the endpoint answers the error the SDK reports and status says needs-mfa; anwbis session brings it back', async () => {
    await session();
    const held = started(['exec', '--server', ...ADMIN, '--', process.execPath, join(CLIENTS, 'hold.mjs')]);
    const grant = JSON.parse(await held.firstLine()) as { url: string; token: string };
    const before = JSON.parse((await get(grant.url, { authorization: grant.token })).body) as { AccessKeyId: string };

    const recordPath = join(world.sandbox.anwbisHome, 'profiles', 'corp-session-default.json');
    const record = JSON.parse(readFileSync(recordPath, 'utf8'));
    writeFileSync(recordPath, JSON.stringify({ ...record, expiration: new Date(Date.now() - 1000).toISOString() }));
    const status = async () => JSON.parse((await anwbis(['daemon', 'status', '--json'])).stdout) as { profiles: Array<{ profile: string; state: string }> };
    await waitFor('needs-mfa', async () => (await status()).profiles.find((p) => p.profile === 'datalab-dev-admin')?.state === 'needs-mfa');
    const refused = await get(grant.url, { authorization: grant.token });
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body)).toEqual({ code: 'CredentialsUnavailable', message: expect.stringContaining('renew it with `anwbis session`') });

    expectOk(await anwbis(['session', '--mfa-code', '654321']));
    // The daemon refreshes at once after the renewal; the endpoint serves what it wrote.
    const after = await waitFor('new credentials', async () => {
      const res = await get(grant.url, { authorization: grant.token });
      const key = res.status === 200 && (JSON.parse(res.body) as { AccessKeyId: string }).AccessKeyId;
      return key !== before.AccessKeyId && key;
    });
    expect(after).toMatch(/^ASIA/);
    held.child.stdin.end();
    expect((await held.exited()).code).toBe(0);
  });
});


/** What another user gets when binding the port: the endpoint's holder keeps it. */
const takePort = (port: string) =>
  asOtherUser(
    "const s = require('net').createServer(); s.once('error', (e) => console.log(e.code)); s.listen(Number(process.argv[1]), '127.0.0.1', () => { console.log('bound'); s.close(); });",
    [port],
  );
/** What another user gets reading a process's environment, where the token is. */
const readEnvironment = (pid: number) =>
  asOtherUser("try { require('fs').readFileSync(`/proc/${process.argv[1]}/environ`); console.log('read'); } catch (e) { console.log(e.code); }", [String(pid)]);


(process.getuid?.() === 0 ? describe : describe.skip)('anwbis exec --server when the daemon or anwbis ends, with another local user (uid 65534) trying to take over', () => {
  const commands = new Set<number>();
  afterEach(() => {
    for (const pid of commands) if (processRunning(pid)) process.kill(pid, 'SIGKILL');
    commands.clear();
  });

  it('credential hijack after the daemon ends: stop refuses while a command runs; with --force or kill -9 the command gets an error, the port stays taken, and a daemon that is back serves it again', async () => {
    await session();
    const held = started(['exec', '--server', ...ADMIN, '--', process.execPath, join(CLIENTS, 'hold.mjs')]);
    const grant = JSON.parse(await held.firstLine()) as { url: string; token: string; pid: number };
    commands.add(grant.pid);
    const { port } = new URL(grant.url);
    const auth = { authorization: grant.token };
    expect((await get(grant.url, auth)).status).toBe(200);
    expect(await readEnvironment(grant.pid)).toBe('EACCES');

    const refused = await anwbis(['daemon', 'stop']);
    expectRefused(refused, EXIT.usage, /1 program runs with credentials the daemon \(pid \d+\) keeps fresh \(anwbis exec --server, anwbis env --server\): it was not stopped/);
    expect(refused.stderr).toContain('anwbis daemon stop --force');
    expect((await get(grant.url, auth)).status).toBe(200);

    expectOk(await anwbis(['daemon', 'stop', '--force']));
    const stopped = await get(grant.url, auth);
    expect(stopped.status).toBe(503);
    expect(JSON.parse(stopped.body)).toEqual({ code: 'CredentialsUnavailable', message: expect.stringContaining('the anwbis daemon is not running') });
    expect(JSON.parse(stopped.body).message).toContain('`anwbis daemon start`');
    expect(await takePort(port)).toBe('EADDRINUSE');

    expectOk(await anwbis(['daemon', 'start']));
    const back = await get(grant.url, auth);
    expect(back.status).toBe(200);
    expect(JSON.parse(back.body)).toMatchObject({ AccessKeyId: expect.stringMatching(/^ASIA/) });
    const { pid, grants } = JSON.parse((await anwbis(['daemon', 'status', '--json'])).stdout) as { pid: number; grants: number };
    expect(grants).toBe(1);

    process.kill(pid, 'SIGKILL');
    await waitFor('the daemon to die', () => !processRunning(pid));
    const killed = await get(grant.url, auth);
    expect(killed.status).toBe(503);
    expect(JSON.parse(killed.body).message).toContain('the anwbis daemon is not running');
    expect(await takePort(port)).toBe('EADDRINUSE');

    held.child.stdin.end();
    expect((await held.exited()).code).toBe(0);
  });

  it('anwbis killed with -9 while its command runs: the command keeps the port, so no other user can take it', async () => {
    await session();
    // `forever`: the test's end of anwbis's stdin closes when anwbis dies, and the command must outlive that.
    const held = started(['exec', '--server', ...ADMIN, '--', process.execPath, join(CLIENTS, 'hold.mjs'), 'forever']);
    const grant = JSON.parse(await held.firstLine()) as { url: string; token: string; pid: number };
    commands.add(grant.pid);
    const gone = new Promise((resolve) => held.child.once('exit', resolve));
    held.child.kill('SIGKILL');
    await gone;
    expect(processRunning(grant.pid)).toBe(true);
    expect(await takePort(new URL(grant.url).port)).toBe('EADDRINUSE');
    process.kill(grant.pid, 'SIGKILL');
    await waitFor('the command to die', () => !processRunning(grant.pid));
    expect(await takePort(new URL(grant.url).port)).toBe('bound');
  });
});

describe('anwbis exec --server and its environment', () => {
  it('keys in the config file beat the endpoint: the AWS CLI and the SDK read a copy without them, with the other settings, removed when the command ends', async () => {
    await session();
    const corp = getSection(world.sandbox.read('credentials'), 'default')!;
    world.sandbox.write(
      'config',
      setSection(world.sandbox.read('config'), 'default', [
        ['aws_access_key_id', corp.aws_access_key_id!],
        ['aws_secret_access_key', corp.aws_secret_access_key!],
        ['cli_pager', 'kept-by-anwbis'],
      ]),
    );
    const cli = await anwbis(['exec', '--server', ...ADMIN, '--', 'aws', 'sts', 'get-caller-identity', '--output', 'json']);
    expectOk(cli);
    expect(JSON.parse(cli.stdout).Arn).toContain(':assumed-role/dev-datalab-delegated-admin/');
    const sdk = await anwbis(['exec', '--server', ...ADMIN, '--', process.execPath, join(CLIENTS, 'sts-loop.mjs'), '1', '1']);
    expectOk(sdk);
    expect(JSON.parse(lines(sdk)[0]!)).toEqual({ n: 0, key: expect.stringMatching(/^ASIA/), arn: expect.stringContaining(':assumed-role/dev-datalab-delegated-admin/') });

    const shown = await anwbis([
      'exec', '--server', ...ADMIN, '--', process.execPath, '-e',
      "const fs = require('fs'); const f = process.env.AWS_CONFIG_FILE; console.log(JSON.stringify({ f, mode: (fs.statSync(f).mode & 0o777).toString(8), text: fs.readFileSync(f, 'utf8') }))",
    ]);
    expectOk(shown);
    const copy = JSON.parse(shown.stdout) as { f: string; mode: string; text: string };
    expect(copy.f).not.toBe(world.sandbox.env.AWS_CONFIG_FILE);
    expect(copy.mode).toBe('600');
    expect(copy.text).toContain('cli_pager = kept-by-anwbis');
    expect(copy.text).not.toMatch(/aws_access_key_id|aws_secret_access_key/);
    expect(copy.text).not.toContain(corp.aws_secret_access_key!);
    expect(existsSync(copy.f)).toBe(false);
  });

  it('128 held connections lock everyone out: with 200 programs holding grants, status, a new exec --server and stop --force still work', async () => {
    await session();
    expectOk(await anwbis(['exec', '--server', ...ADMIN, '--', 'true']));
    const spec = { profile: 'datalab-dev-admin', sourceProfile: 'default', target: { project: 'datalab', env: 'dev', role: 'admin' }, durationSeconds: 3600 };
    // Held as programs start, 20 at a time: each connects, says hello and holds its grant.
    const holders: DaemonClient[] = [];
    try {
      for (let batch = 0; batch < 10; batch++) {
        await Promise.all(
          Array.from({ length: 20 }, async () => {
            const c = await DaemonClient.connect(env, { client: 'a held grant' });
            holders.push(c);
            await c.holdCredentials(spec);
          }),
        );
      }
      const status = await anwbis(['daemon', 'status']);
      expectOk(status);
      expect(status.stdout).toContain('200 programs run with credentials it keeps fresh (anwbis exec --server, anwbis env --server)');
      const cli = await anwbis(['exec', '--server', ...ADMIN, '--', 'aws', 'sts', 'get-caller-identity', '--output', 'json']);
      expectOk(cli);
      expect(JSON.parse(cli.stdout).Arn).toContain(':assumed-role/dev-datalab-delegated-admin/');
      expectRefused(await anwbis(['daemon', 'stop']), EXIT.usage, /200 programs run with credentials/);
      expectOk(await anwbis(['daemon', 'stop', '--force']));
      await Promise.all(holders.map((c) => c.closed()));
    } finally {
      for (const c of holders) c.close();
    }
  });
});

describe('credential-process with the daemon running', () => {
  it('on a cache miss has the daemon make them: one STS call for 8 callers, no prompt, and the AWS CLI takes them', async () => {
    await session();
    expectOk(await anwbis(['daemon', 'start']));
    await world.moto.startRecording();
    // STS is out of the callers' reach: a caller that called it itself would fail. The daemon
    // (started with the emulator's endpoint) makes the call; later callers may hit the cache.
    const callers = await Promise.all(Array.from({ length: 8 }, () => anwbis(['credential-process', ...ADMIN], { AWS_ENDPOINT_URL: 'http://127.0.0.1:9' })));
    const recorded = await world.moto.recording();
    await world.moto.stopRecording();
    for (const res of callers) expect({ code: res.code, stderr: res.stderr }).toEqual({ code: EXIT.ok, stderr: '' });
    const answers = callers.map((res) => JSON.parse(res.stdout) as { Version: number; AccessKeyId: string });
    expect(new Set(answers.map((a) => a.AccessKeyId)).size).toBe(1);
    expect(answers[0]).toMatchObject({ Version: 1, AccessKeyId: expect.stringMatching(/^ASIA/) });
    expect(recorded.filter((c) => c.action === 'AssumeRole')).toHaveLength(1);
    const log = readFileSync(join(world.sandbox.anwbisHome, 'logs', 'daemon.log'), 'utf8');
    expect(log.match(/credential-process of datalab-dev-admin answered from the corp session/g)?.length).toBeGreaterThanOrEqual(1);

    // The AWS CLI runs credential_process as configured and gets the daemon's credentials from the cache.
    world.sandbox.write('config', `${world.sandbox.read('config')}\n[profile via-process]\nregion = eu-west-1\ncredential_process = ${process.execPath} ${ANWBIS_BIN} credential-process ${ADMIN.join(' ')}\n`);
    const identity = await runAwsCli(['sts', 'get-caller-identity', '--profile', 'via-process'], { env, endpoint: world.moto.endpoint });
    expectOk(identity);
    expect(JSON.parse(identity.stdout).Arn).toContain(':assumed-role/dev-datalab-delegated-admin/');
  });

  it('without a valid corp session falls back to the full command, which says how to start one', async () => {
    expectOk(await anwbis(['daemon', 'start']));
    const res = await anwbis(['credential-process', ...ADMIN]);
    expectRefused(res, EXIT.mfa, /no valid corp session/);
  });
});
