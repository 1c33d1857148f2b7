import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ANWBIS_BIN, conventionScenario, runAnwbis } from '@anwbis/tools/emulator';
import { daemonLaunch } from '@anwbis/daemon';
import { emulatorWorld, expectOk, waitFor as waitUntil } from './helpers.js';

const waitFor = <T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>) => waitUntil(what, probe, 60_000);

/**
 * The daemon under socket activation, as a systemd socket unit runs it: systemd's own
 * activator binds the socket, waits for the first connection, then execs `anwbis daemon run`
 * in place with the listening socket as fd 3 (LISTEN_PID is the daemon's pid).
 */

const DEV = '222222222222';
const USER = 'maria.lopez';
const activatorFound = spawnSync('systemd-socket-activate', ['--version']).status === 0;

const world = emulatorWorld(() => conventionScenario({ users: [USER], projects: { datalab: { envs: { dev: DEV }, roles: ['admin', 'devops'] } } }));

let runtime: string;
let env: Record<string, string>;
const activators = new Set<ChildProcess>();

beforeEach(() => {
  // Short, private, per test: a Unix socket path is limited to about 107 bytes.
  runtime = mkdtempSync('/tmp/anwa-');
  chmodSync(runtime, 0o700);
  // A socket unit's directory exists before the socket does.
  mkdirSync(join(runtime, 'anwbis'), { mode: 0o700 });
  env = { ...world.sandbox.env, XDG_RUNTIME_DIR: runtime };
  mkdirSync(world.sandbox.anwbisHome, { recursive: true, mode: 0o700 });
});

afterEach(async () => {
  for (const child of activators) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
  activators.clear();
  rmSync(runtime, { recursive: true, force: true });
});

const socketPath = () => join(runtime, 'anwbis', 'daemon.sock');
const tokenPath = () => join(runtime, 'anwbis', 'daemon.token');
const anwbis = (args: string[]) => runAnwbis(args, { env });

/** Binds the socket with systemd's activator; nothing of anwbis runs until a client connects. */
async function activate(): Promise<ChildProcess> {
  // The activator hands its program a bare environment, as a unit's Environment= lines do: every
  // variable is named (-E NAME passes its value on, so none is written into an argument list).
  const passed = Object.keys(env).flatMap((name) => ['-E', name]);
  const child = spawn('systemd-socket-activate', ['-l', socketPath(), ...passed, ...daemonLaunch({ kind: 'script', node: process.execPath, script: ANWBIS_BIN }).argv], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  activators.add(child);
  let said = '';
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (said += d));
  await waitFor(`systemd-socket-activate to bind ${socketPath()}`, () => /Listening on/.test(said) && lstatSync(socketPath()).isSocket());
  return child;
}

async function status(): Promise<{ pid: number; socket: string; profiles: Array<{ profile: string; state: string }> }> {
  const res = await anwbis(['daemon', 'status', '--json']);
  expectOk(res);
  return JSON.parse(res.stdout);
}

(activatorFound ? describe : describe.skip)('the daemon under systemd socket activation', () => {
  it('the first connection starts it and the CLI waits for its token; watch and status work through it', async () => {
    expectOk(await anwbis(['session', '--mfa-code', '123456']));
    const activator = await activate();
    // Before any client: a socket and no token, as a client finds it after login.
    expect(existsSync(tokenPath())).toBe(false);

    const first = await status();
    expect(first).toMatchObject({ pid: activator.pid, socket: socketPath(), profiles: [] });
    expect(readFileSync(tokenPath(), 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    expect(lstatSync(tokenPath()).mode & 0o777).toBe(0o600);

    const watched = await anwbis(['watch', '-p', 'datalab', '-e', 'dev', '-r', 'admin']);
    expectOk(watched);
    expect(watched.stderr).toContain('The daemon keeps datalab-dev-admin fresh from corp-session-default');
    expect((await status()).profiles).toEqual([expect.objectContaining({ profile: 'datalab-dev-admin', state: 'fresh' })]);
    expect(readFileSync(join(world.sandbox.anwbisHome, 'logs', 'daemon.log'), 'utf8')).toContain(`started (pid ${activator.pid}, socket ${socketPath()}`);
  });

  it('a restarted daemon keeps the token clients already read, and its watch list', async () => {
    expectOk(await anwbis(['session', '--mfa-code', '123456']));
    const firstActivator = await activate();
    expectOk(await anwbis(['watch', '-p', 'datalab', '-e', 'dev', '-r', 'admin']));
    const token = readFileSync(tokenPath(), 'utf8');

    expectOk(await anwbis(['daemon', 'stop']));
    await waitFor('the first daemon to exit', () => firstActivator.exitCode !== null || firstActivator.signalCode !== null);
    // The service manager owns the socket: the daemon leaves it, and the token, in place.
    expect(lstatSync(socketPath()).isSocket()).toBe(true);
    expect(readFileSync(tokenPath(), 'utf8')).toBe(token);

    // The client reads the token before its connection starts the new daemon, which must take it over.
    const again = await activate();
    const shown = await status();
    expect(shown.pid).toBe(again.pid);
    expect(shown.pid).not.toBe(firstActivator.pid);
    expect(shown.profiles).toEqual([expect.objectContaining({ profile: 'datalab-dev-admin' })]);
    expect(readFileSync(tokenPath(), 'utf8')).toBe(token);
  });
});
