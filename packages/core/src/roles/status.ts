import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { StateStore } from '../cache/state-store.js';
import { readAwsFile } from '../credentials-file/aws-file.js';
import { getSection } from '../credentials-file/ini-edit.js';
import { describeRemaining } from '../expiry/expiry.js';
import type { DelegatedRole } from './delegated-role.js';

/** Where a role's written profile stands. */
export interface RoleStatus {
  readonly state: 'valid' | 'expired' | 'not-assumed';
  /** Expiry of the credentials anwbis wrote and that still stand in the credentials file; null when there are none. */
  readonly expiresAt: Date | null;
  /** Whether the daemon keeps the profile fresh; undefined when the daemon was not asked. */
  readonly watched?: boolean;
}

const NOT_ASSUMED: RoleStatus = { state: 'not-assumed', expiresAt: null };

/**
 * The status of each role's profile, keyed by role ARN, from what anwbis wrote: its record under
 * `ANWBIS_HOME` and the key still standing in the credentials file (another tool may have
 * replaced the section since). Only profiles with a record are read, so thousands of roles
 * cost one directory listing.
 */
export async function roleStatuses(roles: readonly DelegatedRole[], home: string, credentialsFile: string, now: Date): Promise<Map<string, RoleStatus>> {
  const statuses = new Map<string, RoleStatus>();
  const recorded = new Set(await readdir(join(home, 'profiles')).catch(() => [] as string[]));
  const store = new StateStore(home);
  let credentialsText: string | undefined;
  for (const role of roles) {
    if (role.profile === null || !recorded.has(`${encodeURIComponent(role.profile)}.json`)) {
      statuses.set(role.roleArn, NOT_ASSUMED);
      continue;
    }
    const record = await store.readProfile(role.profile);
    credentialsText ??= await readAwsFile(credentialsFile).catch(() => '');
    const section = record?.kind === 'assume' ? getSection(credentialsText, role.profile) : undefined;
    if (!record || section?.aws_access_key_id !== record.accessKeyId) {
      statuses.set(role.roleArn, NOT_ASSUMED);
      continue;
    }
    const expiresAt = new Date(record.expiration);
    statuses.set(role.roleArn, { state: expiresAt.getTime() > now.getTime() ? 'valid' : 'expired', expiresAt });
  }
  return statuses;
}

/** `valid for 42m`, `expired`, `not assumed`; `, watched` when the daemon keeps it fresh. */
export function describeStatus(status: RoleStatus, now: Date): string {
  const text = status.state === 'valid' && status.expiresAt ? `valid for ${describeRemaining(status.expiresAt, now)}` : status.state === 'expired' ? 'expired' : 'not assumed';
  return status.watched ? `${text}, watched` : text;
}
