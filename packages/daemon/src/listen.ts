/** The daemon's socket: bound (or taken over from the service manager), its token written, served. */
import { createServer } from 'node:net';
import { rmSync } from 'node:fs';
import { LOCK_NAMES, withNamedLock } from '@anwbis/core';
import type { DaemonEvents } from './events.js';
import type { DaemonLog } from './log.js';
import { RpcServer, type ConnectionLimits, type DaemonApi } from './server.js';
import { DaemonAlreadyRunning, listenPrivate, newToken, reusableToken, socketAnswers, tokenPathFor, writeToken } from './socket-dir.js';

export interface ListenOptions {
  readonly home: string;
  readonly socketPath: string;
  /** A socket already bound by the service manager (systemd socket activation: fd 3). */
  readonly listenFd: number | undefined;
  readonly api: DaemonApi;
  readonly events: DaemonEvents;
  readonly log: DaemonLog;
  readonly connectionLimits: ConnectionLimits | undefined;
  /** Adds the methods defined outside the handler table (the forwarded work) before anyone can connect. */
  readonly extend?: (server: RpcServer) => void;
}

/** A socket being served. */
export interface DaemonSocket {
  /** Accepts no more connections; resolves once every connection is closed. */
  stopListening(): Promise<void>;
  /** Removes the socket and its token, unless the service manager owns them. */
  removeFiles(): void;
  /** Closes every client's connection. */
  closeConnections(): void;
}

/** Listens on the daemon's socket; throws {@link DaemonAlreadyRunning} when another daemon answers there. */
export async function listenOnSocket(options: ListenOptions): Promise<DaemonSocket> {
  const { socketPath, listenFd, log } = options;
  const net = createServer();
  // The token and the connection handler exist before the socket does: a client that polls
  // while the daemon starts (`anwbis daemon start` does) may connect the moment it listens,
  // and a connection nobody handles is one that hangs.
  // Under socket activation the socket outlives the daemon, and clients may have read the token
  // before this process started: the token outlives it too.
  const token = (listenFd !== undefined && reusableToken(socketPath)) || newToken();
  const server = new RpcServer(options.api, token, options.connectionLimits, (line) => log.warn(line));
  options.extend?.(server);
  options.events.listen((event) => server.broadcast(event));
  net.on('connection', (socket) => server.accept(socket));
  net.on('error', (err) => log.warn(`socket: ${err.message}`));
  await withNamedLock(options.home, LOCK_NAMES.daemonSocket, async () => {
    if (listenFd !== undefined) {
      await writeToken(socketPath, token);
      await new Promise<void>((resolve, reject) => net.once('error', reject).listen({ fd: listenFd }, resolve));
      return;
    }
    // The token file is written before the socket answers, so a client never reads a dead
    // daemon's token and presents it to this one; under the lock no other start interleaves.
    if (await socketAnswers(socketPath)) throw new DaemonAlreadyRunning(socketPath);
    await writeToken(socketPath, token);
    await listenPrivate(net, socketPath);
  });
  return {
    stopListening: () => new Promise<void>((resolve) => net.close(() => resolve())),
    removeFiles() {
      if (listenFd !== undefined) return;
      rmSync(socketPath, { force: true });
      rmSync(tokenPathFor(socketPath), { force: true });
    },
    closeConnections: () => server.closeAll(),
  };
}
