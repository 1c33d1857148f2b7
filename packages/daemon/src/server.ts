/**
 * The socket side of the daemon: framing, the `hello` gate, and JSON-RPC dispatch (the
 * `json-rpc-2.0` library) with every request's params checked by its schema. Nothing a client
 * sends can stop the daemon: bad input answers an error or closes that one connection.
 */
import type { Socket } from 'node:net';
import { JSONRPCErrorCode, JSONRPCErrorException, JSONRPCServer, type JSONRPCRequest, type JSONRPCResponse } from 'json-rpc-2.0';
import { z } from 'zod';
import { AnwbisError } from '@anwbis/core';
import { tokenMatches } from './socket-dir.js';
import { ERROR_CODES, EVENT_METHOD, MAX_ANSWER_BYTES, MAX_BATCH_REQUESTS, MAX_LINE_BYTES, PROTOCOL_VERSION, paramsSchemas, type Method, type Results } from './protocol.js';
import type { DaemonEvent } from './scheduler.js';

/** Methods about the connection they come on: the server answers them itself, with the daemon's help. */
type ConnectionMethod = 'hello' | 'subscribe' | 'shutdown' | 'credentials.hold' | 'credentials.fetch';
/** A method answered from its params alone. */
export type PlainMethod = Exclude<Method, ConnectionMethod>;
/** What the daemon answers a method, its params checked by the method's schema already. */
export type MethodHandler<M extends Method> = (params: z.output<(typeof paramsSchemas)[M]>) => Results[M] | Promise<Results[M]>;
/** A handler for each plain method: a method added to the protocol's schemas wants one more entry here. */
export type MethodHandlers = { readonly [M in PlainMethod]: MethodHandler<M> };

/** What the daemon does for each method; the server only checks, dispatches and frames. */
export interface DaemonApi {
  readonly version: string;
  readonly methods: MethodHandlers;
  shutdown(): void;
  /** A grant of a profile's credentials, kept fresh until `release`. */
  holdCredentials(watch: z.output<(typeof paramsSchemas)['credentials.hold']>['watch']): Promise<{ result: Results['credentials.hold']; release: () => void }>;
  /** A granted profile's credentials now; throws what the program should be told. */
  fetchCredentials(profile: string): Promise<Results['credentials.fetch']>;
}

/** The connection a method added with {@link RpcServer.extend} answers; one per connection. */
export interface Caller {
  /** Sends a notification to this connection only. */
  notify(method: string, params: unknown): void;
  /** Resolves once the connection has closed. */
  readonly closed: Promise<void>;
}

interface Connection {
  readonly socket: Socket;
  caller?: Caller;
  authenticated: boolean;
  subscribed: boolean;
  /** The profiles this connection holds grants of (a profile may be held more than once). */
  readonly held: string[];
  /** Lines (a request or a batch each) being answered. */
  answering: number;
  /** Lines read while {@link MAX_ANSWERING} were being answered; the socket is not read meanwhile. */
  readonly waiting: Buffer[];
  /** Bytes of a batch's answers made and not yet written. */
  building: number;
}

/**
 * How many connections of each kind the daemon serves at once. Every `anwbis exec --server`
 * holds a connection for as long as its command runs, so grant holders have a limit of their
 * own, apart from the short-lived clients (status, stop, watch, the TUI): a thousand running
 * programs never lock out `anwbis daemon stop`. A connection that has not said hello yet costs
 * the least to refuse and is the easiest to open by the hundred, so it gets little time and
 * few places.
 */
export interface ConnectionLimits {
  /** Connections that have not said hello yet. */
  readonly unauthenticated: number;
  /** How long a connection has to say hello. */
  readonly helloTimeoutMs: number;
  /** Authenticated connections that hold no grant. */
  readonly clients: number;
  /** Connections that hold a grant. */
  readonly holders: number;
}

export const DEFAULT_CONNECTION_LIMITS: ConnectionLimits = { unauthenticated: 128, helloTimeoutMs: 5000, clients: 256, holders: 4096 };

/** A program holds one grant; more on one connection only ever come from a client gone wrong. */
const MAX_GRANTS_PER_CONNECTION = 16;
/** A subscriber that stops reading is dropped rather than buffered without limit. */
const MAX_PENDING_WRITE_BYTES = 8 * 1024 * 1024;
/**
 * Answers waiting to be read, by every client together: the daemon's heap is 96 MB, and 16
 * clients that ask for a big answer and never read would each be within their own limit.
 */
const MAX_PENDING_WRITE_BYTES_TOTAL = 16 * 1024 * 1024;
/**
 * Lines of one connection answered at once. Every answer is in memory until it is written, so a
 * client that sends thousands of requests in one write must wait for the first answers.
 */
const MAX_ANSWERING = 4;
const decoder = new TextDecoder('utf-8', { fatal: true });

/** Serves the protocol on accepted sockets and pushes events to subscribers. */
export class RpcServer {
  private readonly rpc = new JSONRPCServer<Connection>({ errorListener: () => undefined });
  private readonly connections = new Set<Connection>();

  constructor(
    private readonly api: DaemonApi,
    private readonly token: string,
    private readonly limits: ConnectionLimits = DEFAULT_CONNECTION_LIMITS,
    private readonly warn: (line: string) => void = () => undefined,
  ) {
    this.add('hello', () => ({ protocol: PROTOCOL_VERSION, version: api.version, pid: process.pid }));
    const methods = api.methods as Record<PlainMethod, MethodHandler<PlainMethod>>;
    for (const method of Object.keys(methods) as PlainMethod[]) this.add(method, methods[method]);
    this.add('subscribe', (_p, conn) => {
      conn.subscribed = true;
      return { subscribed: true as const };
    });
    this.add('credentials.hold', async (p, conn) => {
      if (conn.held.length >= MAX_GRANTS_PER_CONNECTION) {
        throw busy(`this connection already holds ${MAX_GRANTS_PER_CONNECTION} grants`, 'hold each grant on a connection of its own, as anwbis exec --server does');
      }
      if (conn.held.length === 0 && this.count((c) => c.held.length > 0) >= limits.holders) {
        throw busy(`the daemon already holds grants for ${limits.holders} programs (one per running anwbis exec --server)`, 'let some of them end, then run this again');
      }
      const { result, release } = await api.holdCredentials(p.watch);
      // The grant lives exactly as long as the connection that asked for it.
      if (conn.socket.destroyed) {
        release();
        return result;
      }
      conn.held.push(p.watch.profile);
      conn.socket.once('close', release);
      return result;
    });
    this.add('credentials.fetch', (p, conn) => {
      if (!conn.held.includes(p.profile)) throw new JSONRPCErrorException(`this connection holds no grant of ${p.profile}`, ERROR_CODES.failed, { next: 'ask for one with credentials.hold first' });
      return api.fetchCredentials(p.profile);
    });
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
    this.register(method, paramsSchemas[method], handler as (params: unknown, conn: Connection) => unknown);
  }

  /** Adds a method defined outside this file, whose handler may talk back to the connection that asked. */
  extend<S extends z.ZodType>(method: string, schema: S, handler: (params: z.output<S>, caller: Caller) => Promise<unknown>): void {
    this.register(method, schema, (params, conn) => handler(params as z.output<S>, (conn.caller ??= this.callerOf(conn))));
  }

  private callerOf(conn: Connection): Caller {
    return {
      notify: (method, params) => this.send(conn, { jsonrpc: '2.0', method, params }),
      closed: new Promise((resolve) => (conn.socket.destroyed ? resolve() : conn.socket.once('close', () => resolve()))),
    };
  }

  private register(method: string, schema: z.ZodType, handler: (params: unknown, conn: Connection) => unknown): void {
    this.rpc.addMethod(method, async (raw: unknown, conn: Connection) => {
      const parsed = schema.safeParse(raw ?? undefined);
      if (!parsed.success) throw new JSONRPCErrorException(`invalid params for ${method}: ${z.prettifyError(parsed.error).replace(/\n/g, '; ')}`, JSONRPCErrorCode.InvalidParams);
      try {
        return await handler(parsed.data, conn);
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
    const conn: Connection = { socket, authenticated: false, subscribed: false, held: [], answering: 0, waiting: [], building: 0 };
    socket.on('error', () => undefined);
    if (this.count((c) => !c.authenticated) >= this.limits.unauthenticated) {
      // Said before any hello, so the client can name the cause instead of a closed connection.
      const full = `the daemon has ${this.limits.unauthenticated} connections that have not said hello yet (each gets ${this.limits.helloTimeoutMs / 1000} s)`;
      // Destroyed once written: a connection kept for its peer to close would be one more unlimited.
      const line = { jsonrpc: '2.0', id: null, error: { code: ERROR_CODES.busy, message: full, data: { next: 'run this again in a few seconds; if it persists, look for a program that connects to the daemon socket and says nothing' } } };
      socket.end(`${JSON.stringify(line)}\n`, () => socket.destroy());
      return;
    }
    this.connections.add(conn);
    socket.on('close', () => this.connections.delete(conn));
    socket.setTimeout(this.limits.helloTimeoutMs, () => {
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
    if (conn.answering >= MAX_ANSWERING) {
      conn.waiting.push(bytes);
      conn.socket.pause();
      return;
    }
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
    conn.answering++;
    void this.answer(conn, message)
      .catch(() => undefined)
      .finally(() => {
        conn.answering--;
        while (conn.answering < MAX_ANSWERING && conn.waiting.length > 0 && !conn.socket.destroyed) this.line(conn, conn.waiting.shift()!);
        if (conn.waiting.length === 0) conn.socket.resume();
      });
  }

  /**
   * Answers a request, or a batch one request after another (answered at once, they would all be
   * in memory together). An answer line past {@link MAX_ANSWER_BYTES} is not sent: errors that
   * name the limit take the place of the answers that do not fit.
   */
  private async answer(conn: Connection, message: unknown): Promise<void> {
    if (!Array.isArray(message)) {
      const response = await this.rpc.receive(message as JSONRPCRequest, conn);
      if (!response) return;
      // Checked right before the answer is made: answers that waited for one shared result
      // resume together, and an await between check and write would let each pass it.
      while (this.overBudget() && (await this.makeRoom()));
      if (!conn.socket.destroyed) this.write(conn, fitted(response, MAX_ANSWER_BYTES));
      return;
    }
    if (message.length === 0) return this.send(conn, { jsonrpc: '2.0', id: null, error: { code: JSONRPCErrorCode.InvalidRequest, message: 'an empty batch' } });
    if (message.length > MAX_BATCH_REQUESTS) {
      return this.send(conn, { jsonrpc: '2.0', id: null, error: { code: ERROR_CODES.tooLarge, message: `a batch may hold at most ${MAX_BATCH_REQUESTS} requests; this one holds ${message.length}` } });
    }
    const answers: string[] = [];
    let room = MAX_ANSWER_BYTES - 2;
    try {
      for (const request of message) {
        const response = await this.rpc.receive(request as JSONRPCRequest, conn);
        if (!response) continue;
        while (this.overBudget() && (await this.makeRoom()));
        if (conn.socket.destroyed) return;
        const text = fitted(response, room);
        const bytes = Buffer.byteLength(text) + 1;
        answers.push(text);
        room -= bytes;
        conn.building += bytes;
      }
      if (answers.length > 0 && !conn.socket.destroyed) this.write(conn, `[${answers.join(',')}]`);
    } finally {
      conn.building = 0;
    }
  }

  /**
   * Whether the answers not yet read by their clients, and batches being answered, are past
   * {@link MAX_PENDING_WRITE_BYTES_TOTAL}: they are held in the daemon's heap. A closed
   * client's answers count until its socket is gone.
   */
  private overBudget(): boolean {
    let total = 0;
    for (const c of this.connections) total += held(c);
    return total > MAX_PENDING_WRITE_BYTES_TOTAL;
  }

  /** Closes the client furthest behind (the one that does not read) and waits until its socket is gone; false when there is none. */
  private async makeRoom(): Promise<boolean> {
    let behind: Connection | undefined;
    let closing: Connection | undefined;
    for (const c of this.connections) {
      if (c.socket.destroyed) closing = c;
      else if (held(c) > 0 && (!behind || held(c) > held(behind))) behind = c;
    }
    if (behind) this.drop(behind);
    const gone = behind ?? closing;
    if (!gone) return false;
    await new Promise((resolve) => gone.socket.once('close', resolve));
    return true;
  }

  /** The gate: a first message that is not a valid `hello` with the token closes the connection. */
  private hello(conn: Connection, message: unknown): boolean {
    const request = message as Partial<JSONRPCRequest> | null;
    const id = typeof request?.id === 'string' || typeof request?.id === 'number' ? request.id : null;
    const refuse = (code: number, text: string, next?: string) => {
      this.send(conn, { jsonrpc: '2.0', id, error: { code, message: text, ...(next ? { data: { next } } : {}) } });
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
    if (this.count((c) => c.authenticated && c.held.length === 0) >= this.limits.clients) {
      return refuse(ERROR_CODES.busy, `the daemon already serves ${this.limits.clients} clients (anwbis watch, the TUI, status and others that hold no grant)`, 'end some of them, then run this again');
    }
    conn.authenticated = true;
    conn.socket.setTimeout(0);
    return true;
  }

  private count(which: (conn: Connection) => boolean): number {
    let n = 0;
    for (const conn of this.connections) if (which(conn)) n++;
    return n;
  }

  private send(conn: Connection, message: unknown): void {
    this.write(conn, JSON.stringify(message));
  }

  private write(conn: Connection, line: string): void {
    const socket = conn.socket;
    if (socket.destroyed || !socket.writable) return;
    socket.write(`${line}\n`);
    if (socket.writableLength > MAX_PENDING_WRITE_BYTES) this.drop(conn);
  }

  /** Closes a client that does not read what it is answered. */
  private drop(conn: Connection): void {
    this.warn(`closed a client that left ${Math.round(held(conn) / (1024 * 1024))} MB of answers unread`);
    conn.waiting.length = 0;
    conn.socket.destroy();
  }

  /** Sends an event to every subscriber. */
  broadcast(event: DaemonEvent): void {
    for (const conn of this.connections) if (conn.subscribed) this.send(conn, { jsonrpc: '2.0', method: EVENT_METHOD, params: event });
  }

  closeAll(): void {
    for (const conn of this.connections) conn.socket.destroy();
  }
}

function busy(message: string, next: string): JSONRPCErrorException {
  return new JSONRPCErrorException(message, ERROR_CODES.busy, { next });
}

/** What a connection's answers hold in memory. */
function held(conn: Connection): number {
  return conn.socket.writableLength + conn.building;
}

/** The response as a line, or an error that names the limit when it is longer than `room` bytes. */
function fitted(response: JSONRPCResponse, room: number): string {
  const text = JSON.stringify(response);
  const bytes = Buffer.byteLength(text);
  if (bytes <= room) return text;
  const why = room < MAX_ANSWER_BYTES - 2 ? `with the answers before it in this batch, more than the ${MAX_ANSWER_BYTES} bytes an answer line may be; send it on its own` : `more than the ${MAX_ANSWER_BYTES} bytes an answer may be`;
  return JSON.stringify({ jsonrpc: '2.0', id: response.id, error: { code: ERROR_CODES.tooLarge, message: `the answer is ${bytes} bytes, ${why}` } });
}
