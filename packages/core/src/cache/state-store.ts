import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { prepareFileAtomic, writeFileAtomic, type PreparedWrite } from '../fs/atomic-write.js';
import { isErrno } from '../fs/errno.js';
import { credentialsCacheDir, credentialsCachePath, discoveryPath, profileRecordPath, profileRecordsDir } from './layout.js';
import { cachedCredentialsOf, discoveryRecordOf, profileRecordOf, type CachedCredentials, type DiscoveryRecord, type ProfileRecord } from './records.js';

export type { CachedCredentials, DiscoveryRecord, ProfileKind, ProfileRecord } from './records.js';

/** Stable file-name key for a discovery: a hash, so nothing about the account leaks into names. */
export function discoveryKey(parts: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

/**
 * JSON state under `ANWBIS_HOME`: directories 0700, files 0600, written atomically. Every record
 * read is validated; a missing, damaged or foreign one is a miss, never a crash.
 */
export class StateStore {
  constructor(readonly home: string) {}

  readProfile(profile: string): Promise<ProfileRecord | undefined> {
    return readRecord(profileRecordPath(this.home, profile), (value) => profileRecordOf(value, profile));
  }

  /** The record in place at once (the profile writer prepares it beside the keys instead). */
  async writeProfile(record: ProfileRecord): Promise<void> {
    await (await this.prepareProfile(record)).commit();
  }

  /** The record written and fsynced beside the old one, which it replaces on commit. */
  prepareProfile(record: ProfileRecord): Promise<PreparedWrite> {
    return prepareFileAtomic(profileRecordPath(this.home, record.profile), jsonText(record), { mode: 0o600 });
  }

  async forgetProfile(profile: string): Promise<void> {
    await rm(profileRecordPath(this.home, profile), { force: true });
  }

  readDiscovery(key: string): Promise<DiscoveryRecord | undefined> {
    return readRecord(discoveryPath(this.home, key), discoveryRecordOf);
  }

  writeDiscovery(key: string, record: DiscoveryRecord): Promise<void> {
    return writeJson(discoveryPath(this.home, key), record);
  }

  async forgetDiscovery(key: string): Promise<void> {
    await rm(discoveryPath(this.home, key), { force: true });
  }

  credentialsPath(profile: string): string {
    return credentialsCachePath(this.home, profile);
  }

  readCredentials(profile: string): Promise<CachedCredentials | undefined> {
    return readRecord(this.credentialsPath(profile), (value) => cachedCredentialsOf(value, profile));
  }

  writeCredentials(record: CachedCredentials): Promise<void> {
    return writeJson(this.credentialsPath(record.profile), record);
  }

  async forgetCredentials(profile: string): Promise<void> {
    await rm(this.credentialsPath(profile), { force: true });
  }

  /** Names of the profiles with a record (`profiles/`) or cached credentials (`credentials/`). */
  async listProfiles(from: 'profiles' | 'credentials'): Promise<string[]> {
    return listNames(from === 'profiles' ? profileRecordsDir(this.home) : credentialsCacheDir(this.home));
  }
}

async function listNames(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir))
      .filter((f) => f.endsWith('.json'))
      .map((f) => decodeURIComponent(f.slice(0, -'.json'.length)))
      .sort();
  } catch (error) {
    // No directory yet: nothing was written.
    if (isErrno(error, 'ENOENT')) return [];
    throw error;
  }
}

async function readRecord<T>(path: string, valid: (value: unknown) => T | undefined): Promise<T | undefined> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    // A missing or damaged record only costs a lookup: it is rebuilt on the next write.
    return undefined;
  }
  return valid(value);
}

const jsonText = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

// writeFileAtomic makes the directory (0700) when it is missing.
async function writeJson(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, jsonText(value), { mode: 0o600 });
}
