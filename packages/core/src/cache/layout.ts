import { join } from 'node:path';

/*
 * The layout of ANWBIS_HOME, spelled in this one place: the full commands, the daemon and the
 * fast-path bundles (through core/fast) all find anwbis's state here. Profile names are
 * URI-encoded into file names, so no name can climb out of its directory.
 */

const recordFile = (dir: string, name: string) => join(dir, `${encodeURIComponent(name)}.json`);

/** The settings file (`[naming]`, `[cache]`, `[assume]`, `[keys]`, `[daemon]`). */
export function settingsFilePath(home: string): string {
  return join(home, 'config');
}

/** What anwbis knows about each profile it wrote (no secrets), one file per profile. */
export function profileRecordsDir(home: string): string {
  return join(home, 'profiles');
}

export function profileRecordPath(home: string, profile: string): string {
  return recordFile(profileRecordsDir(home), profile);
}

/** The credentials `credential-process` and `exec` cached, one file per profile (secrets: 0600). */
export function credentialsCacheDir(home: string): string {
  return join(home, 'credentials');
}

/** The credential_process cache file of a profile. */
export function credentialsCachePath(home: string, profile: string): string {
  return recordFile(credentialsCacheDir(home), profile);
}

/** Role lookups remembered by discovery, named by a hash of what was looked up. */
export function discoveryDir(home: string): string {
  return join(home, 'discovery');
}

export function discoveryPath(home: string, key: string): string {
  return join(discoveryDir(home), `${key}.json`);
}

/** Cached role lists (named by a hash of the corp profile and patterns) and the picker's history. */
export function roleListsDir(home: string): string {
  return join(home, 'roles');
}

/** The picker's record of used roles. */
export function roleHistoryPath(home: string): string {
  return join(roleListsDir(home), 'used.json');
}

/** What the holder of a named lock failed with, for those that waited for it. */
export function failureNotePath(home: string, lockName: string): string {
  return recordFile(join(home, 'failures'), lockName);
}

/** The lock files, one per lock name. */
export function locksDir(home: string): string {
  return join(home, 'locks');
}

/** The daemon's watch list. */
export function daemonWatchesPath(home: string): string {
  return join(home, 'daemon', 'watches.json');
}

/** Logs (the daemon's, and a started daemon's output). */
export function logsDir(home: string): string {
  return join(home, 'logs');
}
