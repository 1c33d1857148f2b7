/** What the daemon's method handlers work with: its parts, wired by `startDaemon`. */
import type { DaemonBackend } from '../backend.js';
import type { DaemonLog } from '../log.js';
import type { Refresher } from '../refresher.js';
import type { DaemonEvent, Scheduler } from '../scheduler.js';
import type { StatusReport } from '../status.js';
import type { Watches } from '../watches.js';

export interface DaemonParts {
  /** The daemon's ANWBIS_HOME. */
  readonly home: string;
  readonly version: string;
  readonly backend: DaemonBackend;
  readonly scheduler: Scheduler;
  readonly watches: Watches;
  readonly refresher: Refresher;
  readonly status: StatusReport;
  readonly emit: (event: DaemonEvent) => void;
  readonly log: DaemonLog;
  readonly now: () => Date;
  /** Stops the daemon, as `anwbis daemon stop` asks. */
  stop(): void;
}
