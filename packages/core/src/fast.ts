/**
 * What the fast paths need (a cache-hit `credential-process`, a reused profile), as one small
 * entry: it is bundled and started on every AWS client start, so it must not pull in the SDK,
 * oclif or zod. A request resolves, and is answered without AWS, by the same functions the full
 * commands use.
 */
export { isFresh } from './expiry/expiry.js';
export { DEFAULT_SETTINGS, type Settings } from './settings/defaults.js';
export { anwbisHome, credentialsFilePath, SERVED_SHELL_FILES } from './paths/paths.js';
export { locksDir, settingsFilePath } from './cache/layout.js';
export { freshCachedCredentials, readCachedCredentialsSync, readProfileRecordSync, standingProfile, type StandingProfile } from './cache/answer.js';
export { askedRegion } from './cache/request-key.js';
export { sessionProfileName } from './naming/patterns.js';
export { resolveRequest, targetRequestOf, validateAssumeRequest, type AssumeRequest, type TargetSpec } from './assume/resolve.js';
export { precheckMfaSources } from './mfa/code.js';
export type { SessionTaggingFlags } from './session-tags/session-tags.js';
export { credentialProcessJson } from './output/credential-process.js';
export { errorLines } from './output/error-lines.js';
export { acquireLock, namedLockPath, LockTimeoutError, LOCK_NAMES, NAMED_LOCK_WAIT_MS, type HeldLock } from './locks/lock.js';
export { handOverLock, releaseHandedOverLocks } from './locks/handover.js';
export { ensurePrivateDir } from './fs/atomic-write.js';
export { holderFailureSince, type HolderFailure } from './provide/holder-failure.js';
export { AnwbisError, EXIT_CODES } from './errors/errors.js';
export { sanitizeRemoteText } from './errors/sanitize.js';
// A forwarded assume's client (cli/src/fast/forward-entry.ts) runs the MFA command itself.
export { runMfaProcess } from './process/run-for-output.js';

/** The settings parser (and `ini`), loaded only when there is a settings file to read. */
export const loadSettingsLazily = async (home: string) => (await import('./settings/settings.js')).loadSettings(home);
export { getSection } from './credentials-file/ini-edit.js';
export { credentialVariables, formatShellExports } from './output/shell.js';
