import { readdir } from 'node:fs/promises';
import { credentialsCacheDir, profileRecordsDir } from '../cache/layout.js';
import { StateStore } from '../cache/state-store.js';
import { readAwsFile } from '../credentials-file/aws-file.js';
import { getSection } from '../credentials-file/ini-edit.js';
import { describeRemaining } from '../expiry/expiry.js';
import type { DelegatedRole } from './delegated-role.js';

/** Where a role's written profile stands. */
export interface RoleStatus {
  readonly state: 'valid' | 'expired' | 'not-assumed';
  /** Expiry of the credentials anwbis wrote that still stand in the credentials file, else of those it cached; null when there are none. */
  readonly expiresAt: Date | null;
  /** Whether the daemon keeps the profile fresh; undefined when the daemon was not asked. */
  readonly watched?: boolean;
}

const NOT_ASSUMED: RoleStatus = { state: 'not-assumed', expiresAt: null };

/**
 * The status of each role's profile, keyed by role ARN, from what anwbis wrote: its record under
 * `ANWBIS_HOME` and the key still standing in the credentials file (another tool may have
 * replaced the section since), else the credentials `credential-process` and `exec` cached for
 * it. Only profiles with a record or a cache entry are read, so thousands of roles cost two
 * directory listings.
 */
export async function roleStatuses(roles: readonly DelegatedRole[], home: string, credentialsFile: string, now: Date): Promise<Map<string, RoleStatus>> {
  const listing = async (dir: string) => new Set(await readdir(dir).catch(() => [] as string[]));
  const [recorded, cached] = await Promise.all([listing(profileRecordsDir(home)), listing(credentialsCacheDir(home))]);
  const store = new StateStore(home);
  let credentialsText: string | undefined;
  const standing = async (profile: string): Promise<Date | undefined> => {
    const record = await store.readProfile(profile);
    if (record?.kind !== 'assume') return undefined;
    credentialsText ??= await readAwsFile(credentialsFile).catch(() => '');
    return getSection(credentialsText, profile)?.aws_access_key_id === record.accessKeyId ? new Date(record.expiration) : undefined;
  };
  const inCache = async (profile: string, roleArn: string): Promise<Date | undefined> => {
    const record = await store.readCredentials(profile);
    return record?.roleArn === roleArn ? new Date(record.expiration) : undefined;
  };
  const statuses = new Map<string, RoleStatus>();
  for (const role of roles) {
    const file = role.profile === null ? '' : `${encodeURIComponent(role.profile)}.json`;
    const expiresAt =
      role.profile === null
        ? undefined
        : ((recorded.has(file) ? await standing(role.profile) : undefined) ?? (cached.has(file) ? await inCache(role.profile, role.roleArn) : undefined));
    statuses.set(role.roleArn, expiresAt ? { state: expiresAt.getTime() > now.getTime() ? 'valid' : 'expired', expiresAt } : NOT_ASSUMED);
  }
  return statuses;
}

/** `valid for 42m`, `expired`, `not assumed`; `, watched` when the daemon keeps it fresh. */
export function describeStatus(status: RoleStatus, now: Date): string {
  const text = status.state === 'valid' && status.expiresAt ? `valid for ${describeRemaining(status.expiresAt, now)}` : status.state === 'expired' ? 'expired' : 'not assumed';
  return status.watched ? `${text}, watched` : text;
}
