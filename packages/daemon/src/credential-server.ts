import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TemporaryCredentials } from '@anwbis/core';

/** Where the credentials of a profile come from when a program asks for them. */
export type CredentialSource = (profile: string) => Promise<TemporaryCredentials>;

/** One program's right to one profile's credentials, for as long as it runs. */
export interface CredentialGrant {
  /** `AWS_CONTAINER_CREDENTIALS_FULL_URI` for the program. */
  readonly uri: string;
  /** `AWS_CONTAINER_AUTHORIZATION_TOKEN` for the program: 32 random bytes, base64url. */
  readonly token: string;
  readonly profile: string;
  /** Ends the grant: its token is refused from then on. */
  revoke(): void;
}

/** A container-credentials endpoint (`anwbis exec --server` serves one to its command). */
export interface CredentialServer {
  readonly port: number;
  /**
   * The listening socket's file descriptor (undefined where Node does not show it), for the
   * served program to inherit: while any process holds it open, no one else can bind the port.
   */
  readonly fd: number | undefined;
  /** Gives a program the right to one profile's credentials until {@link CredentialGrant.revoke}. */
  grant(profile: string): CredentialGrant;
  /** How many grants are live (for status). */
  readonly grants: number;
  close(): Promise<void>;
}

/** Answers an SDK can report: the container provider shows `message`. */
export class CredentialsUnavailable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialsUnavailable';
  }
}

const PATH_PREFIX = '/credentials/';

const digest = (token: string) => createHash('sha256').update(token).digest();

/**
 * Serves AWS's container-credentials format (`AccessKeyId`, `SecretAccessKey`, `Token`,
 * `Expiration`) on 127.0.0.1 and a random port, which every AWS SDK and the CLI accept over
 * plain HTTP because it is loopback. A request must be a GET of `/credentials/<profile>` with the
 * `Authorization` token granted for that very profile (compared in constant time; a wrong,
 * missing or other profile's token gets 403 and no hint), and a `Host` of exactly this address
 * and port, so a web page cannot reach it through DNS rebinding. Each answer is read from
 * `source` at request time: a refresh the daemon made is what the next SDK call gets.
 * With `onEnd`, a DELETE of the same path with the same token is answered 204 and calls it:
 * `anwbis env --unset` ends a shell's endpoint with the token only that shell holds.
 */
export async function startCredentialServer(source: CredentialSource, options: { onEnd?: () => void } = {}): Promise<CredentialServer> {
  const grants = new Map<string, { profile: string; digest: Buffer }>();
  let port = 0;

  const refuse = (res: ServerResponse, status: number) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify({ code: status === 405 ? 'MethodNotAllowed' : status === 404 ? 'NotFound' : 'Forbidden', message: 'refused' }));
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    if (req.headers.host !== `127.0.0.1:${port}`) return refuse(res, 403);
    const ending = req.method === 'DELETE' && options.onEnd !== undefined;
    if (req.method !== 'GET' && !ending) return refuse(res, 405);
    const url = req.url ?? '';
    if (!url.startsWith(PATH_PREFIX) || url.includes('?')) return refuse(res, 404);
    const header = req.headers.authorization;
    if (typeof header !== 'string' || header === '') return refuse(res, 403);
    const presented = digest(header);
    let profile: string | undefined;
    for (const grant of grants.values()) {
      if (timingSafeEqual(grant.digest, presented)) profile = grant.profile;
    }
    let asked: string;
    try {
      asked = decodeURIComponent(url.slice(PATH_PREFIX.length));
    } catch {
      return refuse(res, 404);
    }
    if (profile === undefined || profile !== asked) return refuse(res, 403);
    if (ending) {
      res.writeHead(204, { 'cache-control': 'no-store' }).end();
      return options.onEnd!();
    }
    try {
      const c = await source(profile);
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ AccessKeyId: c.accessKeyId, SecretAccessKey: c.secretAccessKey, Token: c.sessionToken, Expiration: c.expiration.toISOString() }));
    } catch (error) {
      const message = error instanceof CredentialsUnavailable ? error.message : 'anwbis could not get credentials for this profile; see anwbis daemon status';
      res.writeHead(503, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ code: 'CredentialsUnavailable', message }));
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) refuse(res, 403);
      else res.destroy();
    });
  });
  // Credential fetches are tiny: a stalled client must not hold a connection for long.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  // Node has no public way to the descriptor of a listening socket; libuv's handle has it.
  const fd = (server as unknown as { _handle?: { fd?: number } })._handle?.fd;

  return {
    port,
    fd: typeof fd === 'number' && fd >= 0 ? fd : undefined,
    get grants() {
      return grants.size;
    },
    grant(profile) {
      const token = randomBytes(32).toString('base64url');
      const id = randomBytes(8).toString('hex');
      grants.set(id, { profile, digest: digest(token) });
      return {
        uri: `http://127.0.0.1:${port}${PATH_PREFIX}${encodeURIComponent(profile)}`,
        token,
        profile,
        revoke: () => void grants.delete(id),
      };
    },
    close: () =>
      new Promise<void>((resolve) => {
        grants.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
