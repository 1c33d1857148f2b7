import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnwbisError } from '../errors/errors.js';
import { rejectedAnwbisError } from '../testing/caught.js';
import { startCoreScript, writeCoreScript } from '../testing/core-child.js';
import { acquireLock, LockLostError, LockTimeoutError, namedLockPath, takeOverReason, withLock, withNamedLock, type TakeOverFacts } from './lock.js';
import { handOverLock, releaseHandedOverLocks, takeHandedOverLock } from './handover.js';

const LOCK_MODULE = new URL('./lock.ts', import.meta.url);

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'anwbis-lock-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

// Takes the named lock args[1] under the home args[0], says so, holds it for args[3] ms, then
// says whether it still held it.
const HOLDER = `
const [home, name, staleMs, holdMs] = args;
const outcome = await core
  .withNamedLock(home, name, async () => {
    console.log('held');
    await new Promise((resolve) => setTimeout(resolve, Number(holdMs)));
  }, { staleMs: Number(staleMs) })
  .then(() => 'kept', (error) => \`\${error.name} \${error.kind}\`);
console.log(outcome);
`;

async function startHolder(name: string, options: { staleMs: number; holdMs: number }) {
  const script = join(dir, 'holder.mjs');
  await writeCoreScript(script, HOLDER);
  const child = startCoreScript(script, LOCK_MODULE, [dir, name, String(options.staleMs), String(options.holdMs)]);
  await child.line(/^held$/);
  return child;
}

describe('takeOverReason', () => {
  const base: TakeOverFacts = { sameHost: true, alive: true, heartbeatAgeMs: 0, unchangedForMs: 0, staleMs: 10_000, settleMs: 1_000 };
  it.each([
    { name: 'a live holder on this host with a fresh heartbeat', facts: {}, reason: undefined },
    { name: 'a dead holder on this host, at once', facts: { alive: false }, reason: 'dead' },
    { name: 'a holder on another host, whatever its pid', facts: { sameHost: false, alive: false }, reason: undefined },
    { name: 'a live holder whose heartbeat stood still while we watched', facts: { unchangedForMs: 10_000, heartbeatAgeMs: 10_000 }, reason: 'stale' },
    { name: 'an old heartbeat, once watched for a moment', facts: { sameHost: false, heartbeatAgeMs: 60_000, unchangedForMs: 1_000 }, reason: 'stale' },
    { name: 'an old heartbeat not yet watched (the holder may have just woken up)', facts: { heartbeatAgeMs: 60_000, unchangedForMs: 10 }, reason: undefined },
    { name: 'a heartbeat that moved just now', facts: { heartbeatAgeMs: 100, unchangedForMs: 9_999 }, reason: undefined },
  ])('$name', ({ facts, reason }) => {
    expect(takeOverReason({ ...base, ...facts })).toBe(reason);
  });
});

describe('acquireLock', () => {
  it('a holder killed with kill -9 no longer stalls the next caller until the stale time', async () => {
    // A stale time far beyond the test's timeout: only the dead pid can let the waiter in.
    const holder = await startHolder('credentials-p', { staleMs: 600_000, holdMs: 600_000 });
    holder.process.kill('SIGKILL');
    await holder.exit;

    const got = await withNamedLock(dir, 'credentials-p', async () => 'got it', { staleMs: 600_000, waitMs: 30_000 });

    expect(got).toBe('got it');
    expect(await readdir(join(dir, 'locks'))).toEqual([]);
  }, 30_000);

  it('a live holder keeps the lock past the stale time, and the waiter names the lock', async () => {
    const holder = await startHolder('credentials-p', { staleMs: 300, holdMs: 600_000 });

    const error = await rejectedAnwbisError(withNamedLock(dir, 'credentials-p', async () => undefined, { staleMs: 300, waitMs: 2_000 }));

    expect(error).toBeInstanceOf(LockTimeoutError);
    expect(error.kind).toBe('file');
    expect(error.message).toBe(`another anwbis process (pid ${holder.process.pid}) has held the lock on credentials-p for more than 2 s`);
    expect(error.next).toContain(join(dir, 'locks', 'credentials-p'));
    holder.process.kill('SIGKILL');
    await holder.exit;
  }, 30_000);

  it('a holder stopped past the stale time is overtaken and reports the lost lock instead of crashing from a timer', async () => {
    const holder = await startHolder('credentials-p', { staleMs: 500, holdMs: 3_000 });
    holder.process.kill('SIGSTOP');

    await withNamedLock(dir, 'credentials-p', async () => holder.process.kill('SIGCONT'), { staleMs: 500, waitMs: 30_000 });
    const { code, stdout } = await holder.exit;

    expect(code).toBe(0);
    expect(stdout).toBe('held\nLockLostError file\n');
  }, 30_000);

  it('waiters racing to take over a dead holder never hold the lock together', async () => {
    const lockPath = join(dir, 'x.lock');
    for (let round = 0; round < 5; round++) {
      await plantDeadHolder(lockPath);
      let holding = 0;
      let most = 0;
      await Promise.all(
        Array.from({ length: 8 }, () =>
          withLock(lockPath, async () => {
            most = Math.max(most, ++holding);
            await new Promise((resolve) => setTimeout(resolve, 5));
            holding--;
          }),
        ),
      );
      expect(most).toBe(1);
      expect(existsSync(lockPath)).toBe(false);
    }
  }, 30_000);

  it('a waiter killed while taking over a dead holder\'s lock does not block the next one', async () => {
    const lockPath = join(dir, 'x.lock');
    await plantDeadHolder(lockPath);
    await writeFile(join(lockPath, 'break'), await readFile(join(lockPath, 'owner')));

    const lock = await acquireLock(lockPath, { staleMs: 600_000, waitMs: 20_000 });
    await lock.release();

    expect(existsSync(lockPath)).toBe(false);
  });

  it('fails at once, not after the wait, when the lock cannot be created', async () => {
    const error = await acquireLock(join(dir, 'missing', 'x.lock'), { waitMs: 600_000 }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'ENOENT' });
  });
});

// A lock as a process of this host that has since died would have left it.
async function plantDeadHolder(lockPath: string): Promise<void> {
  const lock = await acquireLock(lockPath);
  const record = JSON.parse(await readFile(join(lockPath, 'owner'), 'utf8')) as { boot: string; nonce: string };
  await lock.release();
  const dead = spawnSync(process.execPath, ['-e', '0']).pid;
  await mkdir(lockPath);
  await writeFile(join(lockPath, 'owner'), JSON.stringify({ pid: dead, host: hostname(), boot: record.boot, nonce: `${record.nonce}-dead` }));
}

describe('withNamedLock', () => {
  it('keeps the lock while the work waits, and removes it afterwards', async () => {
    const seen = await withNamedLock(dir, 'credentials-p', async () => readdir(join(dir, 'locks')));
    expect(seen).toEqual(['credentials-p']);
    expect(await readdir(join(dir, 'locks'))).toEqual([]);
  });

  it('reports a lock lost while the work ran as an AnwbisError', async () => {
    const error = await rejectedAnwbisError(
      withNamedLock(dir, 'n', async (lock) => {
        await rm(lock.path, { recursive: true });
      }),
    );
    expect(error).toBeInstanceOf(LockLostError);
    expect(error.kind).toBe('file');
  });

  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;

  it('a read-only ANWBIS_HOME is a clear file error at once, not a wait for the lock', async () => {
    const home = join(dir, 'home');
    await mkdir(join(home, 'locks'), { recursive: true });
    await chmod(dir, 0o755);
    if (asNobody) await chown(join(home, 'locks'), asNobody.uid, asNobody.gid);
    await chmod(join(home, 'locks'), 0o500);
    const script = join(dir, 'named.mjs');
    await writeCoreScript(
      script,
      `await core.withNamedLock(args[0], 'credentials-p', async () => undefined, { waitMs: 600000 }).then(
  () => console.log('ok'),
  (error) => console.log(JSON.stringify({ name: error.name, kind: error.kind, message: error.message, next: error.next })),
);
`,
    );

    const { stdout } = await startCoreScript(script, LOCK_MODULE, [home], asNobody).exit;

    expect(JSON.parse(stdout)).toEqual({
      name: 'AnwbisError',
      kind: 'file',
      message: `cannot take the lock on credentials-p: permission denied on ${join(home, 'locks', 'credentials-p')} or its directory ${join(home, 'locks')}`,
      next: expect.stringContaining('set ANWBIS_HOME to a writable directory'),
    });
  }, 30_000);

  const asRoot = process.getuid?.() === 0 ? it : it.skip;
  asRoot('a lock taken as root in a user\'s directory no longer stays root\'s: the user can remove what a killed root run left', async () => {
    const locks = join(dir, 'locks');
    await mkdir(locks);
    await chmod(dir, 0o755);
    await chown(locks, 65534, 65534);
    const lock = await acquireLock(join(locks, 'credentials'), { label: 'credentials' });
    const { stat } = await import('node:fs/promises');
    expect((await stat(lock.path)).uid).toBe(65534);
    expect((await stat(join(lock.path, 'owner'))).uid).toBe(65534);
    // As a run killed with -9 leaves it: the user empties and removes it.
    const removed = spawnSync('rm', ['-r', lock.path], { uid: 65534, gid: 65534, encoding: 'utf8' });
    expect(removed).toMatchObject({ status: 0, stderr: '' });
    await expect(lock.release()).resolves.toBeUndefined();
  });

  it('passes an error of the work through unchanged', async () => {
    const failure = new AnwbisError('denied', 'no');
    await expect(withNamedLock(dir, 'n', () => Promise.reject(failure))).rejects.toBe(failure);
  });
});

describe('a lock handed over within the process', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'anwbis-handover-'));
    await mkdir(join(home, 'locks'), { mode: 0o700 });
  });
  afterEach(async () => {
    await releaseHandedOverLocks();
    await rm(home, { recursive: true, force: true });
  });

  it('is run under by the withNamedLock of the same name it is given to, which releases it, instead of waiting behind itself', async () => {
    const lock = await acquireLock(namedLockPath(home, 'credentials-x'), { waitMs: 0 });
    handOverLock(lock);
    const held = takeHandedOverLock(namedLockPath(home, 'credentials-x'));
    const ran = await withNamedLock(home, 'credentials-x', async (running) => running === lock, { waitMs: 200, held });
    expect(ran).toBe(true);
    expect(await readdir(join(home, 'locks'))).toEqual([]);
  });

  it('is not taken by a lock of another name, and is released when nobody took it', async () => {
    handOverLock(await acquireLock(namedLockPath(home, 'credentials-x'), { waitMs: 0 }));
    const held = takeHandedOverLock(namedLockPath(home, 'credentials-y'));
    expect(held).toBeUndefined();
    expect(await withNamedLock(home, 'credentials-y', async () => 'other', { waitMs: 200, held })).toBe('other');
    await expect(withNamedLock(home, 'credentials-x', async () => 'twice', { waitMs: 0, held: takeHandedOverLock(namedLockPath(home, 'credentials-x')) })).resolves.toBe('twice');
    handOverLock(await acquireLock(namedLockPath(home, 'credentials-z'), { waitMs: 0 }));
    await releaseHandedOverLocks();
    expect(await readdir(join(home, 'locks'))).toEqual([]);
  });
});
