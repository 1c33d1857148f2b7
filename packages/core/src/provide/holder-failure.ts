/**
 * What the holder of a credentials lock failed with, for the callers that waited for it. An
 * endpoint that does not answer costs each attempt its whole deadline (30 s); callers that
 * lined up behind a holder whose attempt timed out would otherwise each try in turn, 30 s
 * apiece, the last of 32 AWS clients after 16 minutes. A caller that was already waiting when
 * the holder failed gets the holder's error instead; one that comes later tries again itself.
 */
import { readFileSync } from 'node:fs';
import { AnwbisError, type ErrorKind } from '../errors/errors.js';
import { awsFailureKind } from '../errors/explain-aws.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { failureNotePath } from '../cache/layout.js';

/** A failure noted by a lock's holder (nothing secret: the message names the endpoint). */
export interface HolderFailure {
  readonly kind: ErrorKind;
  readonly message: string;
  readonly next?: string | undefined;
}

/** Whether `error` says AWS could not be reached: every caller would only wait as long again. */
export function isUnreachable(error: unknown): error is AnwbisError {
  const cause = error instanceof AnwbisError ? error.cause : undefined;
  return awsFailureKind(cause) === 'unreachable';
}

/** Notes, while still holding the lock `name`, that making the credentials for `requestKey` failed with `error`. */
export async function noteHolderFailure(home: string, name: string, requestKey: string, error: AnwbisError): Promise<void> {
  const note = { version: 1, requestKey, at: Date.now(), kind: error.kind, message: error.message, ...(error.next ? { next: error.next } : {}) };
  await writeFileAtomic(failureNotePath(home, name), `${JSON.stringify(note)}\n`);
}

/**
 * The failure the holder of lock `name` noted for `requestKey` at or after `sinceMs` (when the
 * caller began to wait), if any. Synchronous: one small file, read on the credential-process path.
 */
export function holderFailureSince(home: string, name: string, requestKey: string, sinceMs: number): HolderFailure | undefined {
  let note: { version?: unknown; requestKey?: unknown; at?: unknown; kind?: unknown; message?: unknown; next?: unknown };
  try {
    note = JSON.parse(readFileSync(failureNotePath(home, name), 'utf8'));
  } catch {
    return undefined;
  }
  if (note.version !== 1 || note.requestKey !== requestKey || typeof note.at !== 'number' || note.at < sinceMs) return undefined;
  if (typeof note.kind !== 'string' || !KINDS.has(note.kind) || typeof note.message !== 'string') return undefined;
  return { kind: note.kind as ErrorKind, message: note.message, ...(typeof note.next === 'string' ? { next: note.next } : {}) };
}

const KINDS: ReadonlySet<string> = new Set<ErrorKind>(['usage', 'config', 'denied', 'mfa', 'aws', 'file']);
