import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { request } from 'node:http';
import { fileURLToPath } from 'node:url';
import { processRunning } from '@anwbis/core';
import { ANWBIS_BIN, awsCli, conventionScenario, run, runAnwbis } from '@anwbis/tools/emulator';
import { asOtherUser, EXIT, emulatorWorld, expectOk, expectRefused, waitFor as waitUntil } from './helpers.js';

const waitFor = <T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>) => waitUntil(what, probe, 120_000);

const DEV = '222222222222';
const USER = 'luis.gonzalez';
const CLIENTS = fileURLToPath(new URL('./clients/', import.meta.url));
const ADMIN = '-p datalab -e dev -r admin';

const world = emulatorWorld(() => conventionScenario({ users: [USER], projects: { datalab: { envs: { dev: DEV }, roles: ['admin'] } } }));

let runtime: string;
let env: Record<string, string>;
const shells = new Set<ChildProcessWithoutNullStreams>();
const listeners = new Set<number>();

beforeEach(() => {
  // Short, private, per test: a Unix socket path is limited to about 107 bytes.
  runtime = mkdtempSync('/tmp/anwe-');
  chmodSync(runtime, 0o700);
  // The shell scripts call `anwbis` and `aws` by name, as a person would.
  env = { ...world.sandbox.env, XDG_RUNTIME_DIR: runtime, NODE: process.execPath, ANWBIS: ANWBIS_BIN, AWS: awsCli(), CLIENTS };
});

afterEach(async () => {
  for (const shell of shells) shell.kill('SIGKILL');
  shells.clear();
  for (const pid of listeners) if (processRunning(pid)) process.kill(pid, 'SIGKILL');
  listeners.clear();
  await runAnwbis(['daemon', 'stop', '--force'], { env });
  rmSync(runtime, { recursive: true, force: true });
});

const anwbis = (args: string[], extra: Record<string, string> = {}) => runAnwbis(args, { env: { ...env, ...extra } });
const session = async () => expectOk(await anwbis(['session', '--mfa-code', '123456']));
const daemonStart = async () => expectOk(await anwbis(['daemon', 'start']));
const grants = async () => (JSON.parse((await anwbis(['daemon', 'status', '--json'])).stdout) as { grants: number }).grants;
/** `anwbis` as a shell runs it (the bin with Node, in the shell's own process tree); `aws`, the AWS CLI v2 against the emulator. */
const ANWBIS_IN_SHELL = 'anwbis() { "$NODE" "$ANWBIS" "$@"; }; aws() { "$AWS" --endpoint-url "$AWS_ENDPOINT_URL" "$@"; };';
/** The listener's pid, from what `anwbis env --server` tells the person. */
const listenerPidIn = (stderr: string) => Number(/\(listener pid (\d+)\)/.exec(stderr)?.[1]);

/** Runs a bash script to its end. */
const bash = (script: string, extra: Record<string, string> = {}) => run('bash', ['-c', `${ANWBIS_IN_SHELL}\n${script}`], { env: { ...env, ...extra } });

/** A bash left running: it runs `script`, prints its lines, then waits until its stdin closes. */
function startedBash(script: string) {
  const child = spawn('bash', ['-c', `${ANWBIS_IN_SHELL}\n${script}\necho ready\nread -r _ || true`], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  shells.add(child);
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  return {
    child,
    exited,
    ready: () => waitFor(`the shell to be ready (stdout: ${out}; stderr: ${err})`, () => out.includes('ready\n') && { out, err }),
    /** The first line of its output that matches. */
    line: (pattern: RegExp) => waitFor(`a line ${pattern} (stdout: ${out})`, () => out.split('\n').find((l) => pattern.test(l))),
  };
}

function get(url: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('anwbis env --server', () => {
  it('the eval\'d lines serve the AWS CLI and the AWS SDK in the shell as the role, with no key in its environment', async () => {
    await session();
    await daemonStart();
    const res = await bash(
      `eval "$(anwbis env --server ${ADMIN})" || exit 9
aws sts get-caller-identity --query Arn --output text
"$NODE" "$CLIENTS/sts-loop.mjs" 1 1
"$NODE" -e 'console.log(JSON.stringify(process.env))'`,
      // Inherited keys and profile must not reach the shell's commands.
      { AWS_ACCESS_KEY_ID: 'AKIAINHERITED0000000', AWS_SECRET_ACCESS_KEY: 'inherited-secret', AWS_SESSION_TOKEN: 'inherited-token', AWS_PROFILE: 'default' },
    );
    expect({ code: res.code, stderr: res.stderr }).toEqual({ code: 0, stderr: expect.stringMatching(/^\[ OK \] the shell \(pid \d+\) gets the credentials of datalab-dev-admin from 127\.0\.0\.1:\d+ \(listener pid \d+\) until it exits; end it sooner with: eval "\$\(anwbis env --unset\)"\n$/) });
    listeners.add(listenerPidIn(res.stderr));
    const [cli, sdk, shown] = res.stdout.trim().split('\n');
    expect(cli).toMatch(new RegExp(`^arn:aws:sts::${DEV}:assumed-role/dev-datalab-delegated-admin/`));
    expect(JSON.parse(sdk!)).toEqual({ n: 0, key: expect.stringMatching(/^ASIA/), arn: expect.stringContaining(':assumed-role/dev-datalab-delegated-admin/') });
    const shellEnv = JSON.parse(shown!) as Record<string, string>;
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE']) expect({ name, value: shellEnv[name] }).toEqual({ name, value: undefined });
    expect(shellEnv).toMatchObject({
      AWS_CONTAINER_CREDENTIALS_FULL_URI: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/credentials\/datalab-dev-admin$/),
      AWS_CONTAINER_AUTHORIZATION_TOKEN: expect.stringMatching(/^[\w-]{43}$/),
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      ANWBIS_AWS_SHARED_CREDENTIALS_FILE: world.sandbox.env.AWS_SHARED_CREDENTIALS_FILE,
      ANWBIS_AWS_CONFIG_FILE: world.sandbox.env.AWS_CONFIG_FILE,
      ANWBIS_PROFILE: 'datalab-dev-admin',
    });
  });

  it('without a daemon says to start it, prints nothing for eval and writes nothing', async () => {
    await session();
    const before = world.sandbox.read('credentials');
    const res = await anwbis(['env', '--server', ...ADMIN.split(' ')]);
    expectRefused(res, EXIT.config, /anwbis env --server needs the daemon, and anwbis daemon is not running/);
    expect(res.stderr).toContain('`anwbis daemon start`');
    expect(res.stdout).toBe('');
    expect(world.sandbox.read('credentials')).toBe(before);
    // In a shell: eval gets nothing, so nothing changes.
    const shell = await bash(`export AWS_PROFILE=kept\neval "$(anwbis env --server ${ADMIN})"\necho "status=$? profile=$AWS_PROFILE uri=\${AWS_CONTAINER_CREDENTIALS_FULL_URI:-none}"`);
    expect(shell.stdout).toBe('status=0 profile=kept uri=none\n');
  });

  it('the listener ends when the shell exits: no process left, the grant released, the port closed', async () => {
    await session();
    await daemonStart();
    const shell = startedBash(`eval "$(anwbis env --server ${ADMIN})"\necho "$AWS_CONTAINER_CREDENTIALS_FULL_URI"`);
    const { out, err } = await shell.ready();
    const listener = listenerPidIn(err);
    listeners.add(listener);
    const url = out.split('\n')[0]!;
    expect(processRunning(listener)).toBe(true);
    expect(await grants()).toBe(1);
    expect((await anwbis(['daemon', 'status'])).stdout).toContain('1 program runs with credentials it keeps fresh (anwbis exec --server, anwbis env --server)');
    expectRefused(await anwbis(['daemon', 'stop']), EXIT.usage, /1 program runs with credentials the daemon \(pid \d+\) keeps fresh/);

    shell.child.stdin.end();
    expect(await shell.exited).toBe(0);
    await waitFor('the listener to end', () => !processRunning(listener));
    await waitFor('the grant to be released', async () => (await grants()) === 0);
    await expect(get(url, {})).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('--unset ends the listener and gives the shell its files back; anwbis in a served shell uses the person\'s files', async () => {
    await session();
    await daemonStart();
    const res = await bash(`eval "$(anwbis env --server ${ADMIN})" || exit 9
anwbis session --mfa-code 654321 2>&1 >/dev/null | grep -c ERROR
eval "$(anwbis env --unset)" || exit 8
echo "uri=\${AWS_CONTAINER_CREDENTIALS_FULL_URI:-none} token=\${AWS_CONTAINER_AUTHORIZATION_TOKEN:-none} credentials=\${AWS_SHARED_CREDENTIALS_FILE:-default} config=\${AWS_CONFIG_FILE:-default} saved=\${ANWBIS_AWS_CONFIG_FILE:-none}"
export AWS_CONFIG_FILE="$HOME/elsewhere"
eval "$(anwbis env --server ${ADMIN})" || exit 7
eval "$(anwbis env --unset)" || exit 6
echo "config=$AWS_CONFIG_FILE"`);
    const listener = listenerPidIn(res.stderr);
    listeners.add(listener);
    // The sandbox's files are where the AWS tools look by default (under its HOME): unset again.
    expect(res.stdout).toBe(`0\nuri=none token=none credentials=default config=default saved=none\nconfig=${world.sandbox.env.HOME}/elsewhere\n`);
    await waitFor('the listener to end', () => !processRunning(listener));
    expect(await grants()).toBe(0);

    expectRefused(await anwbis(['env', '--unset']), EXIT.usage, /this shell is not served by anwbis env --server/);
  });

  it('fish: the lines for --shell fish serve the AWS CLI, and --unset\'s end it', async () => {
    await session();
    await daemonStart();
    const res = await run(
      'fish',
      [
        '-c',
        `"$NODE" "$ANWBIS" env --server ${ADMIN} --shell fish | source
"$AWS" --endpoint-url "$AWS_ENDPOINT_URL" sts get-caller-identity --query Account --output text
"$NODE" "$ANWBIS" env --unset --shell fish | source
echo "uri=$AWS_CONTAINER_CREDENTIALS_FULL_URI"`,
      ],
      { env: { ...env, AWS_PROFILE: 'default' } },
    );
    expect(res.stderr).toMatch(/end it sooner with: anwbis env --unset --shell fish \| source\n$/);
    const listener = listenerPidIn(res.stderr);
    listeners.add(listener);
    expect({ code: res.code, stdout: res.stdout }).toEqual({ code: 0, stdout: `${DEV}\nuri=\n` });
    await waitFor('the listener to end', () => !processRunning(listener));
  });

  it('serving a shell again ends the listener before', async () => {
    await session();
    await daemonStart();
    const res = await bash(`eval "$(anwbis env --server ${ADMIN})" || exit 9
eval "$(anwbis env --server ${ADMIN})" || exit 8
aws sts get-caller-identity --query Account --output text`);
    expect(res.code).toBe(0);
    const [first, second] = [...res.stderr.matchAll(/\(listener pid (\d+)\)/g)].map((m) => Number(m[1]));
    listeners.add(first!).add(second!);
    expect(res.stdout).toBe(`${DEV}\n`);
    await waitFor('both listeners to end', () => !processRunning(first!) && !processRunning(second!));
  });
});


(process.getuid?.() === 0 ? describe : describe.skip)('anwbis env --server with another local user (uid 65534)', () => {
  it('credential hijack by another user: the port stays taken while the shell lives, and the token is in no argument or readable environment', async () => {
    await session();
    await daemonStart();
    // A long-running command of the shell, as `aws` would be, holds the token in its environment.
    const shell = startedBash(`eval "$(anwbis env --server ${ADMIN})"\necho "$AWS_CONTAINER_CREDENTIALS_FULL_URI"\n"$NODE" "$CLIENTS/hold.mjs" forever &`);
    const { out, err } = await shell.ready();
    const listener = listenerPidIn(err);
    listeners.add(listener);
    const url = out.split('\n')[0]!;
    const { token, pid: command } = JSON.parse(await shell.line(/^\{/)) as { token: string; pid: number };
    listeners.add(command);
    const { port } = new URL(url);
    expect((await get(url, { authorization: token })).status).toBe(200);

    const seen = JSON.parse(
      await asOtherUser(
        `const fs = require('fs'); const net = require('net'); const [port, listener, command] = process.argv.slice(1);
const read = (p) => { try { return fs.readFileSync(p, 'utf8'); } catch (e) { return e.code; } };
const s = net.createServer(); s.once('error', (e) => done(e.code)); s.listen(Number(port), '127.0.0.1', () => { s.close(); done('bound'); });
function done(bind) { console.log(JSON.stringify({ bind, listenerArgs: read('/proc/' + listener + '/cmdline'), listenerEnv: read('/proc/' + listener + '/environ'), commandEnv: read('/proc/' + command + '/environ') })); }`,
        [port, String(listener), String(command)],
      ),
    ) as { bind: string; listenerArgs: string; listenerEnv: string; commandEnv: string };
    expect(seen.bind).toBe('EADDRINUSE');
    expect(seen.listenerArgs).toContain('__serve-shell');
    expect(seen.listenerArgs).not.toContain(token);
    expect(seen.listenerEnv).toBe('EACCES');
    expect(readFileSync(`/proc/${listener}/environ`, 'utf8')).not.toContain(token);
    expect(seen.commandEnv).toBe('EACCES');
    const wrong = await get(url, { authorization: `${token.slice(0, -2)}AA` });
    expect(wrong.status).toBe(403);
    expect(wrong.body).not.toMatch(/ASIA|AccessKeyId/);

    process.kill(command, 'SIGKILL');
    shell.child.stdin.end();
    await shell.exited;
    await waitFor('the listener to end', () => !processRunning(listener));
  });
});
