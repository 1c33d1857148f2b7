/**
 * The public face of @anwbis/core: what the CLI, the daemon, the TUI and the tools use, by area.
 * Everything else in core is internal; a name is added here when another package needs it.
 * The fast paths have their own small entry (`@anwbis/core/fast`), tests theirs (`@anwbis/core/testing`).
 */

// Errors, events and what a person is shown
export { AnwbisError, type ErrorKind, EXIT_CODES, shown } from './errors/errors.js';
export { jsonForTerminal, sanitizeRemoteText } from './errors/sanitize.js';
export { type AnwbisEvent, silentEvents } from './events/events.js';
export { errorLines } from './output/error-lines.js';
export { cellWidth, fitCells, padCells } from './output/cells.js';

// Environment: paths, settings, clock, files, locks, processes
export { anwbisHome, configFilePath, credentialsFilePath, type Env, SERVED_SHELL_FILES } from './paths/paths.js';
export { loadDaemonSettings, loadSettings } from './settings/settings.js';
export { DEFAULT_SETTINGS } from './settings/defaults.js';
export { daemonWatchesPath, logsDir } from './cache/layout.js';
export { type Clock, isSessionValid, systemClock } from './expiry/expiry.js';
export { ensurePrivateDir, writeFileAtomic } from './fs/atomic-write.js';
export { LOCK_NAMES, withNamedLock } from './locks/lock.js';
export { splitCommandLine } from './process/shell-words.js';
export { processRunning } from './process/running.js';

// Naming convention: profile names, targets, limits
export { corpProfileOf, DEFAULT_PATTERNS, resolveTarget, sessionProfileName, type TargetRequest } from './naming/patterns.js';
export { NAME_LIMITS } from './naming/validate.js';

// AWS calls
export { AwsCallError, type AwsCredentials, type AwsPort, type TemporaryCredentials } from './aws/port.js';
export { createSdkPort, type EndpointSettings, sdkHttpHandler } from './aws/sdk.js';
export { AWS_FAILURES, type AwsFailureRemedy, awsFailureBehind } from './errors/explain-aws.js';
export { fromInstanceMetadata } from './imds/imds.js';

// Corp keys, MFA and the corp session
export { chooseSourceProfile, sessionCommand } from './source/source.js';
export { loadProfileCredentials } from './source/profile-credentials.js';
export { addKeys, listKeys, removeKeys, rotateKeys, type StoredKeysEntry } from './keys/keys.js';
export { KEY_BACKENDS } from './keys/key-index.js';
export { type PassphrasePrompt } from './keys/backend.js';
export { type StoredKeys } from './keys/secret.js';
export { type MfaSources, type Prompter } from './mfa/code.js';
export { runMfaProcess } from './process/run-for-output.js';
export { SESSION_DURATION } from './aws-steps/session-token.js';
export { corpSession, type SessionRequest, type SessionResult } from './session/session.js';

// Assuming a delegated role; credentials made for a program
export { type AssumeRequest, resolveRequest, targetOf, targetRequestOf, type TargetSpec } from './assume/resolve.js';
export { type FlowDeps, prepareRequest } from './assume/request.js';
export { assume, type AssumeResult } from './assume/assume.js';
export { type SessionTaggingFlags, sessionTaggingOf } from './session-tags/session-tags.js';
export { StateStore } from './cache/state-store.js';
export { askedRegion, requestKey } from './cache/request-key.js';
export { refreshWrittenProfile } from './refresh/refresh.js';
export { type ProvidedCredentials, provideRoleCredentials } from './provide/provide.js';
export { configureCredentialProcess } from './provide/configure.js';

// The AWS files
export { getSection, removeKeysEverywhere, setSection } from './credentials-file/ini-edit.js';
export { readAccessKeyIds, readCredentialsProfile, readValidSession, readValidWrittenProfile } from './profiles/profiles.js';

// Output formats for other tools
export { credentialVariables, formatShellExports, type Shell, SHELLS } from './output/shell.js';
export { credentialProcessJson } from './output/credential-process.js';

// Delegated roles: discovery, listing, status (the picker's history: @anwbis/core/history, apart for its zod)
export { type DelegatedRole } from './roles/delegated-role.js';
export { DISCOVERY_CONCURRENCY, type DiscoveryProgress } from './roles/discover.js';
export { cachedDelegatedRoles, listDelegatedRoles, NoDelegatedRolesError, type RoleList } from './roles/list.js';
export { describeStatus, type RoleStatus, roleStatuses } from './roles/status.js';
export { completionRoles, type RoleCandidate } from './completion/candidates.js';

// Web console
export { consoleProfileName, type ConsoleRequest, loadWrittenSession, openConsole } from './console/open.js';
export { BROWSER_CHOICES, type BrowserLauncher, createBrowserLauncher, findOnPath } from './console/browser.js';
export { signinTokenUrl } from './console/federation.js';
export { consoleLoginUrl } from './console/signin.js';

// Logout
export { logout, type LogoutRequest } from './logout/logout.js';
export { forgetRemembered } from './logout/remembered.js';
