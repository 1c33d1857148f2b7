/**
 * What a client process of the daemon needs (`anwbis exec --server` and the commands that hand
 * work over to it): the client, the starting command line, and the endpoint a client serves
 * itself. Exported apart from the index, whose daemon, scheduler and service modules a bundle
 * cannot leave out once it imports the index, so a client does not load the daemon it talks to.
 */
export { DaemonClient, DaemonConnectionClosed, DaemonNotRunning, DaemonRequestError } from './client.js';
export { CredentialsUnavailable, startCredentialServer, type CredentialServer } from './credential-server.js';
export { daemonLaunch, type AnwbisProgram } from './service.js';
export { tightenPrivateDir } from './socket-dir.js';
export { MAX_CHAINED_DURATION_SECONDS } from './protocol-version.js';
export type { WatchSpec } from './watch-spec.js';
