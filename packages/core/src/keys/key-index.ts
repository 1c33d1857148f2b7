import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AnwbisError } from '../errors/errors.js';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { displayPath } from '../fs/display.js';
import { isErrno } from '../fs/errno.js';

/** Where a profile's long-term keys are kept instead of the credentials file. */
export type KeyBackend = 'keychain' | 'file';

export const KEY_BACKENDS: readonly KeyBackend[] = ['keychain', 'file'];

export interface KeyIndexEntry {
  readonly backend: KeyBackend;
  /** The access key id's last four characters, for `keys list` without opening the backend. */
  readonly keyIdEnd: string;
}

/**
 * The profiles whose keys anwbis keeps, and in which backend: no secrets, so reading it costs
 * a small file read, and only the profiles it names ever load the keychain module or ask for a
 * passphrase.
 */
export type KeyIndex = Readonly<Record<string, KeyIndexEntry>>;

export function keyIndexPath(home: string): string {
  return join(home, 'keys.json');
}

/** The index; empty when there is none. */
export async function readKeyIndex(home: string): Promise<KeyIndex> {
  const path = keyIndexPath(home);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if (isErrno(error, 'ENOENT', 'ENOTDIR')) return {};
    throw new AnwbisError('file', `cannot read ${displayPath(path)}: ${(error as Error).message}`, { cause: error });
  }
  const parsed = parseKeyIndex(text);
  if (parsed === undefined) {
    throw new AnwbisError('file', `${displayPath(path)} is not an index of stored keys anwbis can read`, {
      next: 'remove it and add your keys again with `anwbis keys add` (the keys themselves are still in the keychain or the key file)',
    });
  }
  return parsed;
}

function parseKeyIndex(text: string): KeyIndex | undefined {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  const profiles = (data as { v?: unknown; profiles?: unknown } | null)?.profiles;
  if ((data as { v?: unknown }).v !== 1 || typeof profiles !== 'object' || profiles === null) return undefined;
  const index: Record<string, KeyIndexEntry> = {};
  for (const [profile, entry] of Object.entries(profiles)) {
    const e = entry as { backend?: unknown; keyIdEnd?: unknown } | null;
    if (!KEY_BACKENDS.includes(e?.backend as KeyBackend) || typeof e?.keyIdEnd !== 'string') return undefined;
    index[profile] = { backend: e.backend as KeyBackend, keyIdEnd: e.keyIdEnd };
  }
  return index;
}

/** Replaces the index (0600: it names profiles, though no secret). Callers hold the keys lock. */
export async function writeKeyIndex(home: string, index: KeyIndex): Promise<void> {
  const sorted = Object.fromEntries(Object.entries(index).sort(([a], [b]) => a.localeCompare(b)));
  await writeFileAtomic(keyIndexPath(home), `${JSON.stringify({ v: 1, profiles: sorted }, null, 2)}\n`, { mode: 0o600 });
}
