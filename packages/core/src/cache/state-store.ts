import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ensurePrivateDir, writeFileAtomic } from '../credentials-file/atomic-write.js';
import { isErrno } from '../credentials-file/errno.js';

/** What anwbis knows about a profile it wrote; secrets stay in the AWS files only. */
export interface ProfileRecord {
  readonly version: 1;
  readonly profile: string;
  readonly kind: 'assume' | 'session';
  /** The access key id written, to tell whether the section was replaced since. */
  readonly accessKeyId: string;
  readonly expiration: string;
  readonly region: string;
  readonly roleArn?: string;
  readonly account?: string;
  readonly sourceProfile: string;
}

/** A delegated role found by discovery, remembered so the next run skips the lookups. */
export interface DiscoveryRecord {
  readonly version: 1;
  readonly roleArn: string;
  readonly userName: string;
  readonly account: string;
  readonly partition: string;
  readonly mfaSerial?: string;
}

/**
 * Credentials handed out by `credential-process` and `exec`, cached so concurrent and later
 * calls share them. Secrets: the file is 0600 in a 0700 directory, like the AWS CLI's own cache.
 */
export interface CachedCredentials {
  readonly version: 1;
  readonly profile: string;
  readonly region: string;
  readonly roleArn: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: string;
}

/** Stable file-name key for a discovery: a hash, so nothing about the account leaks into names. */
export function discoveryKey(parts: readonly string[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

/** JSON state under `ANWBIS_HOME`: directories 0700, files 0600, written atomically. */
export class StateStore {
  constructor(readonly home: string) {}

  private profilePath(profile: string): string {
    return join(this.home, 'profiles', `${encodeURIComponent(profile)}.json`);
  }

  private discoveryPath(key: string): string {
    return join(this.home, 'discovery', `${key}.json`);
  }

  readProfile(profile: string): Promise<ProfileRecord | undefined> {
    return readJson<ProfileRecord>(this.profilePath(profile));
  }

  writeProfile(record: ProfileRecord): Promise<void> {
    return writeJson(this.profilePath(record.profile), record);
  }

  readDiscovery(key: string): Promise<DiscoveryRecord | undefined> {
    return readJson<DiscoveryRecord>(this.discoveryPath(key));
  }

  writeDiscovery(key: string, record: DiscoveryRecord): Promise<void> {
    return writeJson(this.discoveryPath(key), record);
  }

  credentialsPath(profile: string): string {
    return join(this.home, 'credentials', `${encodeURIComponent(profile)}.json`);
  }

  readCredentials(profile: string): Promise<CachedCredentials | undefined> {
    return readJson<CachedCredentials>(this.credentialsPath(profile));
  }

  writeCredentials(record: CachedCredentials): Promise<void> {
    return writeJson(this.credentialsPath(record.profile), record);
  }

  async forgetDiscovery(key: string): Promise<void> {
    await rm(this.discoveryPath(key), { force: true });
  }

  async forgetProfile(profile: string): Promise<void> {
    await rm(this.profilePath(profile), { force: true });
  }

  async forgetCredentials(profile: string): Promise<void> {
    await rm(this.credentialsPath(profile), { force: true });
  }

  /** Names of the profiles with a record (`profiles/`) or cached credentials (`credentials/`). */
  async listProfiles(from: 'profiles' | 'credentials'): Promise<string[]> {
    return listNames(join(this.home, from));
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

async function readJson<T extends { version: number }>(path: string): Promise<T | undefined> {
  try {
    const value = JSON.parse(await readFile(path, 'utf8')) as T;
    return value && value.version === 1 ? value : undefined;
  } catch {
    // A missing or damaged record only costs a lookup: it is rebuilt on the next write.
    return undefined;
  }
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await ensurePrivateDir(join(path, '..'));
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
}
