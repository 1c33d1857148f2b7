/**
 * Crash-safe file replacement: readers see either the old file or the new one, never a
 * half-written file, and a failure leaves the old file as it was.
 */
import { randomBytes } from 'node:crypto';
import { renameSync, type Stats } from 'node:fs';
import { chown, lstat, mkdir, open, readdir, readlink, realpath, rm, stat, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { isErrno } from './errno.js';

/** Options for {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** Permission bits of the written file, whatever the umask; default `0o600`. */
  readonly mode?: number;
  /**
   * Called synchronously right before the rename, with nothing else able to run in between;
   * throwing aborts the write (the temporary file is removed, the target left as it was).
   * This is where a caller re-checks that it still owns its lock and that the target is
   * still the file it read.
   */
  readonly beforeRename?: () => void;
}

/** Temporary files older than this are left by a killed writer: no write takes so long. */
const STALE_TEMP_MS = 60_000;

// Linux's limit (MAXSYMLINKS); a longer chain is almost certainly a loop.
const MAX_SYMLINK_HOPS = 40;

/**
 * The file a write to `path` should really replace: symlinks are followed (even a dangling
 * one, whose target is about to be created) so that renaming over the result keeps the link.
 * A path that does not exist yet resolves to itself, made absolute.
 */
export async function resolveWriteTarget(path: string): Promise<string> {
  let current = resolve(path);
  for (let hop = 0; hop < MAX_SYMLINK_HOPS; hop++) {
    try {
      return await realpath(current);
    } catch (error) {
      if (!isErrno(error, 'ENOENT')) throw error;
    }
    let isLink: boolean;
    try {
      isLink = (await lstat(current)).isSymbolicLink();
    } catch (error) {
      if (isErrno(error, 'ENOENT', 'ENOTDIR')) return current;
      throw error;
    }
    if (!isLink) return current;
    current = resolve(dirname(current), await readlink(current));
  }
  throw Object.assign(new Error(`too many symbolic links resolving ${path}`), { code: 'ELOOP' });
}

/**
 * Creates `dir` and any missing parents with mode 0700, as befits a directory of secrets. Run
 * as root (`sudo` keeping the user's HOME), the directories it creates get the owner and group
 * of the directory they are made in: root's `~/.local` (0700) would lock the user out of it.
 */
export async function ensurePrivateDir(dir: string): Promise<void> {
  const first = await mkdir(dir, { recursive: true, mode: 0o700 });
  if (first === undefined) return;
  const top = resolve(first);
  const owner = await inheritedOwner(dirname(top));
  if (!owner) return;
  for (let made = resolve(dir); ; made = dirname(made)) {
    await chown(made, owner.uid, owner.gid);
    if (made === top || made === dirname(made)) break;
  }
}

/**
 * Run as root, the owner and group what is made in `dir` should be given: those of `dir`, unless
 * they are root's too. Undefined when not root or nothing is to change.
 */
export async function inheritedOwner(dir: string): Promise<{ uid: number; gid: number } | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const { uid, gid } = await stat(dir);
  return uid === 0 && gid === 0 ? undefined : { uid, gid };
}

async function fsyncDir(dir: string): Promise<void> {
  // Windows cannot open a directory for fsync; there the rename is as durable as it gets.
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function tempName(target: string): string {
  return `.${basename(target)}.${randomBytes(8).toString('hex')}.tmp`;
}

async function statOrUndefined(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return undefined;
    throw error;
  }
}

/**
 * A rename gives the file the owner of the process that wrote it. Run as root (`sudo` keeping
 * the user's HOME) that would hand the user's credentials file to root and lock the user out,
 * so root gives the new file the old one's owner and group (or, for a new file, the
 * directory's). Anyone else can only keep the group, when they belong to it.
 */
async function keepOwner(handle: FileHandle, target: Stats | undefined, dir: string): Promise<void> {
  const want = target ?? (await stat(dir));
  const mine = await handle.stat();
  if (want.uid === mine.uid && want.gid === mine.gid) return;
  if (process.getuid?.() === 0) {
    await handle.chown(want.uid, want.gid);
  } else if (want.uid === mine.uid && target !== undefined) {
    await handle.chown(mine.uid, want.gid).catch((error: unknown) => {
      if (!isErrno(error, 'EPERM')) throw error;
    });
  }
}

/**
 * Removes temporary files that killed writers left beside `target` (ours by name, and older
 * than any write takes). Best effort: a file that cannot be removed now is tried next time.
 */
export async function removeStaleTempFiles(target: string, now: number = Date.now()): Promise<void> {
  const dir = dirname(target);
  const prefix = `.${basename(target)}.`;
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !/^[0-9a-f]{16}\.tmp$/.test(name.slice(prefix.length))) continue;
    const path = join(dir, name);
    try {
      const info = await lstat(path);
      if (info.isFile() && now - info.mtimeMs > STALE_TEMP_MS) await unlink(path);
    } catch {
      // Gone already, or not ours to remove: either way nothing to do.
    }
  }
}

/** A replacement written and fsynced beside its target ({@link prepareFileAtomic}), not yet in its place. */
export interface PreparedWrite {
  /** Renames it over the target (after `beforeRename`) and fsyncs the directory; on failure it is removed. */
  commit(): Promise<void>;
  /** Removes it, leaving the target as it was. */
  abort(): Promise<void>;
}

/**
 * The first half of {@link writeFileAtomic}: the temporary file beside the real target
 * (exclusive create, random name, the requested mode, the target's owner), written and fsynced.
 * A caller that must replace the file only after another write makes it while that one runs,
 * so that the two fsyncs overlap, and commits or aborts it afterwards.
 */
export async function prepareFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<PreparedWrite> {
  const mode = options.mode ?? 0o600;
  const target = await resolveWriteTarget(path);
  const dir = dirname(target);
  await ensurePrivateDir(dir);
  const existing = await statOrUndefined(target);

  const temp = join(dir, tempName(target));
  // 'wx' is O_CREAT|O_EXCL: never follow or reuse something planted at the temporary name.
  const handle = await open(temp, 'wx', mode);
  try {
    try {
      await keepOwner(handle, existing, dir);
      // The umask may have narrowed the mode at creation; the caller asked for exactly this.
      await handle.chmod(mode);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
  return {
    async commit() {
      let renamed = false;
      try {
        options.beforeRename?.();
        // Synchronous, right after the check: no other task of this process can run in between.
        renameSync(temp, target);
        renamed = true;
        await fsyncDir(dir);
      } finally {
        if (!renamed) await rm(temp, { force: true });
      }
      await removeStaleTempFiles(target);
    },
    abort: () => rm(temp, { force: true }),
  };
}

/**
 * Replaces the file at `path` with `data` atomically: a temporary file is created beside the
 * real target (exclusive create, random name, the requested mode, the target's owner),
 * written, fsynced, renamed over the target, and the directory fsynced. A symlinked path
 * stays a symlink; a missing parent directory is created with mode 0700. On failure the
 * temporary file is removed and the original is untouched. Temporary files left by killed
 * writers are removed afterwards.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  await (await prepareFileAtomic(path, data, options)).commit();
}
