/** A daemon's stop, once, in the order its clients rely on. */
import type { DaemonSocket } from './listen.js';
import type { DaemonLog } from './log.js';
import type { Reconciler } from './reconciler.js';
import type { Refresher } from './refresher.js';

export interface ShutdownParts {
  readonly refresher: Refresher;
  readonly reconciler: Reconciler;
  readonly socket: DaemonSocket;
  readonly log: DaemonLog;
}

export class Shutdown {
  /** Resolves once the daemon has stopped. */
  readonly stopped: Promise<void>;
  private resolveStopped!: () => void;
  private stopping: Promise<void> | undefined;

  constructor(private readonly parts: ShutdownParts) {
    this.stopped = new Promise<void>((resolve) => (this.resolveStopped = resolve));
  }

  /** Stops serving, lets running refreshes finish, removes the socket. Safe to call twice. */
  readonly stop = (): Promise<void> => (this.stopping ??= this.run());

  private async run(): Promise<void> {
    const { refresher, reconciler, socket, log } = this.parts;
    refresher.stopTicking();
    await reconciler.stop();
    const closed = socket.stopListening();
    // Clients see the connection close only once running refreshes are written and the
    // socket is gone, so `anwbis daemon stop` can return when it sees that.
    await refresher.idle();
    socket.removeFiles();
    log.info('daemon stopped');
    socket.closeConnections();
    await closed;
    this.resolveStopped();
  }
}
