/*
 * Whether a request can be answered without AWS: from a profile anwbis wrote that still stands,
 * or from credentials it cached. The full commands and the fast-path bundles (through
 * core/fast) decide with these functions, so a fast path can never reuse what the full command
 * would have replaced, nor the other way round.
 */
import { readFileSync } from 'node:fs';
import type { TemporaryCredentials } from '../aws/port.js';
import { isFresh } from '../expiry/expiry.js';
import { credentialsCachePath, profileRecordPath } from './layout.js';
import { cachedCredentialsOf, profileRecordOf, type CachedCredentials, type ProfileKind, type ProfileRecord } from './records.js';

/** When and how strictly: `now` less the margin must still be before the expiry. */
export interface Freshness {
  readonly now: Date;
  readonly marginSeconds: number;
}

/** A written profile whose credentials can be handed out again. */
export interface StandingProfile {
  readonly record: ProfileRecord;
  readonly credentials: TemporaryCredentials;
}

/** Whether the record of a written profile (of `kind`, or any) is still fresh; the file need not be read otherwise. */
export function isReusableRecord(record: ProfileRecord | undefined, options: Freshness & { readonly kind?: ProfileKind | undefined }): record is ProfileRecord {
  if (!record || (options.kind !== undefined && record.kind !== options.kind)) return false;
  return isFresh(new Date(record.expiration), options.now, options.marginSeconds);
}

/**
 * The credentials of a written profile, when its record is reusable ({@link isReusableRecord})
 * and its section of the credentials file (`section`, as read) still holds what anwbis wrote:
 * another tool may have replaced the keys since.
 */
export function standingProfile(
  record: ProfileRecord | undefined,
  section: Readonly<Record<string, string>> | undefined,
  options: Freshness & { readonly kind?: ProfileKind | undefined },
): StandingProfile | undefined {
  if (!isReusableRecord(record, options)) return undefined;
  const accessKeyId = section?.aws_access_key_id;
  const secretAccessKey = section?.aws_secret_access_key;
  const sessionToken = section?.aws_session_token;
  if (!accessKeyId || !secretAccessKey || !sessionToken || accessKeyId !== record.accessKeyId) return undefined;
  return { record, credentials: { accessKeyId, secretAccessKey, sessionToken, expiration: new Date(record.expiration) } };
}

/** Cached credentials made for the request `key` and still fresh; undefined otherwise. */
export function freshCachedCredentials(record: CachedCredentials | undefined, key: string, options: Freshness): CachedCredentials | undefined {
  if (!record || record.requestKey !== key) return undefined;
  return isFresh(new Date(record.expiration), options.now, options.marginSeconds) ? record : undefined;
}

/** The record of a written profile, read synchronously (one small file, for the fast paths); undefined when missing or invalid. */
export function readProfileRecordSync(home: string, profile: string): ProfileRecord | undefined {
  return profileRecordOf(readJsonSync(profileRecordPath(home, profile)), profile);
}

/** The cached credentials of a profile, read synchronously; undefined when missing or invalid. */
export function readCachedCredentialsSync(home: string, profile: string): CachedCredentials | undefined {
  return cachedCredentialsOf(readJsonSync(credentialsCachePath(home, profile)), profile);
}

function readJsonSync(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    // A missing or damaged record is a miss; it is rebuilt on the next write.
    return undefined;
  }
}
