/**
 * Crash-safe file replacement: readers see either the old file or the new one, never a
 * half-written file, and a failure leaves the old file as it was.
 */
import { randomBytes } from 'node:crypto';
import { lstat, mkdir, open, readlink, realpath, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { isErrno } from './errno.js';

/** Options for {@link writeFileAtomic}. */
export interface AtomicWriteOptions {
  /** Permission bits of the written file, whatever the umask; default `0o600`. */
  readonly mode?: number;
}

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

/** Creates `dir` and any missing parents with mode 0700, as befits a directory of secrets. */
export async function ensurePrivateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
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

/**
 * Replaces the file at `path` with `data` atomically: a temporary file is created beside the
 * real target (exclusive create, random name, the requested mode), written, fsynced, renamed
 * over the target, and the directory fsynced. A symlinked path stays a symlink; a missing
 * parent directory is created with mode 0700. On failure the temporary file is removed and
 * the original is untouched.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array, options: AtomicWriteOptions = {}): Promise<void> {
  const mode = options.mode ?? 0o600;
  const target = await resolveWriteTarget(path);
  const dir = dirname(target);
  await ensurePrivateDir(dir);

  const temp = join(dir, `.${basename(target)}.${randomBytes(8).toString('hex')}.tmp`);
  // 'wx' is O_CREAT|O_EXCL: never follow or reuse something planted at the temporary name.
  const handle = await open(temp, 'wx', mode);
  let renamed = false;
  try {
    try {
      // The umask may have narrowed the mode at creation; the caller asked for exactly this.
      await handle.chmod(mode);
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, target);
    renamed = true;
    await fsyncDir(dir);
  } finally {
    if (!renamed) await rm(temp, { force: true });
  }
}
