/*
 * The records anwbis keeps under ANWBIS_HOME, and what makes one valid. Checked by hand rather
 * than with a schema library: the fast paths read them on every AWS client start, and their
 * bundle must not carry one. Every reader (the state store, the fast paths) checks with these,
 * so a record is valid or not the same way everywhere.
 */

/** What kind of profile anwbis wrote: a delegated role, or a corp session. */
export type ProfileKind = 'assume' | 'session';

/** What anwbis knows about a profile it wrote; secrets stay in the AWS files only. */
export interface ProfileRecord {
  version: 1;
  profile: string;
  kind: ProfileKind;
  /** The access key id written, to tell whether the section was replaced since. */
  accessKeyId: string;
  expiration: string;
  region: string;
  roleArn?: string | undefined;
  account?: string | undefined;
  /** The source profile the credentials were made from (a corp profile or a corp session). */
  sourceProfile: string;
  /** {@link requestKey} of the request that wrote it: another request under the same name is a miss. */
  requestKey?: string | undefined;
  /** What a refresh needs to repeat the AssumeRole without discovery or a prompt. */
  sessionName?: string | undefined;
  externalId?: string | undefined;
  durationSeconds?: number | undefined;
  /** The source identity and session tags sent (`auto` resolved), sent again by a refresh. */
  sourceIdentity?: string | undefined;
  tags?: Array<{ key: string; value: string }> | undefined;
  transitiveTagKeys?: string[] | undefined;
}

/** A delegated role found by discovery, remembered so the next run skips the lookups. */
export interface DiscoveryRecord {
  version: 1;
  roleArn: string;
  userName: string;
  account: string;
  partition: string;
  mfaSerial?: string | undefined;
}

/**
 * Credentials handed out by `credential-process` and `exec`, cached so concurrent and later
 * calls share them. Secrets: the file is 0600 in a 0700 directory, like the AWS CLI's own cache.
 */
export interface CachedCredentials {
  version: 1;
  profile: string;
  /** {@link requestKey} of the request the credentials answer; any other request is a miss. */
  requestKey: string;
  region: string;
  roleArn: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiration: string;
}

type Check = (value: unknown) => boolean;
type Shape = Readonly<Record<string, { readonly check: Check; readonly optional?: boolean }>>;

const isString: Check = (v) => typeof v === 'string';
const isText: Check = (v) => typeof v === 'string' && v.length > 0;
const isDate: Check = (v) => typeof v === 'string' && !Number.isNaN(Date.parse(v));
const isVersion1: Check = (v) => v === 1;
const isStrings: Check = (v) => Array.isArray(v) && v.every(isString);
const isTags: Check = (v) => Array.isArray(v) && v.every((t) => typeof t === 'object' && t !== null && isString((t as { key?: unknown }).key) && isString((t as { value?: unknown }).value));
const required = (check: Check) => ({ check });
const optional = (check: Check) => ({ check, optional: true });

const PROFILE_RECORD: Shape = {
  version: required(isVersion1),
  profile: required(isText),
  kind: required((v) => v === 'assume' || v === 'session'),
  accessKeyId: required(isText),
  expiration: required(isDate),
  region: required(isString),
  roleArn: optional(isString),
  account: optional(isString),
  sourceProfile: required(isString),
  requestKey: optional(isString),
  sessionName: optional(isString),
  externalId: optional(isString),
  durationSeconds: optional((v) => Number.isInteger(v) && (v as number) > 0),
  sourceIdentity: optional(isString),
  tags: optional(isTags),
  transitiveTagKeys: optional(isStrings),
};

const DISCOVERY_RECORD: Shape = {
  version: required(isVersion1),
  roleArn: required(isText),
  userName: required(isString),
  account: required(isString),
  partition: required(isString),
  mfaSerial: optional(isString),
};

const CACHED_CREDENTIALS: Shape = {
  version: required(isVersion1),
  profile: required(isText),
  requestKey: required(isText),
  region: required(isString),
  roleArn: required(isString),
  accessKeyId: required(isText),
  secretAccessKey: required(isText),
  sessionToken: required(isText),
  expiration: required(isDate),
};

/** The fields of `shape` taken from `value` (others dropped), or undefined when one fails its check. */
function recordOf<T>(value: unknown, shape: Shape): T | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [field, { check, optional }] of Object.entries(shape)) {
    const v = (value as Record<string, unknown>)[field];
    if (v === undefined && optional) continue;
    if (!check(v)) return undefined;
    out[field] = field === 'tags' ? (v as Array<{ key: string; value: string }>).map(({ key, value }) => ({ key, value })) : v;
  }
  return out as T;
}

/** A profile record read for `profile`, when valid and written for that very profile. */
export function profileRecordOf(value: unknown, profile: string): ProfileRecord | undefined {
  const record = recordOf<ProfileRecord>(value, PROFILE_RECORD);
  return record?.profile === profile ? record : undefined;
}

/** Cached credentials read for `profile`, when valid and cached for that very profile. */
export function cachedCredentialsOf(value: unknown, profile: string): CachedCredentials | undefined {
  const record = recordOf<CachedCredentials>(value, CACHED_CREDENTIALS);
  return record?.profile === profile ? record : undefined;
}

/** A discovery record, when valid. */
export function discoveryRecordOf(value: unknown): DiscoveryRecord | undefined {
  return recordOf<DiscoveryRecord>(value, DISCOVERY_RECORD);
}
