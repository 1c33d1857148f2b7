import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { ensurePrivateDir } from '../fs/atomic-write.js';
import { AnwbisError } from '../errors/errors.js';

/**
 * Runs `fn` holding a cross-process lock named `name` under `<home>/locks`. Waiters poll for up
 * to `waitMs` (long enough for the holder to ask a person for an MFA code); a lock whose holder
 * died is taken over after `staleMs`.
 */
export async function withNamedLock<T>(home: string, name: string, fn: () => Promise<T>, options: { waitMs?: number; staleMs?: number } = {}): Promise<T> {
  const dir = join(home, 'locks');
  await ensurePrivateDir(dir);
  const target = join(dir, encodeURIComponent(name));
  const waitMs = options.waitMs ?? 120_000;
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(target, {
      realpath: false,
      stale: options.staleMs ?? 20_000,
      retries: { retries: Math.ceil(waitMs / 50), minTimeout: 20, maxTimeout: 50, factor: 1.2, randomize: true },
    });
  } catch (cause) {
    throw new AnwbisError('file', `another anwbis process has held the lock for ${name} for more than ${Math.round(waitMs / 1000)} s`, {
      next: `try again; if no anwbis is running, remove ${target}.lock`,
      cause,
    });
  }
  try {
    return await fn();
  } finally {
    await release().catch(() => undefined);
  }
}
