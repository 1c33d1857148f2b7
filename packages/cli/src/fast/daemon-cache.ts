/**
 * The credential-process fast path's cache miss, when a daemon runs: the daemon holds the corp
 * session, so it makes the STS call (one, however many callers: core's per-target lock) and
 * caches the credentials under ANWBIS_HOME exactly as the full command would; the fast path
 * then answers from that cache. Credentials never travel over the socket.
 */
import { existsSync } from 'node:fs';
import { daemonSocketPath, requestDaemonOnce, type ProvideRequest } from '@anwbis/daemon/fast';

/** Long enough for an STS call on a slow network; a daemon that takes longer is left to the full command. */
const DAEMON_TIMEOUT_MS = 30_000;

/**
 * What the daemon needs to make the credentials the fast path's request key asks for: the
 * request as asked, and the caller's credentials file and ANWBIS_HOME (it serves only its own).
 */
export interface DaemonCacheRequest extends ProvideRequest {
  readonly credentialsFile: string;
  readonly home: string;
}

/**
 * Asks a running daemon to cache credentials for `request`. True once it has; false when no
 * daemon answers or it could not (no valid corp session, another set-up), and the full command
 * decides, with a prompt if a terminal can be asked.
 */
export async function cacheThroughDaemon(env: Readonly<Record<string, string | undefined>>, request: DaemonCacheRequest): Promise<boolean> {
  try {
    await requestDaemonOnce(env, 'credentials.provide', request, { timeoutMs: DAEMON_TIMEOUT_MS, client: 'anwbis credential-process' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a daemon may be running: its socket is there. Then bin/run.js offers an assume it could
 * not reuse to the daemon from the small forwarding bundle (forward-entry.ts) first; without
 * one, that bundle is not even loaded.
 */
export function daemonSocketPresent(): boolean {
  return existsSync(daemonSocketPath(process.env));
}
