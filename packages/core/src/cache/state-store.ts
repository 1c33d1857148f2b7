import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
// zod's small build: this module is on every path that reads state (a cold assume among them),
// and the full build costs its whole 750 KB of code and locales on each start.
import * as z from 'zod/mini';
import { ensurePrivateDir, writeFileAtomic } from '../fs/atomic-write.js';
import { credentialsCachePath } from '../paths/paths.js';

const isoDate = z.string().check(z.refine((s) => !Number.isNaN(Date.parse(s)), 'not a date'));

/** What kind of profile anwbis wrote: a delegated role, or a corp session. */
export type ProfileKind = 'assume' | 'session';

const profileRecordSchema = z.object({
  version: z.literal(1),
  profile: z.string().check(z.minLength(1)),
  kind: z.enum(['assume', 'session']),
  /** The access key id written, to tell whether the section was replaced since. */
  accessKeyId: z.string().check(z.minLength(1)),
  expiration: isoDate,
  region: z.string(),
  roleArn: z.optional(z.string()),
  account: z.optional(z.string()),
  /** The source profile the credentials were made from (a corp profile or a corp session). */
  sourceProfile: z.string(),
  /** {@link requestKey} of the request that wrote it: another request under the same name is a miss. */
  requestKey: z.optional(z.string()),
  /** What a refresh needs to repeat the AssumeRole without discovery or a prompt. */
  sessionName: z.optional(z.string()),
  externalId: z.optional(z.string()),
  durationSeconds: z.optional(z.number().check(z.int(), z.positive())),
  /** The source identity and session tags sent (`auto` resolved), sent again by a refresh. */
  sourceIdentity: z.optional(z.string()),
  tags: z.optional(z.array(z.object({ key: z.string(), value: z.string() }))),
  transitiveTagKeys: z.optional(z.array(z.string())),
});
import { isErrno } from '../fs/errno.js';

/** What anwbis knows about a profile it wrote; secrets stay in the AWS files only. */
export type ProfileRecord = z.infer<typeof profileRecordSchema>;

const discoveryRecordSchema = z.object({
  version: z.literal(1),
  roleArn: z.string().check(z.minLength(1)),
  userName: z.string(),
  account: z.string(),
  partition: z.string(),
  mfaSerial: z.optional(z.string()),
});

/** A delegated role found by discovery, remembered so the next run skips the lookups. */
export type DiscoveryRecord = z.infer<typeof discoveryRecordSchema>;

const cachedCredentialsSchema = z.object({
  version: z.literal(1),
  profile: z.string().check(z.minLength(1)),
  /** {@link requestKey} of the request the credentials answer; any other request is a miss. */
  requestKey: z.string().check(z.minLength(1)),
  region: z.string(),
  roleArn: z.string(),
  accessKeyId: z.string().check(z.minLength(1)),
  secretAccessKey: z.string().check(z.minLength(1)),
  sessionToken: z.string().check(z.minLength(1)),
  expiration: isoDate,
});

/**
 * Credentials handed out by `credential-process` and `exec`, cached so concurrent and later
 * calls share them. Secrets: the file is 0600 in a 0700 directory, like the AWS CLI's own cache.
 */
export type CachedCredentials = z.infer<typeof cachedCredentialsSchema>;

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

  private profilePath(profile: string): string {
    return join(this.home, 'profiles', `${encodeURIComponent(profile)}.json`);
  }

  private discoveryPath(key: string): string {
    return join(this.home, 'discovery', `${key}.json`);
  }

  readProfile(profile: string): Promise<ProfileRecord | undefined> {
    return readRecord(this.profilePath(profile), profileRecordSchema, (r) => r.profile === profile);
  }

  writeProfile(record: ProfileRecord): Promise<void> {
    return writeJson(this.profilePath(record.profile), record);
  }

  async forgetProfile(profile: string): Promise<void> {
    await rm(this.profilePath(profile), { force: true });
  }

  readDiscovery(key: string): Promise<DiscoveryRecord | undefined> {
    return readRecord(this.discoveryPath(key), discoveryRecordSchema);
  }

  writeDiscovery(key: string, record: DiscoveryRecord): Promise<void> {
    return writeJson(this.discoveryPath(key), record);
  }

  async forgetDiscovery(key: string): Promise<void> {
    await rm(this.discoveryPath(key), { force: true });
  }

  credentialsPath(profile: string): string {
    return credentialsCachePath(this.home, profile);
  }

  readCredentials(profile: string): Promise<CachedCredentials | undefined> {
    return readRecord(this.credentialsPath(profile), cachedCredentialsSchema, (r) => r.profile === profile);
  }

  writeCredentials(record: CachedCredentials): Promise<void> {
    return writeJson(this.credentialsPath(record.profile), record);
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

async function readRecord<T>(path: string, schema: z.ZodMiniType<T>, belongs: (record: T) => boolean = () => true): Promise<T | undefined> {
  let value: unknown;
  try {
    value = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    // A missing or damaged record only costs a lookup: it is rebuilt on the next write.
    return undefined;
  }
  const parsed = schema.safeParse(value);
  return parsed.success && belongs(parsed.data) ? parsed.data : undefined;
}

async function writeJson(path: string, value: unknown): Promise<void> {
  await ensurePrivateDir(join(path, '..'));
  await writeFileAtomic(path, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
}
