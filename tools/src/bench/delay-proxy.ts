import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/** A loopback HTTP proxy that adds a fixed latency to every request it forwards. */
export interface DelayProxy {
  /** Base URL to point clients at (e.g. as `AWS_ENDPOINT_URL`). */
  readonly endpoint: string;
  /** The same proxy over HTTPS (`https://127.0.0.1:PORT`), when {@link DelayProxyOptions.tls} was given. */
  readonly tlsEndpoint?: string;
  /** Client connections accepted so far (each charged {@link DelayProxyOptions.connectMs}). */
  readonly connections: number;
  /** Requests received so far (counted on arrival, before the delay). */
  readonly requests: number;
  /** Every request so far, in arrival order, with when it arrived and when its answer was sent. */
  readonly log: readonly ProxiedRequest[];
  /** Stop listening, drop open connections and wait until the server is gone. Safe to call twice. */
  close(): Promise<void>;
}

/** One request as the proxy saw it; times are `performance.now()` milliseconds. */
export interface ProxiedRequest {
  readonly method: string;
  readonly url: string;
  /** The AWS action (`AssumeRole`, `ListMFADevices`…) when the request names one, else ''. */
  action: string;
  readonly arrivedAt: number;
  /** When the answer was fully sent (or the exchange failed); undefined while in flight. */
  finishedAt?: number;
}

/**
 * The requests grouped by round trip, in order: a new round starts with a request that arrives
 * after every earlier request has been answered; requests in flight together share a round.
 * `roundTrips(log).length` is how many round trips they cost one after the other.
 */
export function roundTrips(requests: readonly ProxiedRequest[]): ProxiedRequest[][] {
  const rounds: ProxiedRequest[][] = [];
  let busyUntil = -Infinity;
  for (const r of [...requests].sort((a, b) => a.arrivedAt - b.arrivedAt)) {
    if (r.arrivedAt >= busyUntil || rounds.length === 0) rounds.push([]);
    rounds.at(-1)!.push(r);
    busyUntil = Math.max(busyUntil, r.finishedAt ?? Infinity);
  }
  return rounds;
}

export interface DelayProxyOptions {
  /** Base URL every request is forwarded to, e.g. the moto endpoint `http://127.0.0.1:5000`. */
  readonly target: string;
  /** How long each request is held before it is forwarded, in milliseconds. */
  readonly delayMs: number;
  /**
   * Connection set-up, charged once per client connection on top of its first request's delay
   * (default 0): a TCP handshake and a TLS handshake as the round trips they cost to a far
   * region. A client that keeps a connection alive pays it once; one that connects per process
   * pays it every time.
   */
  readonly connectMs?: number;
  /** How long a kept-alive client connection may sit idle before the proxy closes it (default Node's 5 s). */
  readonly idleMs?: number;
  /** Also listen on HTTPS with this certificate (see {@link DelayProxy.tlsEndpoint}), so a client pays a real TLS handshake. */
  readonly tls?: { readonly key: string; readonly cert: string };
}

/**
 * Starts a proxy on 127.0.0.1 (a free port) that holds each request for `delayMs`, then forwards
 * it unchanged (method, path, headers including `host`, body) to `target` and streams the answer
 * back. Headers are kept byte for byte so SigV4 signatures stay valid. It simulates one network
 * round trip of `delayMs` per request: N sequential requests cost about N × delay, N concurrent
 * ones about one delay.
 */
export async function startDelayProxy(options: DelayProxyOptions): Promise<DelayProxy> {
  const target = new URL(options.target);
  if (target.protocol !== 'http:') throw new Error(`delay proxy: only http targets are supported, not ${target.href}`);
  const basePath = target.pathname.replace(/\/$/, '');
  const agent = new Agent({ keepAlive: true });
  const log: ProxiedRequest[] = [];

  const forward = (req: IncomingMessage, body: Buffer, res: ServerResponse): void => {
    const upstream = request(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: basePath + (req.url ?? '/'),
        headers: req.headers,
        agent,
      },
      (answer) => {
        // moto's server closes every connection (`connection: close`); AWS keeps them open.
        // Passed on, it made every client open a new connection per request, a cost of the
        // emulator and not of AWS. Connection headers are hop-by-hop: this leg keeps alive.
        const { connection: _connection, 'keep-alive': _keepAlive, ...headers } = answer.headers;
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`delay proxy: ${err.message}\n`);
    });
    upstream.end(body);
  };

  const connectMs = options.connectMs ?? 0;
  // When each connection's set-up is over; its requests are held from then on.
  const readyAt = new WeakMap<Socket, number>();
  let connections = 0;
  const onConnection = (socket: Socket) => {
    connections++;
    readyAt.set(socket, performance.now() + connectMs);
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const entry: ProxiedRequest = { method: req.method ?? '', url: req.url ?? '', action: '', arrivedAt: performance.now() };
    log.push(entry);
    // The body is read while the request is held (AWS request bodies are small), then sent on
    // in one piece once the delay is over.
    const chunks: Buffer[] = [];
    const bodyRead = new Promise<Buffer>((resolve, reject) => {
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.once('end', () => resolve(Buffer.concat(chunks)));
      req.once('error', reject);
    });
    const held = new Promise<void>((resolve) => {
      const ready = readyAt.get(req.socket) ?? 0;
      const timer = setTimeout(resolve, Math.max(0, ready - performance.now()) + options.delayMs);
      // A client that goes away while its request is held is not forwarded.
      res.once('close', () => {
        clearTimeout(timer);
        entry.finishedAt = performance.now();
      });
    });
    Promise.all([bodyRead, held]).then(
      ([body]) => {
        entry.action = awsAction(req, body);
        if (!res.destroyed) forward(req, body, res);
      },
      () => res.destroy(),
    );
  };

  const plain = createServer(handle).on('connection', onConnection);
  const servers: Server[] = [plain];
  // Its requests arrive on the TLS socket, so that is the one whose set-up is recorded.
  if (options.tls) servers.push(createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handle).on('secureConnection', onConnection));
  const ports: number[] = [];
  for (const server of servers) {
    if (options.idleMs !== undefined) server.keepAliveTimeout = options.idleMs;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    ports.push((server.address() as AddressInfo).port);
  }

  let closed: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${ports[0]}`,
    ...(options.tls ? { tlsEndpoint: `https://127.0.0.1:${ports[1]}` } : {}),
    get connections() {
      return connections;
    },
    get requests() {
      return log.length;
    },
    log,
    close() {
      closed ??= Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      ).then(() => agent.destroy());
      return closed;
    },
  };
}

/** The action of an AWS Query (`Action=` in the form body or URL) or JSON (`X-Amz-Target`) request. */
function awsAction(req: IncomingMessage, body: Buffer): string {
  const target = req.headers['x-amz-target'];
  if (typeof target === 'string') return target.split('.').pop() ?? '';
  const fromUrl = new URL(req.url ?? '/', 'http://localhost').searchParams.get('Action');
  if (fromUrl) return fromUrl;
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/x-www-form-urlencoded')) return new URLSearchParams(body.toString('utf8')).get('Action') ?? '';
  return '';
}
