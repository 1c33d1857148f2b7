/**
 * The typed client of the daemon's socket, for the CLI and the TUI.
 */
import { connect, type Socket } from 'node:net';
import { lstatSync } from 'node:fs';
import { dirname } from 'node:path';
import { JSONRPCClient, type JSONRPCResponse } from 'json-rpc-2.0';
import { AnwbisError, type Env } from '@anwbis/core';
import { daemonSocketPath } from './socket-path.js';
import { assertPrivateDir, readToken, reusableToken } from './socket-dir.js';
// The values from the module without the schemas: a client loads no zod.
import { EVENT_METHOD, MAX_LINE_BYTES, PROTOCOL_VERSION } from './protocol-version.js';
import type { Method, Params, Results } from './protocol.js';
import type { DaemonEvent } from './scheduler.js';
import type { WatchSpec } from './watch-spec.js';

/** The daemon answered a request with an error. */
export class DaemonRequestError extends AnwbisError {
  constructor(
    readonly code: number,
    message: string,
    next?: string,
  ) {
    super('config', message, next ? { next } : {});
  }
}

/** No daemon answers on the socket. */
export class DaemonNotRunning extends AnwbisError {
  constructor(socketPath: string) {
    super('config', `the anwbis daemon is not running (no answer on ${socketPath})`, { next: 'start it with `anwbis daemon start`' });
  }
}

/** The daemon closed the connection (it stopped, or died) before it answered. */
export class DaemonConnectionClosed extends AnwbisError {
  constructor() {
    super('config', 'the daemon closed the connection', { next: 'see `anwbis daemon status`, and the daemon log under ANWBIS_HOME/logs' });
  }
}

/** A connection to the daemon, past `hello`. */
export class DaemonClient {
  private readonly listeners = new Set<(event: DaemonEvent) => void>();

  private constructor(
    private readonly socket: Socket,
    private readonly rpc: JSONRPCClient,
    readonly socketPath: string,
  ) {}

  /**
   * Connects to the daemon of this environment and says hello with the token. Throws
   * {@link DaemonNotRunning} when nothing listens.
   */
  static async connect(env: Env, options: { socketPath?: string; timeoutMs?: number; client?: string } = {}): Promise<DaemonClient> {
    const socketPath = options.socketPath ?? daemonSocketPath(env);
    const timeoutMs = options.timeoutMs ?? 60_000;
    let token: string | undefined;
    try {
      assertPrivateDir(dirname(socketPath), false);
      token = readToken(socketPath);
    } catch (err) {
      if (err instanceof AnwbisError && !/cannot be read/.test(err.message)) throw err;
      // No token yet beside a socket that exists: a service manager holds the socket and starts
      // the daemon on this connection (socket activation); it writes the token as it starts.
      if (!isSocket(socketPath)) throw new DaemonNotRunning(socketPath);
    }
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect(socketPath);
      s.once('connect', () => resolve(s));
      s.once('error', (err: NodeJS.ErrnoException) => reject(err.code === 'ECONNREFUSED' || err.code === 'ENOENT' ? new DaemonNotRunning(socketPath) : err));
    });
    if (token === undefined) {
      const deadline = Date.now() + timeoutMs;
      while ((token = reusableToken(socketPath)) === undefined) {
        if (Date.now() > deadline) {
          socket.destroy();
          throw new AnwbisError('config', `the daemon on ${socketPath} accepted the connection but wrote no token within ${Math.round(timeoutMs / 1000)} s`, {
            next: 'see `anwbis daemon status`, or restart it with `anwbis daemon stop` and `anwbis daemon start`',
          });
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const rpc = new JSONRPCClient((payload) => {
      socket.write(`${JSON.stringify(payload)}\n`);
    });
    const client = new DaemonClient(socket, rpc, socketPath);
    client.read(timeoutMs);
    try {
      await client.request('hello', { token, protocol: PROTOCOL_VERSION, ...(options.client ? { client: options.client } : {}) });
    } catch (err) {
      client.close();
      throw err;
    }
    return client;
  }

  private read(timeoutMs: number): void {
    this.timeoutMs = timeoutMs;
    let buffer = '';
    this.socket.setEncoding('utf8');
    this.socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > MAX_LINE_BYTES && !buffer.includes('\n')) this.socket.destroy(new Error('the daemon sent an oversized line'));
      for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        this.message(line);
      }
    });
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => {
      this.ended ??= new DaemonConnectionClosed();
      this.rpc.rejectAllPendingRequests(this.ended.message);
    });
  }

  private timeoutMs = 60_000;

  private message(line: string): void {
    let message: { method?: string; params?: unknown };
    try {
      message = JSON.parse(line);
    } catch {
      return;
    }
    if (message.method === EVENT_METHOD) {
      for (const listener of this.listeners) listener(message.params as DaemonEvent);
      return;
    }
    const refusal = (message as { id?: unknown; error?: { code: number; message: string; data?: { next?: string } } }).error;
    // An error for no request: the daemon says why it is about to close the connection.
    if (refusal && (message as { id?: unknown }).id === null) this.ended = new DaemonRequestError(refusal.code, refusal.message, refusal.data?.next);
    this.rpc.receive(message as JSONRPCResponse);
  }

  /** Why the connection has ended or is about to: every request from then on fails with it. */
  private ended: AnwbisError | undefined;

  /** One request; the daemon's error arrives as a {@link DaemonRequestError}. */
  async request<M extends Method>(method: M, params?: Params<M>): Promise<Results[M]> {
    if (this.ended) throw this.ended;
    let response: JSONRPCResponse;
    try {
      response = await this.rpc.timeout(this.timeoutMs).requestAdvanced({ jsonrpc: '2.0', id: this.nextId++, method, ...(params !== undefined ? { params } : {}) });
    } catch (err) {
      throw this.ended ?? err;
    }
    if ('error' in response && response.error) {
      if (this.ended) throw this.ended;
      const data = response.error.data as { next?: string } | undefined;
      throw new DaemonRequestError(response.error.code, response.error.message, data?.next);
    }
    return (response as { result: Results[M] }).result;
  }

  private nextId = 1;

  status(): Promise<Results['status']> {
    return this.request('status');
  }

  watch(watch: WatchSpec): Promise<Results['watch']> {
    return this.request('watch', { watch });
  }

  unwatch(profile: string): Promise<Results['unwatch']> {
    return this.request('unwatch', { profile });
  }

  refresh(profile?: string): Promise<Results['refresh']> {
    return this.request('refresh', profile === undefined ? {} : { profile });
  }

  unlock(mfaCode: string, sourceProfile?: string): Promise<Results['session.unlock']> {
    return this.request('session.unlock', { mfaCode, ...(sourceProfile ? { sourceProfile } : {}) });
  }

  /**
   * A grant of `watch.profile`'s credentials to this connection: the daemon keeps the profile
   * fresh and answers {@link fetchCredentials} for it until this connection closes.
   */
  holdCredentials(watch: WatchSpec): Promise<Results['credentials.hold']> {
    return this.request('credentials.hold', { watch });
  }

  /** The credentials of a profile this connection holds a grant of. */
  fetchCredentials(profile: string): Promise<Results['credentials.fetch']> {
    return this.request('credentials.fetch', { profile });
  }

  /** The delegated roles of a corp profile, each with its profile's status and whether it is watched. */
  roles(params: Params<'roles'> = {}): Promise<Results['roles']> {
    return this.request('roles', params);
  }

  /** Calls `listener` for every event from now on. */
  async subscribe(listener: (event: DaemonEvent) => void): Promise<void> {
    this.listeners.add(listener);
    await this.request('subscribe');
  }

  shutdown(): Promise<Results['shutdown']> {
    return this.request('shutdown');
  }

  /** Resolves once the daemon has closed this connection (after shutdown, or when it died). */
  closed(): Promise<void> {
    return this.socket.closed ? Promise.resolve() : new Promise((resolve) => this.socket.once('close', () => resolve()));
  }

  close(): void {
    this.socket.end();
    this.socket.destroy();
  }
}

function isSocket(path: string): boolean {
  try {
    return lstatSync(path).isSocket();
  } catch {
    return false;
  }
}
