export * from './socket-path.js';
export { DaemonClient, DaemonConnectionClosed, DaemonNotRunning, DaemonRequestError } from './client.js';
export { describe as describeEvent, startDaemon, type DaemonOptions, type RunningDaemon } from './daemon.js';
export { DaemonAlreadyRunning, tightenPrivateDir, tokenPathFor } from './socket-dir.js';
export { PROTOCOL_VERSION, type CredentialsHoldResult, type FetchedCredentials, type RolesResult, type StatusResult } from './protocol.js';
export { CredentialsUnavailable, startCredentialServer, type CredentialServer } from './credential-server.js';
export { MAX_CHAINED_DURATION_SECONDS, watchSpecSchema, type WatchSpec } from './watch-spec.js';
export type { DaemonEvent, ProfileState, SessionState } from './scheduler.js';
export { daemonLaunch, serviceFiles, type AnwbisProgram, type DaemonLaunch, type ServiceFiles } from './service.js';
