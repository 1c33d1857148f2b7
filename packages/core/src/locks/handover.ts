/**
 * Held locks handed from the entry that runs first to the command that loads after it, in one
 * process. On a credential-process miss, bin/run.js's small fast bundle takes the target's lock
 * before oclif and the AWS SDK load, so that concurrent callers wait for one STS call from the
 * start; the command that then makes the credentials is another bundle with its own copy of
 * core. The registry therefore lives on globalThis, and only these three functions touch it.
 */
import type { HeldLock } from './lock.js';

const HANDED_OVER = Symbol.for('anwbis.handedOverLocks');

function handedOver(): Map<string, HeldLock> {
  const slot = globalThis as { [HANDED_OVER]?: Map<string, HeldLock> };
  return (slot[HANDED_OVER] ??= new Map());
}

/** Gives a lock this process holds to whoever in this process takes its path next ({@link takeHandedOverLock}). */
export function handOverLock(lock: HeldLock): void {
  handedOver().set(lock.path, lock);
}

/** The lock at `path` handed over in this process, now the caller's to run under and release (`withNamedLock`'s `held`). */
export function takeHandedOverLock(path: string): HeldLock | undefined {
  const lock = handedOver().get(path);
  handedOver().delete(path);
  return lock;
}

/** Releases the locks handed over that nobody took (the command ended before it got there). */
export async function releaseHandedOverLocks(): Promise<void> {
  const locks = handedOver();
  const held = [...locks.values()];
  locks.clear();
  await Promise.all(held.map((lock) => lock.release().catch(() => undefined)));
}
