/**
 * The socket side of the daemon: framing, the `hello` gate, and JSON-RPC dispatch (the
 * `json-rpc-2.0` library) with every request's params checked by its schema. Nothing a client
 * sends can stop the daemon: bad input answers an error or closes that one connection.
 */
import type { Socket } from 'node:net';
import { JSONRPCErrorCode, JSONRPCErrorException, JSONRPCServer, type JSONRPCRequest } from 'json-rpc-2.0';
import { z } from 'zod';
import { AnwbisError } from '@anwbis/core';
import { tokenMatches } from './socket-dir.js';
import { ERROR_CODES, EVENT_METHOD, MAX_LINE_BYTES, PROTOCOL_VERSION, paramsSchemas, type Method, type Results } from './protocol.js';
import type { DaemonEvent } from './scheduler.js';

/** What the daemon does for each method; the server only checks, dispatches and frames. */
export interface DaemonApi {
  readonly version: string;
  status(): Results['status'];
  watch(params: z.output<(typeof paramsSchemas)['watch']>): Promise<Results['watch']>;
  unwatch(profile: string): Promise<Results['unwatch']>;
  refresh(profile: string | undefined): Promise<Results['refresh']>;
  unlock(mfaCode: string, sourceProfile: string | undefined): Promise<Results['session.unlock']>;
  roles(params: NonNullable<z.output<(typeof paramsSchemas)['roles']>>): Promise<Results['roles']>;
  shutdown(): void;
  /** `credential-process`'s credentials for a request, cached under ANWBIS_HOME as the CLI caches them. */
  provideCredentials(params: z.output<(typeof paramsSchemas)['credentials.provide']>): Promise<Results['credentials.provide']>;
  /** A grant of a profile's credentials on the endpoint, kept fresh until `revoke`. */
  grantCredentials(watch: z.output<(typeof paramsSchemas)['credentials.grant']>['watch']): Promise<{ result: Results['credentials.grant']; revoke: () => void }>;
}

interface Connection {
  readonly socket: Socket;
  authenticated: boolean;
  subscribed: boolean;
}

/** An unauthenticated connection gets this long to say hello. */
const HELLO_TIMEOUT_MS = 10_000;
/** A subscriber that stops reading is dropped rather than buffered without limit. */
const MAX_PENDING_WRITE_BYTES = 8 * 1024 * 1024;
const MAX_CONNECTIONS = 128;
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Serves the protocol on accepted sockets and pushes events to subscribers. */
export class RpcServer {
  private readonly rpc = new JSONRPCServer<Connection>({ errorListener: () => undefined });
  private readonly connections = new Set<Connection>();

  constructor(
    private readonly api: DaemonApi,
    private readonly token: string,
  ) {
    this.add('hello', () => ({ protocol: PROTOCOL_VERSION, version: api.version, pid: process.pid }));
    this.add('status', () => api.status());
    this.add('watch', (p) => api.watch(p));
    this.add('unwatch', (p) => api.unwatch(p.profile));
    this.add('refresh', (p) => api.refresh(p?.profile));
    this.add('roles', (p) => api.roles(p ?? {}));
    this.add('session.unlock', (p) => api.unlock(p.mfaCode, p.sourceProfile));
    this.add('subscribe', (_p, conn) => {
      conn.subscribed = true;
      return { subscribed: true as const };
    });
    this.add('credentials.grant', async (p, conn) => {
      const { result, revoke } = await api.grantCredentials(p.watch);
      // The grant lives exactly as long as the connection that asked for it.
      if (conn.socket.destroyed) revoke();
      else conn.socket.once('close', revoke);
      return result;
    });
    this.add('credentials.provide', (p) => api.provideCredentials(p));
    this.add('shutdown', () => {
      // Answer first; the socket closes once the answer is out.
      setImmediate(() => api.shutdown());
      return { stopping: true as const };
    });
  }

  private add<M extends Method>(
    method: M,
    handler: (params: z.output<(typeof paramsSchemas)[M]>, conn: Connection) => Results[M] | Promise<Results[M]>,
  ): void {
    this.rpc.addMethod(method, async (raw: unknown, conn: Connection) => {
      const parsed = paramsSchemas[method].safeParse(raw ?? undefined);
      if (!parsed.success) throw new JSONRPCErrorException(`invalid params for ${method}: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`, JSONRPCErrorCode.InvalidParams);
      try {
        return await handler(parsed.data as z.output<(typeof paramsSchemas)[M]>, conn);
      } catch (err) {
        if (err instanceof JSONRPCErrorException) throw err;
        const next = err instanceof AnwbisError ? err.next : undefined;
        throw new JSONRPCErrorException((err as Error).message, ERROR_CODES.failed, {
          ...(err instanceof AnwbisError ? { kind: err.kind } : {}),
          ...(next ? { next } : {}),
        });
      }
    });
  }

  /** Takes over an accepted connection. */
  accept(socket: Socket): void {
    if (this.connections.size >= MAX_CONNECTIONS) {
      socket.destroy();
      return;
    }
    const conn: Connection = { socket, authenticated: false, subscribed: false };
    this.connections.add(conn);
    socket.on('error', () => undefined);
    socket.on('close', () => this.connections.delete(conn));
    socket.setTimeout(HELLO_TIMEOUT_MS, () => {
      if (!conn.authenticated) socket.destroy();
    });
    let pending: Buffer[] = [];
    let pendingBytes = 0;
    socket.on('data', (chunk: Buffer) => {
      let start = 0;
      for (let nl = chunk.indexOf(10, start); nl !== -1; nl = chunk.indexOf(10, start)) {
        const piece = chunk.subarray(start, nl);
        start = nl + 1;
        if (pendingBytes + piece.length > MAX_LINE_BYTES) return socket.destroy();
        const line = pending.length === 0 ? piece : Buffer.concat([...pending, piece]);
        pending = [];
        pendingBytes = 0;
        this.line(conn, line);
        if (socket.destroyed) return;
      }
      const rest = chunk.subarray(start);
      pendingBytes += rest.length;
      if (pendingBytes > MAX_LINE_BYTES) return socket.destroy();
      if (rest.length > 0) pending.push(rest);
    });
  }

  private line(conn: Connection, bytes: Buffer): void {
    let message: unknown;
    try {
      const text = decoder.decode(bytes);
      if (text.trim() === '') return;
      message = JSON.parse(text);
    } catch {
      if (!conn.authenticated) return void conn.socket.destroy();
      return this.send(conn, { jsonrpc: '2.0', id: null, error: { code: JSONRPCErrorCode.ParseError, message: 'parse error: not one JSON value in UTF-8 on this line' } });
    }
    if (!conn.authenticated && !this.hello(conn, message)) return;
    void this.rpc.receive(message as JSONRPCRequest, conn).then(
      (response) => response && this.send(conn, response),
      () => undefined,
    );
  }

  /** The gate: a first message that is not a valid `hello` with the token closes the connection. */
  private hello(conn: Connection, message: unknown): boolean {
    const request = message as Partial<JSONRPCRequest> | null;
    const id = typeof request?.id === 'string' || typeof request?.id === 'number' ? request.id : null;
    const refuse = (code: number, text: string) => {
      this.send(conn, { jsonrpc: '2.0', id, error: { code, message: text } });
      conn.socket.end();
      return false;
    };
    if (typeof request !== 'object' || request === null || Array.isArray(request) || request.jsonrpc !== '2.0' || request.method !== 'hello') {
      return refuse(ERROR_CODES.unauthorized, 'the first message must be hello with the token');
    }
    const params = paramsSchemas.hello.safeParse(request.params);
    if (!params.success || !tokenMatches(params.data.token, this.token)) return refuse(ERROR_CODES.unauthorized, 'wrong or missing token');
    if (params.data.protocol !== PROTOCOL_VERSION) {
      return refuse(ERROR_CODES.protocolVersion, `this daemon speaks protocol ${PROTOCOL_VERSION}, the client ${params.data.protocol}: restart the daemon after upgrading anwbis`);
    }
    conn.authenticated = true;
    conn.socket.setTimeout(0);
    return true;
  }

  private send(conn: Connection, message: unknown): void {
    const socket = conn.socket;
    if (socket.destroyed || !socket.writable) return;
    socket.write(`${JSON.stringify(message)}\n`);
    if (socket.writableLength > MAX_PENDING_WRITE_BYTES) socket.destroy();
  }

  /** Sends an event to every subscriber. */
  broadcast(event: DaemonEvent): void {
    for (const conn of this.connections) if (conn.subscribed) this.send(conn, { jsonrpc: '2.0', method: EVENT_METHOD, params: event });
  }

  closeAll(): void {
    for (const conn of this.connections) conn.socket.destroy();
  }
}
