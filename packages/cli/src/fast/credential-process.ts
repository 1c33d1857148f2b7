import { watch, type FSWatcher } from 'node:fs';
import {
  acquireLock,
  credentialProcessJson,
  ensurePrivateDir,
  errorLines,
  EXIT_CODES,
  handOverLock,
  holderFailureSince,
  freshCachedCredentials,
  LOCK_NAMES,
  LockTimeoutError,
  locksDir,
  NAMED_LOCK_WAIT_MS,
  namedLockPath,
  readCachedCredentialsSync,
  releaseHandedOverLocks,
  type HeldLock,
  type HolderFailure,
} from '@anwbis/core/fast';
import { cacheThroughDaemon } from './daemon-cache.js';
import { writeErr, writeOut } from './out.js';
import { fastRequest } from './request.js';

/**
 * `anwbis credential-process` when the cached credentials are still valid and were made for
 * this same request (role names, source, region, external id, account: the full command's
 * request key): answers from the cache file without loading oclif or the AWS SDK, since every
 * AWS client start pays for it. Returns false (nothing printed) whenever the full command must
 * decide: a miss, an expired or foreign entry, or any argument this parser does not know. True
 * once answered, or once it reported the error of a holder it waited for that found AWS
 * unreachable (the exit status set), rather than try as long again itself.
 */
export async function fastCredentialProcess(args: readonly string[]): Promise<boolean> {
  const waitingSince = Date.now();
  const request = await fastRequest('credential-process', args);
  if (!request) return false;
  const { home, profile, key, settings } = request;
  const hit = (): string | undefined => cachedAnswer(home, profile, key, settings.refreshMarginSeconds);
  const first = hit();
  if (first !== undefined) return answer(first);
  // A miss: a running daemon makes and caches them from its corp session (see daemon-cache.ts);
  // with none, the callers line up behind one full command.
  if (await cacheThroughDaemon(process.env, request.asked)) {
    const made = hit();
    if (made !== undefined) return answer(made);
  }
  // A holder (the daemon too) that found AWS unreachable after this caller came: its error.
  const failed = () => holderFailureSince(home, LOCK_NAMES.credentials(profile), key, waitingSince);
  return waitForTheHolder(home, profile, hit, failed);
}

/**
 * A miss: the credentials must be fetched, once for however many callers. Takes the target's
 * lock here, before the full command loads oclif and the AWS SDK, and hands it to that command
 * (true of the first caller only); every other caller waits for the lock without loading
 * anything and answers from the cache the holder wrote, as a cache hit costs.
 */
async function waitForTheHolder(home: string, profile: string, hit: () => string | undefined, failed: () => HolderFailure | undefined): Promise<boolean> {
  const name = LOCK_NAMES.credentials(profile);
  const lockPath = namedLockPath(home, name);
  try {
    await ensurePrivateDir(locksDir(home));
  } catch {
    // The full command explains what is wrong with the directory.
    return false;
  }
  // Woken when the holder removes its lock rather than polling: 31 callers polling every few
  // ms cost more CPU than the holder's whole run, and on 2 cores that slows the holder. The
  // timeout still looks now and then, for a holder that died or a file system without events.
  const wakeUp = lockDirWatcher(locksDir(home));
  try {
    return await waitLoop(lockPath, name, hit, failed, wakeUp);
  } finally {
    wakeUp.close();
  }
}

async function waitLoop(lockPath: string, name: string, hit: () => string | undefined, failed: () => HolderFailure | undefined, wakeUp: LockDirWatcher): Promise<boolean> {
  // As long as the full command would wait for a holder.
  const deadline = Date.now() + NAMED_LOCK_WAIT_MS;
  for (;;) {
    // The cache first: when the holder is done, each of the other callers answers from what it
    // wrote without taking the lock in turn (each take and release woke all the others).
    const written = hit();
    if (written !== undefined) return answer(written);
    let lock: HeldLock | undefined;
    try {
      // No waiting inside: between tries this caller looks at the cache, which is the point.
      lock = await acquireLock(lockPath, { waitMs: 0, label: name });
    } catch (err) {
      if (!(err instanceof LockTimeoutError)) return false;
    }
    const line = hit();
    if (lock !== undefined) {
      if (line !== undefined) {
        await lock.release();
        return answer(line);
      }
      const failure = failed();
      if (failure !== undefined) {
        await lock.release();
        return fail(failure);
      }
      handOverLock(lock);
      return false;
    }
    if (line !== undefined) return answer(line);
    if (Date.now() > deadline) return false;
    await wakeUp.next();
  }
}

interface LockDirWatcher {
  /** Resolves at the next change in the directory, or after a while without one. */
  next(): Promise<void>;
  close(): void;
}

function lockDirWatcher(dir: string): LockDirWatcher {
  let wake: (() => void) | undefined;
  let changed = false;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dir, { persistent: false }, () => {
      changed = true;
      wake?.();
    });
    watcher.on('error', () => undefined);
  } catch {
    // No change events here: polling alone.
  }
  const idleMs = watcher ? 250 : 30;
  return {
    next: () =>
      new Promise<void>((resolve) => {
        if (changed) {
          changed = false;
          return resolve();
        }
        const timer = setTimeout(done, idleMs + Math.random() * idleMs);
        function done(): void {
          clearTimeout(timer);
          wake = undefined;
          changed = false;
          resolve();
        }
        wake = done;
      }),
    close: () => watcher?.close(),
  };
}

/** The credential_process JSON of the cached entry made for this request, while it is fresh. */
function cachedAnswer(home: string, profile: string, key: string, marginSeconds: number): string | undefined {
  const record = freshCachedCredentials(readCachedCredentialsSync(home, profile), key, { now: new Date(), marginSeconds });
  if (!record) return undefined;
  const { accessKeyId, secretAccessKey, sessionToken, expiration } = record;
  return credentialProcessJson({ accessKeyId, secretAccessKey, sessionToken, expiration: new Date(expiration) });
}

function answer(line: string): true {
  writeOut(`${line}\n`);
  return true;
}

/** Reports the holder's failure as the full command would have reported its own. */
function fail(failure: HolderFailure): true {
  writeErr(errorLines(failure.message, failure.next));
  process.exitCode = EXIT_CODES[failure.kind];
  return true;
}

/** Releases a lock taken here that the full command did not take over. */
export const releaseUnusedLocks = releaseHandedOverLocks;
