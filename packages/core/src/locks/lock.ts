/**
 * One cross-process lock policy for every anwbis lock: the AWS files' (`<file>.anwbis.lock`)
 * and the named ones under `ANWBIS_HOME/locks`.
 *
 * A lock is a directory (created atomically by mkdir, the format proper-lockfile used before,
 * so an older anwbis still excludes a newer one) holding an `owner` record: pid, host and a
 * random nonce. The holder touches the directory's mtime as a heartbeat. A waiter takes the
 * lock over at once when the holder is a dead process on this host, and otherwise only when
 * the heartbeat has stopped for longer than the stale time (a stopped process, a suspended
 * laptop, another host): a live holder keeps the lock however long it waits, for instance for
 * a person typing an MFA code. Losing the lock is found by the holder (heartbeat and
 * {@link HeldLock.assertHeld}) and reported as an error, never thrown from a timer.
 */
import { readFileSync, readlinkSync } from 'node:fs';
import { chown, mkdir, open, readFile, rm, rmdir, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { AnwbisError } from '../errors/errors.js';
import { errnoCode, isErrno } from '../fs/errno.js';
import { displayPath } from '../fs/display.js';
import { ensurePrivateDir, inheritedOwner } from '../fs/atomic-write.js';
import { explainFsError } from '../fs/explain.js';
import { locksDir } from '../cache/layout.js';

/** Tuning for {@link acquireLock}; every lock uses the same stale time unless a test says otherwise. */
export interface LockOptions {
  /** How long to wait for a live holder before giving up (ms). */
  readonly waitMs?: number;
  /** A heartbeat stopped for this long (ms) means the holder is gone or stuck. */
  readonly staleMs?: number;
  /** How the lock is named in messages; default its path. */
  readonly label?: string;
}

/** The stale time of every anwbis lock. */
export const LOCK_STALE_MS = 10_000;

/** Who holds a lock, as recorded in it. */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  /** Boot and pid namespace: a pid means the same process only when these match too. */
  readonly boot: string;
  readonly nonce: string;
}

/** A lock this process holds. */
export interface HeldLock {
  readonly path: string;
  /** True once this process has seen that another took the lock over. */
  readonly lost: boolean;
  /** Throws {@link LockLostError} unless the lock is still ours. */
  assertHeld(): Promise<void>;
  /** The same check without yielding, for the moment right before a commit. */
  assertHeldSync(): void;
  /** Removes the lock if it is still ours; safe to call twice. */
  release(): Promise<void>;
}

/** A live holder kept the lock for longer than the caller would wait. */
export class LockTimeoutError extends AnwbisError {
  readonly lockPath: string;
  readonly holder: LockOwner | undefined;

  constructor(label: string, lockPath: string, waitMs: number, holder: LockOwner | undefined) {
    const who = holder === undefined ? 'another anwbis process' : `another anwbis process (pid ${holder.pid}${holder.host === hostname() ? '' : ` on ${holder.host}`})`;
    super('file', `${who} has held the lock on ${label} for more than ${Math.round(waitMs / 1000)} s`, {
      next: `try again when it has finished; if no anwbis is running, remove the directory ${lockPath}`,
    });
    this.name = 'LockTimeoutError';
    this.lockPath = lockPath;
    this.holder = holder;
  }
}

/** Another process took over a lock we held, so what we did under it may have overlapped. */
export class LockLostError extends AnwbisError {
  readonly lockPath: string;

  constructor(label: string, lockPath: string) {
    super('file', `lost the lock on ${label}: another anwbis process took it over while this one was stalled`, {
      next: 'run the command again',
    });
    this.name = 'LockLostError';
    this.lockPath = lockPath;
  }
}

const OWNER_FILE = 'owner';

// Tells one taking of a lock from another (a holder that finds another nonce in the record has
// lost the lock). It needs to be unique, not secret: the lock directory is private. Neither
// node:crypto nor Web Crypto, which would cost each of 32 waiting credential_process callers
// more than the rest of its wait: the time, a counter and V8's randomly seeded Math.random.
let taken = 0;
function nonce(): string {
  return `${process.pid.toString(36)}-${Date.now().toString(36)}-${(taken++).toString(36)}-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
}
const BREAK_FILE = 'break';

let self: Omit<LockOwner, 'nonce'> | undefined;

// After a reboot or in another pid namespace (a container sharing the home directory) the same
// pid is another process, so the host alone does not say whether a pid can be checked.
function bootId(): string {
  const parts: string[] = [];
  try {
    parts.push(readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim());
    parts.push(readlinkSync('/proc/self/ns/pid'));
  } catch {
    // Not Linux: the host name is all there is.
  }
  return parts.join(' ');
}

function whoAmI(): Omit<LockOwner, 'nonce'> {
  self ??= { pid: process.pid, host: hostname(), boot: bootId() };
  return self;
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const value = JSON.parse(text) as Partial<LockOwner>;
    if (typeof value.pid === 'number' && typeof value.host === 'string' && typeof value.boot === 'string' && typeof value.nonce === 'string') {
      return { pid: value.pid, host: value.host, boot: value.boot, nonce: value.nonce };
    }
  } catch {
    // Half written by a holder killed right after mkdir, or another tool's: judged by age.
  }
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return !isErrno(error, 'ESRCH');
  }
}

/** What a waiter sees of a lock. */
interface Sighting {
  /** The holder's nonce, or the lock's inode when there is no readable record. */
  readonly key: string;
  readonly mtimeMs: number;
  readonly owner: LockOwner | undefined;
}

async function inspect(lockPath: string): Promise<Sighting | undefined> {
  let info;
  try {
    info = await stat(lockPath);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
  let handle;
  try {
    handle = await open(join(lockPath, OWNER_FILE), 'r');
  } catch (error) {
    // EACCES: a lock another user (root, under sudo) holds; judged by the directory's age.
    if (isErrno(error, 'ENOENT', 'ENOTDIR', 'EACCES')) return { key: `inode ${info.ino}`, mtimeMs: info.mtimeMs, owner: undefined };
    throw error;
  }
  try {
    // The record's own mtime is the heartbeat: the directory's also moves when a waiter
    // creates its break file inside.
    const [ownerInfo, text] = [await handle.stat(), await handle.readFile('utf8')];
    const owner = parseOwner(text);
    return { key: owner?.nonce ?? `inode ${info.ino}`, mtimeMs: ownerInfo.mtimeMs, owner };
  } finally {
    await handle.close();
  }
}

/** Facts a waiter has about a holder, for {@link takeOverReason}. */
export interface TakeOverFacts {
  /** The recorded holder is a process on this host (same boot, same pid namespace). */
  readonly sameHost: boolean;
  /** Whether that process exists; only meaningful when `sameHost`. */
  readonly alive: boolean;
  /** Wall-clock age of the heartbeat (ms). */
  readonly heartbeatAgeMs: number;
  /** How long this waiter has watched the heartbeat not move, on its own monotonic clock (ms). */
  readonly unchangedForMs: number;
  readonly staleMs: number;
  /** How long a waiter watches before trusting the wall clock (ms). */
  readonly settleMs: number;
}

/**
 * Whether a waiter may take a lock over, and why. A dead holder on this host loses it at once;
 * a heartbeat this waiter has watched stand still for the stale time loses it too (the waiter's
 * monotonic clock stops while the machine sleeps, so waking up is not mistaken for a stall).
 * A heartbeat that is old by the wall clock (left before a reboot, or by another host) loses it
 * once the waiter has watched it for a moment, which gives a holder that has just woken up the
 * chance to beat first.
 */
export function takeOverReason(facts: TakeOverFacts): 'dead' | 'stale' | undefined {
  if (facts.sameHost && !facts.alive) return 'dead';
  if (facts.unchangedForMs >= facts.staleMs) return 'stale';
  if (facts.heartbeatAgeMs >= facts.staleMs && facts.unchangedForMs >= facts.settleMs) return 'stale';
  return undefined;
}

/**
 * Removes the lock a waiter saw, unless it changed since, and says whether it did. The `break`
 * file, created exclusively inside the lock directory, lets one waiter at a time do this, so two
 * waiters that both saw a dead holder cannot each remove the lock and one remove the other's
 * new one. A `break` file left by a waiter killed in these few microseconds is removed as a
 * lock would be: at once if its writer is dead, else once it is stale.
 */
async function breakLock(lockPath: string, seen: Sighting, staleMs: number): Promise<boolean> {
  const guard = join(lockPath, BREAK_FILE);
  const breaker: LockOwner = { ...whoAmI(), nonce: nonce() };
  try {
    await writeFile(guard, JSON.stringify(breaker), { flag: 'wx', mode: 0o644 });
  } catch (error) {
    if (isErrno(error, 'ENOTDIR')) {
      // Not a lock directory at all (a stray file): nothing else can be racing on it.
      await rm(lockPath, { force: true });
      return true;
    }
    if (isErrno(error, 'EEXIST')) await clearStaleGuard(guard, breaker, staleMs);
    else if (!isErrno(error, 'ENOENT')) throw error;
    return false;
  }
  try {
    const now = await inspect(lockPath);
    // Without a record the directory's mtime is all there is, and our break file just moved it.
    if (now === undefined || now.key !== seen.key || (now.owner !== undefined && now.mtimeMs !== seen.mtimeMs)) return false;
    await rm(lockPath, { recursive: true, force: true });
    return true;
  } finally {
    await unlink(guard).catch(() => undefined);
  }
}

async function clearStaleGuard(guard: string, self: LockOwner, staleMs: number): Promise<void> {
  try {
    const [info, text] = [await stat(guard), await readFile(guard, 'utf8')];
    const writer = parseOwner(text);
    const dead = writer !== undefined && writer.host === self.host && writer.boot === self.boot && !isAlive(writer.pid);
    if (dead || Date.now() - info.mtimeMs > staleMs) await unlink(guard);
  } catch {
    // Gone already (its writer finished), or half written: looked at again on the next poll.
  }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

class Lock implements HeldLock {
  readonly path: string;
  lost = false;
  private readonly label: string;
  private readonly nonce: string;
  private readonly heartbeatMs: number;
  private released = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(path: string, label: string, nonce: string, heartbeatMs: number) {
    this.path = path;
    this.label = label;
    this.nonce = nonce;
    this.heartbeatMs = heartbeatMs;
    this.schedule();
  }

  private schedule(): void {
    this.timer = setTimeout(() => void this.beat(), this.heartbeatMs);
    // A forgotten lock must not keep the process alive; the holder's own work does that.
    this.timer.unref();
  }

  private ours(text: string | undefined): boolean {
    return text !== undefined && parseOwner(text)?.nonce === this.nonce;
  }

  // The record, or undefined when the lock is gone; any other failure is thrown, not taken
  // for a lost lock.
  private async record(): Promise<string | undefined> {
    try {
      return await readFile(join(this.path, OWNER_FILE), 'utf8');
    } catch (error) {
      if (isErrno(error, 'ENOENT', 'ENOTDIR')) return undefined;
      throw error;
    }
  }

  private async beat(): Promise<void> {
    if (this.released || this.lost) return;
    try {
      const text = await this.record();
      if (!this.ours(text)) {
        this.lost = true;
        return;
      }
      const now = new Date();
      await utimes(join(this.path, OWNER_FILE), now, now);
      // The directory too, which is what an older anwbis (proper-lockfile) watches.
      await utimes(this.path, now, now);
    } catch {
      // A heartbeat that fails now is tried again; if it keeps failing the lock goes stale and
      // the next ownership check reports it.
    }
    if (!this.released && !this.lost) this.schedule();
  }

  private check(text: string | undefined): void {
    if (!this.lost && this.ours(text)) return;
    this.lost = true;
    throw new LockLostError(this.label, this.path);
  }

  async assertHeld(): Promise<void> {
    this.check(await this.record());
  }

  assertHeldSync(): void {
    let text: string | undefined;
    try {
      text = readFileSync(join(this.path, OWNER_FILE), 'utf8');
    } catch (error) {
      if (!isErrno(error, 'ENOENT', 'ENOTDIR')) throw error;
    }
    this.check(text);
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    clearTimeout(this.timer);
    if (this.lost) return;
    // A lock taken over is someone else's now: leave it alone.
    if (this.ours(await this.record())) await removeLockDir(this.path);
  }
}

/**
 * Removes a lock directory its holder is done with: the owner record, then the directory. A
 * recursive rm walks it with a stat and a listing first, about 1.5 ms more of every write; it is
 * left for a directory that holds more (a waiter's break file, another tool's).
 */
async function removeLockDir(lockPath: string): Promise<void> {
  try {
    await unlink(join(lockPath, OWNER_FILE));
    await rmdir(lockPath);
  } catch {
    await rm(lockPath, { recursive: true, force: true });
  }
}

async function create(lockPath: string, owner: LockOwner): Promise<boolean> {
  try {
    // Readable by whoever can reach it (nothing in it is secret), so that a waiter of another
    // user can still see who holds it.
    await mkdir(lockPath, { mode: 0o755 });
  } catch (error) {
    if (isErrno(error, 'EEXIST')) return false;
    throw error;
  }
  try {
    await writeFile(join(lockPath, OWNER_FILE), JSON.stringify(owner), { flag: 'wx', mode: 0o644 });
    await giveToDirectoryOwner(lockPath);
  } catch (error) {
    await rm(lockPath, { recursive: true, force: true });
    throw error;
  }
  return true;
}

/**
 * Run as root (`sudo` keeping the user's HOME), a lock made in the user's directory becomes the
 * user's: root's lock directory, left by a root run killed with -9, could not be emptied by the
 * user's next run, which would then wait for it to the end of its wait.
 */
async function giveToDirectoryOwner(lockPath: string): Promise<void> {
  const owner = await inheritedOwner(dirname(lockPath));
  if (!owner) return;
  await chown(join(lockPath, OWNER_FILE), owner.uid, owner.gid);
  await chown(lockPath, owner.uid, owner.gid);
}

/**
 * Takes the lock at `lockPath` (a directory; its parent must exist), waiting up to
 * `options.waitMs` for a live holder and taking over from a dead or stalled one as described
 * in this module's header.
 *
 * @throws {@link LockTimeoutError} when a live holder keeps it past the wait.
 * @throws the system error when the lock cannot be created at all (read-only directory, …),
 *   at once rather than after the wait.
 */
export async function acquireLock(lockPath: string, options: LockOptions = {}): Promise<HeldLock> {
  const waitMs = options.waitMs ?? 20_000;
  const staleMs = options.staleMs ?? LOCK_STALE_MS;
  const heartbeatMs = Math.max(20, Math.min(1_000, staleMs / 5));
  const label = options.label ?? lockPath;
  const owner: LockOwner = { ...whoAmI(), nonce: nonce() };
  const started = performance.now();
  let watched: { key: string; mtimeMs: number; since: number } | undefined;
  let lastHolder: LockOwner | undefined;
  let clockOffset = Date.now() - performance.now();

  for (;;) {
    if (await create(lockPath, owner)) return new Lock(lockPath, label, owner.nonce, heartbeatMs);
    const seen = await inspect(lockPath);
    if (seen !== undefined) {
      const mono = performance.now();
      const offset = Date.now() - mono;
      // The wall clock jumped against the monotonic one: this waiter slept too, so the holder
      // has not yet had the chance to beat since waking. Watch it afresh.
      if (Math.abs(offset - clockOffset) > 1_000) watched = undefined;
      clockOffset = offset;
      if (watched?.key !== seen.key || watched.mtimeMs !== seen.mtimeMs) watched = { key: seen.key, mtimeMs: seen.mtimeMs, since: mono };
      const holder = seen.owner;
      const sameHost = holder !== undefined && holder.host === owner.host && holder.boot === owner.boot;
      const reason = takeOverReason({
        sameHost,
        alive: sameHost && isAlive(holder.pid),
        heartbeatAgeMs: Date.now() - seen.mtimeMs,
        unchangedForMs: mono - watched.since,
        staleMs,
        settleMs: heartbeatMs,
      });
      // Try again at once after removing it; otherwise another waiter is removing it, and we poll.
      if (reason !== undefined && (await breakLock(lockPath, seen, staleMs))) continue;
      lastHolder = holder;
    }
    if (performance.now() - started >= waitMs) throw new LockTimeoutError(label, lockPath, waitMs, lastHolder);
    await sleep(20 + Math.random() * 40);
  }
}

/**
 * Runs `fn` holding the lock at `lockPath`, released afterwards whatever happens.
 *
 * @throws {@link LockLostError} when the lock was taken over while `fn` ran, even if `fn`
 *   succeeded: the exclusion the caller asked for did not hold.
 */
export async function withLock<T>(lockPath: string, fn: (lock: HeldLock) => Promise<T>, options: LockOptions = {}): Promise<T> {
  return runHolding(await acquireLock(lockPath, options), fn);
}

async function runHolding<T>(lock: HeldLock, fn: (lock: HeldLock) => Promise<T>): Promise<T> {
  try {
    const result = await fn(lock);
    await lock.assertHeld();
    return result;
  } finally {
    await lock.release();
  }
}

/** The path of the lock named `name` under `<home>/locks`. */
export function namedLockPath(home: string, name: string): string {
  return join(locksDir(home), encodeURIComponent(name));
}

/**
 * How long a caller waits for another process's named lock: long enough for the holder to ask a
 * person for an MFA code. The credential-process fast path waits as long.
 */
export const NAMED_LOCK_WAIT_MS = 120_000;

/** The names of the locks under `<home>/locks`, for every process and bundle that takes them. */
export const LOCK_NAMES = {
  /** Credentials of a delegated profile being made (credential-process, exec): one STS call for all callers. */
  credentials: (profile: string) => `credentials-${profile}`,
  /** The corp key store. */
  keys: 'keys',
  /** The daemon's socket and token, while a daemon binds them. */
  daemonSocket: 'daemon-socket',
} as const;

/**
 * Runs `fn` holding a cross-process lock named `name` under `<home>/locks`. Waiters wait up
 * to `waitMs` (default {@link NAMED_LOCK_WAIT_MS}). `held`: this lock, already taken for the
 * caller (see handover.ts): run under and released instead of waited for behind itself.
 *
 * @throws {@link LockTimeoutError} or {@link LockLostError} as {@link withLock};
 *   an {@link AnwbisError} of kind `file` when the lock directory cannot be written.
 */
export async function withNamedLock<T>(
  home: string,
  name: string,
  fn: (lock: HeldLock) => Promise<T>,
  options: { waitMs?: number; staleMs?: number; held?: HeldLock | undefined } = {},
): Promise<T> {
  const dir = locksDir(home);
  const lockPath = namedLockPath(home, name);
  const held = options.held;
  if (held?.path === lockPath) {
    if (!held.lost) return runHolding(held, fn);
    // Taken over by another process since: only its heartbeat is left to stop.
    await held.release().catch(() => undefined);
  }
  const lockOptions: LockOptions = { waitMs: options.waitMs ?? NAMED_LOCK_WAIT_MS, ...(options.staleMs === undefined ? {} : { staleMs: options.staleMs }), label: name };
  let lock: HeldLock;
  try {
    await ensurePrivateDir(dir);
    lock = await acquireLock(lockPath, lockOptions);
  } catch (error) {
    const code = errnoCode(error);
    if (code === undefined) throw error;
    const shown = displayPath(lockPath);
    const { problem, next } = explainFsError(code, { file: shown, dir: displayPath(dir), elsewhere: 'set ANWBIS_HOME to a writable directory' });
    throw new AnwbisError('file', `cannot take the lock on ${name}: ${problem}`, { next, cause: error });
  }
  return runHolding(lock, fn);
}
