import { afterEach, describe, expect, it } from '@jest/globals';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { assertPrivateDir, assertSocketPathFits, DaemonAlreadyRunning, listenPrivate, MAX_SOCKET_PATH_BYTES, tightenPrivateDir, tokenMatches } from './socket-dir.js';

const dirs: string[] = [];
const servers: Server[] = [];
const tmp = () => {
  const d = mkdtempSync('/tmp/anws-');
  dirs.push(d);
  return d;
};
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))));
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('assertPrivateDir', () => {
  it('creates a missing directory 0700 and accepts it', () => {
    const dir = join(tmp(), 'anwbis');
    assertPrivateDir(dir, true);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it.each([
    ['a symbolic link', (d: string) => {
      mkdirSync(join(d, 'real'), { mode: 0o700 });
      symlinkSync(join(d, 'real'), join(d, 'anwbis'));
    }, /it is a symbolic link/],
    ['group-writable', (d: string) => {
      mkdirSync(join(d, 'anwbis'));
      chmodSync(join(d, 'anwbis'), 0o770);
    }, /its mode is 770/],
    ['readable by others', (d: string) => {
      mkdirSync(join(d, 'anwbis'));
      chmodSync(join(d, 'anwbis'), 0o705);
    }, /its mode is 705/],
    ['a file', (d: string) => writeFileSync(join(d, 'anwbis'), ''), /not a directory/],
  ])('refuses a directory that is %s, and does not repair it', (_name, plant, message) => {
    const d = tmp();
    plant(d);
    expect(() => assertPrivateDir(join(d, 'anwbis'), true)).toThrow(message);
  });
});

describe('tightenPrivateDir', () => {
  it.each(['755', '750', '711'])('narrows an ANWBIS_HOME made with mkdir (%s) to 0700', (mode) => {
    const dir = join(tmp(), 'home');
    mkdirSync(dir);
    chmodSync(dir, parseInt(mode, 8));
    tightenPrivateDir(dir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
  });

  it.each([
    ['that is writable by its group', (d: string) => {
      mkdirSync(join(d, 'home'));
      chmodSync(join(d, 'home'), 0o775);
    }, /its mode is 775, so others could have put files in it/, 0o775],
    ['that is writable by anyone', (d: string) => {
      mkdirSync(join(d, 'home'));
      chmodSync(join(d, 'home'), 0o777);
    }, /its mode is 777/, 0o777],
    ["that is another user's", (d: string) => {
      mkdirSync(join(d, 'home'));
      chmodSync(join(d, 'home'), 0o755);
      chownSync(join(d, 'home'), 65534, 65534);
    }, /it belongs to uid 65534, not to you/, 0o755],
  ])('refuses an ANWBIS_HOME %s and leaves its mode alone', (_name, plant, message, mode) => {
    const d = tmp();
    plant(d);
    expect(() => tightenPrivateDir(join(d, 'home'))).toThrow(message);
    expect(statSync(join(d, 'home')).mode & 0o777).toBe(mode);
  });

  it('refuses a symbolic link and leaves the directory it points to alone', () => {
    const d = tmp();
    mkdirSync(join(d, 'real'), { mode: 0o755 });
    chmodSync(join(d, 'real'), 0o755);
    symlinkSync(join(d, 'real'), join(d, 'home'));
    expect(() => tightenPrivateDir(join(d, 'home'))).toThrow(/it is a symbolic link/);
    expect(statSync(join(d, 'real')).mode & 0o777).toBe(0o755);
  });
});

describe('assertSocketPathFits', () => {
  it('refuses a path longer than a Unix socket allows, and says what to do', () => {
    expect(() => assertSocketPathFits(`/${'a'.repeat(MAX_SOCKET_PATH_BYTES)}`)).toThrow(/can be at most/);
    expect(() => assertSocketPathFits(`/${'a'.repeat(MAX_SOCKET_PATH_BYTES - 1)}`)).not.toThrow();
  });
});

describe('tokenMatches', () => {
  it.each([
    ['abc', 'abc', true],
    ['abd', 'abc', false],
    ['ab', 'abc', false],
    [undefined, 'abc', false],
    [42, 'abc', false],
  ])('%p against %p: %p', (presented, token, expected) => {
    expect(tokenMatches(presented, token)).toBe(expected);
  });
});

describe('listenPrivate', () => {
  it('takes over a stale socket and refuses a live one', async () => {
    const path = join(tmp(), 'daemon.sock');
    // A daemon killed with -9 leaves its socket file behind.
    const dead = spawn(process.execPath, ['-e', `require('net').createServer().listen(${JSON.stringify(path)}, () => console.log('up'))`], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((r) => dead.stdout.once('data', r));
    const gone = new Promise((r) => dead.once('exit', r));
    dead.kill('SIGKILL');
    await gone;
    expect(statSync(path).isSocket()).toBe(true);

    const live = createServer();
    servers.push(live);
    await listenPrivate(live, path);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const second = createServer();
    await expect(listenPrivate(second, path)).rejects.toBeInstanceOf(DaemonAlreadyRunning);
  });

  it('refuses a path that holds something other than a socket', async () => {
    const path = join(tmp(), 'daemon.sock');
    writeFileSync(path, '');
    await expect(listenPrivate(createServer(), path)).rejects.toThrow(/not a socket/);
  });
});
