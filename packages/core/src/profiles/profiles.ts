import { getSection, keyInEachSection, setSection } from '../credentials-file/ini-edit.js';
import { assertAwsFileWritable, awsFileHolds, readAwsFile, readParsedAwsFile, updateAwsFile } from '../credentials-file/aws-file.js';
import type { AwsCredentials } from '../aws/port.js';
import type { ProfileRecord, StateStore } from '../cache/state-store.js';
import { SESSION_MARGIN_SECONDS, type Clock } from '../expiry/expiry.js';
import { isReusableRecord, standingProfile, type StandingProfile } from '../cache/answer.js';

/** The config-file section name of a profile: `default`, else `profile <name>`. */
export function configSectionName(profile: string): string {
  return profile === 'default' ? 'default' : `profile ${profile}`;
}

/** The keys anwbis writes into a profile's section of the credentials file. */
export const CREDENTIALS_KEYS: readonly string[] = ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token'];

/**
 * Writes a profile's keys ({@link CREDENTIALS_KEYS}) into the shared credentials file, changing
 * nothing else. A stale session token is removed when the new credentials have none.
 */
export async function writeCredentialsProfile(file: string, profile: string, credentials: AwsCredentials): Promise<void> {
  const entries: Array<[string, string]> = [
    ['aws_access_key_id', credentials.accessKeyId],
    ['aws_secret_access_key', credentials.secretAccessKey],
  ];
  if (credentials.sessionToken) entries.push(['aws_session_token', credentials.sessionToken]);
  const removeKeys = ['aws_security_token', ...(credentials.sessionToken ? [] : ['aws_session_token'])];
  await updateAwsFile(file, (text) => setSection(text, profile, entries, { removeKeys }));
}

/**
 * Sets keys of a profile in the config file (`region`, …), keeping the section's other keys. Keys
 * the section already has as given (the region of every assume after the first) are not written
 * again, nor locked for.
 */
export async function writeConfigProfile(file: string, profile: string, entries: ReadonlyArray<[string, string]>): Promise<void> {
  const edit = (text: string) => setSection(text, configSectionName(profile), entries);
  if (await awsFileHolds(file, edit)) return;
  await updateAwsFile(file, edit);
}

/** The keys of a profile as stored in the credentials file, if any. */
export async function readCredentialsProfile(file: string, profile: string): Promise<AwsCredentials | undefined> {
  const section = getSection(await readAwsFile(file), profile);
  if (!section?.aws_access_key_id || !section.aws_secret_access_key) return undefined;
  return {
    accessKeyId: section.aws_access_key_id,
    secretAccessKey: section.aws_secret_access_key,
    ...(section.aws_session_token ? { sessionToken: section.aws_session_token } : {}),
  };
}

/**
 * The access key id each section of the credentials file holds, by profile, from one read;
 * undefined when the file holds no section at all (missing, empty, or between an editor's
 * truncate and write). Throws when the file cannot be parsed.
 */
export async function readAccessKeyIds(file: string): Promise<Map<string, string> | undefined> {
  return keyInEachSection(await readAwsFile(file), 'aws_access_key_id');
}

/**
 * Fails before anything is asked or sent when an AWS file anwbis will write cannot be written
 * (read-only, a directory, no room, …) or parsed, so no MFA code or STS call is spent on a
 * run that could not save its result.
 */
export async function assertEditable(...files: string[]): Promise<void> {
  // The files side by side (each about 10 file-system calls); the failure reported is the one
  // checking them in order would have met first. Each file's are in turn: one that is not a
  // regular file (a pipe would block its reader) is never read.
  const checks = files.map(async (file) => {
    await assertAwsFileWritable(file);
    await readParsedAwsFile(file);
  });
  const failed = (await Promise.allSettled(checks)).find((check) => check.status === 'rejected');
  if (failed) throw failed.reason as Error;
}

/**
 * A profile anwbis wrote (of `kind`, or any) whose credentials are still valid for more than
 * `marginSeconds` and still stand in the credentials file as written; undefined otherwise.
 * Throws when the credentials file cannot be parsed.
 */
export async function readValidWrittenProfile(
  store: StateStore,
  credentialsFile: string,
  profile: string,
  options: { kind?: ProfileRecord['kind']; now: Date; marginSeconds: number },
): Promise<StandingProfile | undefined> {
  const record = await store.readProfile(profile);
  // The credentials file only when the record could be reused: it may be large.
  if (!isReusableRecord(record, options)) return undefined;
  return standingProfile(record, getSection(await readAwsFile(credentialsFile), profile), options);
}

/**
 * The corp session `profile` anwbis wrote while it is valid ({@link isSessionValid}: more than
 * {@link SESSION_MARGIN_SECONDS} left) and still stands in the credentials file as written;
 * undefined otherwise. Throws when the credentials file cannot be parsed.
 */
export function readValidSession(store: StateStore, credentialsFile: string, profile: string, clock: Clock): Promise<StandingProfile | undefined> {
  return readValidWrittenProfile(store, credentialsFile, profile, { kind: 'session', now: clock.now(), marginSeconds: SESSION_MARGIN_SECONDS });
}
