/**
 * Read-modify-write of an AWS shared file under one cross-process lock, so the CLI, the
 * daemon, the TUI and concurrent CLIs never lose each other's updates.
 */
import { constants, statSync, type BigIntStats } from 'node:fs';
import { access, chmod, open, readFile, stat, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ensurePrivateDir, resolveWriteTarget, writeFileAtomic } from '../fs/atomic-write.js';
import { displayPath } from '../fs/display.js';
import { errnoCode, isErrno } from '../fs/errno.js';
import { explainFsError } from '../fs/explain.js';
import { acquireLock, LockLostError, LockTimeoutError, type HeldLock } from '../locks/lock.js';
import {
  AwsFileAccessError,
  AwsFileChangingError,
  AwsFileEncodingError,
  AwsFileLockedError,
  AwsFileLockLostError,
  AwsFileRefusedError,
  CredentialsFileError,
  IniParseError,
} from './errors.js';
import { iniError } from './ini-edit.js';

export { displayPath } from '../fs/display.js';

/** Lock tuning for {@link updateAwsFile}; the stale time is every anwbis lock's unless a test sets it. */
export interface AwsFileLockOptions {
  /** How long to wait for another writer (ms); default 20 s, for writers hold it only briefly. */
  readonly waitMs?: number;
  /** A lock whose heartbeat stopped for this long (ms) is taken over. */
  readonly staleMs?: number;
}

/** Options for {@link updateAwsFile}. */
export interface UpdateAwsFileOptions {
  readonly lock?: AwsFileLockOptions;
}

/** What {@link updateAwsFile} did. */
export interface UpdateAwsFileResult {
  /** False when `edit` returned the text unchanged and nothing was written. */
  readonly changed: boolean;
}

/** Suffix of the lock directory created beside the (real) AWS file. */
export const AWS_FILE_LOCK_SUFFIX = '.anwbis.lock';

const FILE_MODE = 0o600;
// Room the new file needs beyond the old one's size before anwbis spends an MFA code on it.
const SPACE_MARGIN = 64 * 1024;
// Each attempt follows a lost lock or a file replaced behind our back; more in a row means
// something keeps doing it.
const MAX_ATTEMPTS = 5;
const ELSEWHERE = 'set AWS_SHARED_CREDENTIALS_FILE or AWS_CONFIG_FILE to a file elsewhere';
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function accessError(path: string, action: 'read' | 'write', error: unknown): unknown {
  const code = errnoCode(error);
  if (code === undefined) return error;
  const problem = explainFsError(code, { file: displayPath(path), dir: displayPath(dirname(path)), elsewhere: ELSEWHERE });
  return new AwsFileAccessError(displayPath(path), action, problem);
}

/** What was read, and which version of the file it came from. */
interface Snapshot {
  readonly text: string;
  /** `undefined` for a missing file. */
  readonly stats: BigIntStats | undefined;
  /** The wall clock (ns) before the read; the file's ctime comes from the same clock. */
  readonly readAtNs: bigint;
}

// Nanosecond times and the inode: a writer that renames changes the inode, one that writes in
// place changes the mtime and ctime.
function sameVersion(a: BigIntStats | undefined, b: BigIntStats | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.dev === b.dev && a.ino === b.ino && a.size === b.size && a.mtimeNs === b.mtimeNs && a.ctimeNs === b.ctimeNs;
}

/**
 * The files read last, by device and inode, so that a command reads each file once however many
 * steps consult it (the check before an edit, the corp keys, the region, the SDK's copies, the
 * edit under the lock): each later read only opens and stats the file, and takes the text kept
 * when the file is the version it was read from. A few entries: one command uses two files.
 */
const readLately = new Map<string, Snapshot>();
const READ_LATELY_MAX = 4;
// Kept for one command's steps, not for a process's life: the daemon runs for days, and the
// files hold keys it has no other reason to keep in memory. All are let go this long after the
// first was kept, however many reads follow.
const READ_LATELY_MS = 10_000;
let forgetReads: NodeJS.Timeout | undefined;

/** How many reads are kept now (for tests: the daemon lets them go). */
export function keptReadCount(): number {
  return readLately.size;
}

/** Lets every kept read go now (for tests: a timer of an earlier test's reads must not decide). */
export function forgetKeptReads(): void {
  clearTimeout(forgetReads);
  forgetReads = undefined;
  readLately.clear();
}

// A file system stamps changes with a coarse clock (a few ms per tick): a file changed again
// in place, to the same size, within the tick of its last change keeps its ctime. A version
// whose ctime was already this far behind the read can only have changed since with a later
// ctime; one changed more recently is read again rather than taken from readLately.
const SETTLED_NS = 2_000_000_000n;

function fileKey(stats: BigIntStats): string {
  return `${stats.dev}:${stats.ino}`;
}

function keptVersion(stats: BigIntStats): Snapshot | undefined {
  const kept = readLately.get(fileKey(stats));
  return kept !== undefined && sameVersion(kept.stats, stats) && kept.readAtNs - stats.ctimeNs > SETTLED_NS ? kept : undefined;
}

function keep(snapshot: Snapshot & { stats: BigIntStats }): void {
  const key = fileKey(snapshot.stats);
  readLately.delete(key);
  readLately.set(key, snapshot);
  for (const oldest of readLately.keys()) {
    if (readLately.size <= READ_LATELY_MAX) break;
    readLately.delete(oldest);
  }
  forgetReads ??= setTimeout(forgetKeptReads, READ_LATELY_MS).unref();
}

async function readSnapshot(path: string): Promise<Snapshot> {
  for (;;) {
    const readAtNs = BigInt(Date.now()) * 1_000_000n;
    let handle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      if (isErrno(error, 'ENOENT')) return { text: '', stats: undefined, readAtNs };
      throw error;
    }
    try {
      const before = await handle.stat({ bigint: true });
      if (before.isDirectory()) throw Object.assign(new Error(`${path} is a directory`), { code: 'EISDIR' });
      const kept = keptVersion(before);
      if (kept !== undefined) return kept;
      const bytes = await handle.readFile();
      // Changed in place while we read: what we have may be half of each version.
      if (!sameVersion(before, await handle.stat({ bigint: true }))) continue;
      let text: string;
      try {
        text = decoder.decode(bytes);
      } catch {
        throw new AwsFileEncodingError(displayPath(path));
      }
      const snapshot = { text, stats: before, readAtNs };
      keep(snapshot);
      return snapshot;
    } finally {
      await handle.close();
    }
  }
}

/**
 * Reads an AWS shared file as text, byte order mark included.
 *
 * @returns `''` when the file does not exist.
 * @throws {@link AwsFileEncodingError} when the bytes are not UTF-8, since editing text
 *   decoded with replacement characters would corrupt them.
 * @throws {@link AwsFileAccessError} when the file cannot be read (a directory, no permission, …).
 */
export async function readAwsFile(path: string): Promise<string> {
  try {
    return (await readSnapshot(path)).text;
  } catch (error) {
    throw accessError(path, 'read', error);
  }
}

/**
 * The text of an AWS shared file, as {@link readAwsFile}, for a step that edits it later or
 * removes what it finds: a file botocore cannot read is refused now, naming the file and the
 * line, before anything is done, as the edit would refuse it after.
 */
export async function readParsedAwsFile(path: string): Promise<string> {
  const text = await readAwsFile(path);
  const error = iniError(text);
  if (error) throw error.inFile(displayPath(path));
  return text;
}

/**
 * The text of an AWS shared file for a step that only looks (the corp keys, the region, the
 * SDK's copies of the files), from the same read as {@link readAwsFile}: undefined when the file
 * is missing or cannot be read, and bytes that are not UTF-8 read as U+FFFD, as Node's own
 * reader gives them (the writers refuse such a file).
 */
export async function readAwsFileToLook(path: string): Promise<string | undefined> {
  try {
    const { text, stats } = await readSnapshot(path);
    return stats === undefined ? undefined : text;
  } catch (error) {
    if (error instanceof AwsFileEncodingError) return readFile(path, 'utf8').catch(() => undefined);
    return undefined;
  }
}

/**
 * The mode to give the new file: the old one's owner bits (0600, or a stricter 0200), never
 * group or other bits since it holds secrets.
 *
 * @throws {@link AwsFileRefusedError} for a file anwbis must not replace.
 */
function replacementMode(shown: string, stats: { mode: number | bigint; nlink: number | bigint } | undefined): number {
  if (stats === undefined) return FILE_MODE;
  // A device, pipe or socket (AWS_SHARED_CREDENTIALS_FILE=/dev/null in a served shell): writing
  // means renaming a new file over it, which would replace /dev/null itself when run as root.
  if ((Number(stats.mode) & 0o170000) !== 0o100000) {
    throw new AwsFileRefusedError(shown, 'it is not a regular file (a device, pipe or socket)', `point the variable that names it (AWS_SHARED_CREDENTIALS_FILE or AWS_CONFIG_FILE) at a file; ${shown} was left as it was`);
  }
  const mode = Number(stats.mode) & 0o777;
  if ((mode & 0o200) === 0) {
    throw new AwsFileRefusedError(
      shown,
      `it is read-only (mode ${mode.toString(8).padStart(4, '0')})`,
      `make it writable (chmod 600 ${shown}) if anwbis should update it; it was left unchanged`,
    );
  }
  // Writing in place would keep the links but lose atomicity: a crash or a full disk halfway
  // would leave every linked name with a truncated file of secrets, and a concurrent AWS CLI
  // could read half of one. Replacing by rename would silently split the links. Refusing,
  // with the way out, is the only choice that never loses data.
  if (Number(stats.nlink) > 1) {
    throw new AwsFileRefusedError(
      shown,
      `it has ${stats.nlink} hard links, which replacing it would split and writing it in place could leave half written`,
      `replace the extra hard links with symbolic links (anwbis keeps those); ${shown} was left unchanged`,
    );
  }
  return mode & FILE_MODE;
}

/** Whether a file of `mode` grants more than {@link FILE_MODE}: group or other bits, or execute. */
function looserThanFileMode(mode: number): boolean {
  return (mode & 0o777 & ~FILE_MODE) !== 0;
}

// An unchanged file may still have been created 0644 by another tool; it holds secrets.
async function tightenMode(path: string): Promise<void> {
  try {
    const mode = (await stat(path)).mode & 0o777;
    if (looserThanFileMode(mode)) await chmod(path, mode & FILE_MODE);
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) throw error;
  }
}

/** The nearest existing directory at or above `dir`, which is where a new file's parents will go. */
async function existingAncestor(dir: string): Promise<string> {
  for (let current = dir; ; current = dirname(current)) {
    try {
      await stat(current);
      return current;
    } catch (error) {
      if (!isErrno(error, 'ENOENT') || dirname(current) === current) throw error;
    }
  }
}

/**
 * Cheap checks that {@link updateAwsFile} could write `path`, made before anything costly
 * (an MFA code, an STS call): the path is not a directory nor a symlink loop, the file is not
 * read-only nor hard-linked, the directory is writable and has room for the new file.
 *
 * @throws {@link AwsFileAccessError} or {@link AwsFileRefusedError} saying what to fix.
 */
export async function assertAwsFileWritable(path: string): Promise<void> {
  const shown = displayPath(path);
  let target = path;
  try {
    target = await resolveWriteTarget(path);
    const stats = await stat(target).catch((error: unknown) => {
      if (isErrno(error, 'ENOENT')) return undefined;
      throw error;
    });
    if (stats?.isDirectory()) throw Object.assign(new Error(`${target} is a directory`), { code: 'EISDIR' });
    replacementMode(shown, stats);
    const dir = await existingAncestor(dirname(target));
    // The rename needs the directory; root passes this test except on a read-only mount.
    await access(dir, constants.W_OK | constants.X_OK);
    const space = await statfs(dir);
    const free = (process.getuid?.() === 0 ? space.bfree : space.bavail) * space.bsize;
    if (free < (stats?.size ?? 0) + SPACE_MARGIN) throw Object.assign(new Error(`no space in ${dir}`), { code: 'ENOSPC' });
  } catch (error) {
    if (error instanceof CredentialsFileError) throw error;
    throw accessError(target, 'write', error);
  }
}

/**
 * Whether `edit` would leave the AWS file at `path` as it stands, judged on one read without the
 * lock: then {@link updateAwsFile} would write nothing, and its lock (a directory made and
 * removed, an owner record written and read back) is a few ms of every assume that sets the
 * region a profile already has. A writer that replaces the file meanwhile is simply ordered after
 * this read. False, so that the caller goes through {@link updateAwsFile} and its checks and
 * messages, when the file is missing, not a regular file, readable by others (that one tightens
 * the mode), or cannot be read or edited.
 */
export async function awsFileHolds(path: string, edit: (currentText: string) => string): Promise<boolean> {
  try {
    const read = await readSnapshot(path);
    if (read.stats === undefined || !read.stats.isFile() || looserThanFileMode(Number(read.stats.mode))) return false;
    return edit(read.text) === read.text;
  } catch {
    return false;
  }
}

/** Thrown inside the commit when the file is no longer the version that was edited. */
class ReplacedMeanwhile extends Error {}

async function lockFile(target: string, shown: string, options: UpdateAwsFileOptions): Promise<HeldLock> {
  const lockPath = target + AWS_FILE_LOCK_SUFFIX;
  try {
    return await acquireLock(lockPath, {
      waitMs: options.lock?.waitMs ?? 20_000,
      ...(options.lock?.staleMs === undefined ? {} : { staleMs: options.lock.staleMs }),
      label: shown,
    });
  } catch (error) {
    if (error instanceof LockTimeoutError) throw new AwsFileLockedError(shown, lockPath, error.holder?.pid);
    throw error;
  }
}

/**
 * Applies `edit` to an AWS shared file under an exclusive lock shared by every anwbis
 * process (`<real path>.anwbis.lock`).
 *
 * The current text (`''` for a missing file) goes through `edit`; if the result differs it
 * is written atomically with the file's owner and mode (at most 0600), else the mode is
 * tightened to at most 0600. If `edit` throws (for example an {@link IniParseError},
 * re-raised naming the file) nothing is written.
 *
 * The rename never replaces a version of the file that `edit` did not see: right before it,
 * the lock's ownership and the file's identity are checked again, and if the lock was taken
 * over or the file replaced meanwhile, `edit` (a pure function of the text) runs again on the
 * new content under the lock.
 *
 * @throws {@link AwsFileLockedError} when another writer keeps the lock past the wait.
 * @throws {@link AwsFileLockLostError} or {@link AwsFileChangingError} when that keeps happening.
 * @throws {@link AwsFileAccessError} or {@link AwsFileRefusedError} when the file cannot be written.
 */
export async function updateAwsFile(
  path: string,
  edit: (currentText: string) => string,
  options: UpdateAwsFileOptions = {},
): Promise<UpdateAwsFileResult> {
  const shown = displayPath(path);
  let target = path;
  try {
    target = await resolveWriteTarget(path);
    await ensurePrivateDir(dirname(target));
    let lock = await lockFile(target, shown, options);
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          return await editOnce(target, shown, edit, lock);
        } catch (error) {
          if (attempt >= MAX_ATTEMPTS) {
            if (error instanceof LockLostError) throw new AwsFileLockLostError(shown);
            if (error instanceof ReplacedMeanwhile) throw new AwsFileChangingError(shown);
          }
          if (error instanceof LockLostError) {
            await lock.release();
            lock = await lockFile(target, shown, options);
          } else if (!(error instanceof ReplacedMeanwhile)) {
            throw error;
          }
        }
      }
    } finally {
      await lock.release();
    }
  } catch (error) {
    if (error instanceof CredentialsFileError) throw error;
    throw accessError(target, 'write', error);
  }
}

async function editOnce(target: string, shown: string, edit: (currentText: string) => string, lock: HeldLock): Promise<UpdateAwsFileResult> {
  const read = await readSnapshot(target);
  let next: string;
  try {
    next = edit(read.text);
  } catch (error) {
    throw error instanceof IniParseError ? error.inFile(shown) : error;
  }
  if (next === read.text) {
    await tightenMode(target);
    return { changed: false };
  }
  const mode = replacementMode(shown, read.stats);
  await lock.assertHeld();
  await writeFileAtomic(target, next, {
    mode,
    beforeRename: () => {
      lock.assertHeldSync();
      if (!sameVersion(read.stats, statSync(target, { bigint: true, throwIfNoEntry: false }))) throw new ReplacedMeanwhile();
    },
  });
  return { changed: true };
}
