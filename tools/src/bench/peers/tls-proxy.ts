import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TLSSocket, createSecureContext } from 'node:tls';

/** The AWS hosts the Go peers may call for STS and IAM in us-east-1; the proxy answers for these only. */
export const AWS_HOSTS = ['sts.amazonaws.com', 'sts.us-east-1.amazonaws.com', 'iam.amazonaws.com'] as const;

/** A loopback HTTPS_PROXY that terminates TLS for {@link AWS_HOSTS} and forwards over plain HTTP. */
export interface TlsInterceptor {
  /** `http://127.0.0.1:PORT`, for `HTTPS_PROXY`. */
  readonly proxyUrl: string;
  /** Stop listening, drop the tunnels. Safe to call twice. */
  close(): Promise<void>;
}

/** A CA that lives for one run and a leaf certificate signed by it, for the AWS hosts and 127.0.0.1. */
export interface ThrowAwayCertificates {
  /** PEM file of the CA, for `SSL_CERT_FILE` (Go reads it instead of the system roots) and `NODE_EXTRA_CA_CERTS`. */
  readonly caFile: string;
  readonly key: string;
  readonly cert: string;
  /** Deletes the CA's directory. */
  remove(): void;
}

function openssl(args: readonly string[], cwd: string): void {
  const res = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (res.error || res.status !== 0) throw new Error(`openssl ${args[0]} failed: ${res.error?.message ?? res.stderr}`);
}

/**
 * Makes a CA that lives only for this run (key and certificate in a 0700 temp dir) and one leaf
 * certificate for the AWS hosts and 127.0.0.1, signed by it.
 */
export function makeThrowAwayCertificates(): ThrowAwayCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'anwbis-bench-ca-'));
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=anwbis bench throw-away CA', '-keyout', 'ca.key', '-out', 'ca.pem',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign'], dir);
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-subj', `/CN=${AWS_HOSTS[0]}`, '-keyout', 'leaf.key', '-out', 'leaf.csr'], dir);
  writeFileSync(join(dir, 'leaf.ext'), `subjectAltName=${AWS_HOSTS.map((h) => `DNS:${h}`).join(',')},IP:127.0.0.1\nextendedKeyUsage=serverAuth\n`);
  openssl(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1',
    '-extfile', 'leaf.ext', '-out', 'leaf.pem'], dir);
  return {
    caFile: join(dir, 'ca.pem'),
    key: readFileSync(join(dir, 'leaf.key'), 'utf8'),
    cert: readFileSync(join(dir, 'leaf.pem'), 'utf8'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/**
 * Starts a CONNECT proxy on 127.0.0.1 (a free port). A tunnel to one of {@link AWS_HOSTS} on
 * port 443 is answered here: TLS is terminated with the throw-away certificate and each request
 * inside is sent on, headers unchanged (SigV4 signs the `host` header, which stays the AWS name),
 * to `target` over plain HTTP. Any other tunnel is refused, so nothing leaves the machine.
 * Each tunnel gets its own connection to `target`, so a proxy there that charges connection
 * set-up charges the client's connection to AWS, neither less (shared) nor more (per request).
 */
export async function startTlsInterceptor(options: { target: string; certificates: ThrowAwayCertificates }): Promise<TlsInterceptor> {
  const target = new URL(options.target);
  const context = createSecureContext({ key: options.certificates.key, cert: options.certificates.cert });
  const sockets = new Set<Socket>();
  const agents = new WeakMap<object, Agent>();

  const inner = createServer((req: IncomingMessage, res: ServerResponse) => {
    let agent = agents.get(req.socket);
    if (agent === undefined) {
      const created = new Agent({ keepAlive: true, maxSockets: 1 });
      agents.set(req.socket, created);
      req.socket.once('close', () => created.destroy());
      agent = created;
    }
    const upstream = request(
      { hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`tls interceptor: ${err.message}\n`);
    });
    req.pipe(upstream);
  });

  const outer = createServer((_req, res) => {
    res.writeHead(405, { 'content-type': 'text/plain' }).end('only CONNECT\n');
  });
  outer.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    const [host, port] = (req.url ?? '').split(':');
    if (port !== '443' || !(AWS_HOSTS as readonly string[]).includes(host ?? '')) {
      socket.end('HTTP/1.1 403 Forbidden\r\n\r\n');
      return;
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
    if (head.length) socket.unshift(head);
    const tls = new TLSSocket(socket, { isServer: true, secureContext: context });
    tls.on('error', () => socket.destroy());
    inner.emit('connection', tls);
  });

  await new Promise<void>((resolve, reject) => {
    outer.once('error', reject);
    outer.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = outer.address() as AddressInfo;
  let closed: Promise<void> | undefined;
  return {
    proxyUrl: `http://127.0.0.1:${port}`,
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        inner.closeAllConnections();
        outer.close(() => resolve());
        outer.closeAllConnections();
      });
      return closed;
    },
  };
}
