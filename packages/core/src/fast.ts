/**
 * The few pure pieces the `credential-process` cache-hit path needs, as one small entry: it is
 * bundled and started on every AWS client start, so it must not pull in the SDK, oclif or zod.
 */
export { isFresh } from './expiry/expiry.js';
export { corpProfileOf, resolveTarget, type TargetRequest } from './naming/patterns.js';
export { splitTargetName } from './naming/target-name.js';
export { assertValidName } from './naming/validate.js';
export { DEFAULT_SETTINGS, type Settings } from './settings/defaults.js';
export { anwbisHome, credentialsCachePath, credentialsFilePath } from './paths/paths.js';
export { credentialProcessJson } from './output/credential-process.js';
export { errorLines } from './output/error-lines.js';
export { askedRegion, requestKey } from './cache/request-key.js';
export { sessionTaggingOf } from './session-tags/session-tags.js';
export { acquireLock, namedLockPath, LockTimeoutError, LOCK_NAMES, NAMED_LOCK_WAIT_MS, type HeldLock } from './locks/lock.js';
export { handOverLock, releaseHandedOverLocks } from './locks/handover.js';
export { ensurePrivateDir } from './fs/atomic-write.js';
export { holderFailureSince, type HolderFailure } from './provide/holder-failure.js';
export { EXIT_CODES } from './errors/errors.js';

/** The settings parser (and `ini`), loaded only when there is a settings file to read. */
export const loadSettingsLazily = async (home: string) => (await import('./settings/settings.js')).loadSettings(home);
export { getSection } from './credentials-file/ini-edit.js';
export { credentialVariables, formatShellExports } from './output/shell.js';
