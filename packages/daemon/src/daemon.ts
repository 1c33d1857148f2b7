/**
 * The daemon, wired: the scheduler's decisions carried out through the backend on a periodic
 * wall-clock tick, the watch list kept on disk, the AWS files watched, the socket served.
 */
import { dirname, join } from 'node:path';
import { anwbisHome, ensurePrivateDir, loadDaemonSettings, logsDir, type Env } from '@anwbis/core';
import { coreBackend, type DaemonBackend } from './backend.js';
import { DaemonEvents } from './events.js';
import { listenOnSocket } from './listen.js';
import { fileLog, type DaemonLog } from './log.js';
import { registerForwarding } from './forward-handlers.js';
import { warmEngine } from './engine.js';
import { daemonApi } from './methods/table.js';
import { desktopNotifier, type Notifier } from './notify.js';
import { Reconciler, SECTION_SETTLE_MS } from './reconciler.js';
import { Refresher } from './refresher.js';
import { DEFAULT_SCHEDULER_CONFIG, Scheduler } from './scheduler.js';
import type { ConnectionLimits } from './server.js';
import { Shutdown } from './shutdown.js';
import { assertPrivateDir, assertSocketPathFits, tightenPrivateDir } from './socket-dir.js';
import { daemonSocketPath } from './socket-path.js';
import { StatusReport } from './status.js';
import { Watches } from './watches.js';
import { WatchStore } from './watch-store.js';

export interface DaemonOptions {
  readonly env: Env;
  /** Reported by `hello` and `status`. */
  readonly version: string;
  readonly backend?: DaemonBackend;
  readonly now?: () => Date;
  /** How often the wall clock is looked at. */
  readonly tickMs?: number;
  /** A socket already bound by the service manager (systemd socket activation: fd 3). */
  readonly listenFd?: number;
  readonly log?: DaemonLog;
  readonly notifier?: Notifier;
  readonly connectionLimits?: ConnectionLimits;
  /** How long a watched profile's section must stay missing before it is unwatched. */
  readonly sectionSettleMs?: number;
}

/** A daemon that is serving. */
export interface RunningDaemon {
  readonly socketPath: string;
  /** Stops serving, lets running refreshes finish, removes the socket. Safe to call twice. */
  stop(): Promise<void>;
  /** Resolves once the daemon has stopped, by {@link stop} or a client's `shutdown`. */
  readonly stopped: Promise<void>;
}

const DEFAULT_TICK_MS = 10_000;

/** Starts the daemon: listens on its socket (or `listenFd`) and keeps the watched profiles fresh. */
export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  const env = options.env;
  const home = anwbisHome(env);
  await ensurePrivateDir(home);
  tightenPrivateDir(home);
  const settings = await loadDaemonSettings(home);
  const socketPath = daemonSocketPath(env);
  assertSocketPathFits(socketPath);
  assertPrivateDir(dirname(socketPath), true);
  const now = options.now ?? (() => new Date());
  const log = options.log ?? fileLog(join(logsDir(home), 'daemon.log'));
  const engine = warmEngine();
  const backend = options.backend ?? coreBackend(env, engine);
  const events = new DaemonEvents(log, options.notifier ?? (settings.notifications ? desktopNotifier() : undefined));
  const emit = events.emit;
  const scheduler = new Scheduler({ ...DEFAULT_SCHEDULER_CONFIG, refreshBeforeSeconds: settings.refreshBeforeSeconds });
  const watches = new Watches({ home, scheduler, store: new WatchStore(home), backend, log });
  const refresher = new Refresher({ scheduler, backend, watches, emit, log, now });
  const reconciler = new Reconciler({ scheduler, backend, watches, refresher, emit, log, sectionSettleMs: options.sectionSettleMs ?? SECTION_SETTLE_MS });
  const status = new StatusReport({ scheduler, now, version: options.version, socketPath, grants: () => watches.grants, sessionName: (source) => refresher.sessionName(source) });

  const watched = await watches.load();
  const api = daemonApi({ home, version: options.version, backend, scheduler, watches, refresher, status, emit, log, now, stop: () => void shutdown.stop() });
  const socket = await listenOnSocket({
    home,
    socketPath,
    listenFd: options.listenFd,
    api,
    events,
    log,
    connectionLimits: options.connectionLimits,
    // The real daemon loads the SDK at start: the first forwarded request must not wait for it.
    extend: (server) => registerForwarding(server, { home, log, engine, warmUp: options.backend === undefined }),
  });
  const shutdown = new Shutdown({ refresher, reconciler, socket, log });

  reconciler.watchFiles();
  refresher.start(options.tickMs ?? DEFAULT_TICK_MS);
  log.info(`daemon ${options.version} started (pid ${process.pid}, socket ${socketPath}, ${watched} watched)`);
  await reconciler.reconcile().catch((err: Error) => log.warn(`first look at the AWS files: ${err.message}`));
  return { socketPath, stop: shutdown.stop, stopped: shutdown.stopped };
}
