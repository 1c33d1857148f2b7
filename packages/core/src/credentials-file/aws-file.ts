/**
 * Read-modify-write of an AWS shared file under one cross-process lock, so the CLI, the
 * daemon, the TUI and concurrent CLIs never lose each other's updates.
 */
import { chmod, readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, sep } from 'node:path';
import lockfile from 'proper-lockfile';
import { ensurePrivateDir, resolveWriteTarget, writeFileAtomic } from '../fs/atomic-write.js';
import { isErrno } from '../fs/errno.js';
import { AwsFileEncodingError, AwsFileLockedError, AwsFileLockLostError, IniParseError } from './errors.js';

/** Lock tuning for {@link updateAwsFile}. */
export interface AwsFileLockOptions {
  /** How often to retry a held lock; the default waits about 20 s in all. */
  readonly retries?: number;
  /** A lock untouched for this long (ms) belongs to a dead process and is taken over. */
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
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** `path` as the user would write it, for messages: the home directory shown as `~`. */
export function displayPath(path: string): string {
  const home = homedir();
  return path === home || path.startsWith(home + sep) ? `~${path.slice(home.length)}` : path;
}

/**
 * Reads an AWS shared file as text, byte order mark included.
 *
 * @returns `''` when the file does not exist.
 * @throws {@link AwsFileEncodingError} when the bytes are not UTF-8, since editing text
 *   decoded with replacement characters would corrupt them.
 */
export async function readAwsFile(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if (isErrno(error, 'ENOENT')) return '';
    throw error;
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new AwsFileEncodingError(displayPath(path));
  }
}

// An unchanged file may still have been created 0644 by another tool; it holds secrets.
async function tightenMode(path: string): Promise<void> {
  try {
    if (((await stat(path)).mode & 0o777) !== FILE_MODE) await chmod(path, FILE_MODE);
  } catch (error) {
    if (!isErrno(error, 'ENOENT')) throw error;
  }
}

/**
 * Applies `edit` to an AWS shared file under an exclusive lock shared by every anwbis
 * process (`<real path>.anwbis.lock`).
 *
 * The current text (`''` for a missing file) goes through `edit`; if the result differs it
 * is written atomically, and the file ends with mode 0600 either way. If `edit` throws (for
 * example an {@link IniParseError}, re-raised naming the file) nothing is written.
 *
 * @throws {@link AwsFileLockedError} when the lock stays held past the retries.
 * @throws {@link AwsFileLockLostError} when the lock was lost before the write.
 */
export async function updateAwsFile(
  path: string,
  edit: (currentText: string) => string,
  options: UpdateAwsFileOptions = {},
): Promise<UpdateAwsFileResult> {
  const shown = displayPath(path);
  const target = await resolveWriteTarget(path);
  const lockPath = target + AWS_FILE_LOCK_SUFFIX;
  await ensurePrivateDir(dirname(target));

  let compromised = false;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(target, {
      realpath: false,
      lockfilePath: lockPath,
      stale: options.lock?.staleMs ?? 10_000,
      retries: { retries: options.lock?.retries ?? 200, minTimeout: 10, maxTimeout: 100, randomize: true },
      // The default throws from a timer, which would crash the process; we check before writing.
      onCompromised: () => {
        compromised = true;
      },
    });
  } catch (error) {
    if (isErrno(error, 'ELOCKED')) throw new AwsFileLockedError(shown, lockPath);
    throw error;
  }

  try {
    const current = await readAwsFile(target);
    let next: string;
    try {
      next = edit(current);
    } catch (error) {
      throw error instanceof IniParseError ? error.inFile(shown) : error;
    }
    if (compromised) throw new AwsFileLockLostError(shown);
    if (next !== current) {
      await writeFileAtomic(target, next, { mode: FILE_MODE });
      return { changed: true };
    }
    await tightenMode(target);
    return { changed: false };
  } finally {
    // A compromised lock is already gone, possibly taken by someone else: leave it alone.
    if (!compromised) await release();
  }
}
