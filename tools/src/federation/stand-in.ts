/**
 * A stand-in for the AWS console federation endpoint (`https://signin.aws.amazon.com/federation`).
 *
 * moto has no federation endpoint, so console sign-in tests point `ANWBIS_FEDERATION_ENDPOINT`
 * here instead. It follows the behaviour AWS documents for custom identity brokers and no more:
 *
 * - `GET ?Action=getSigninToken&Session=<JSON>[&SessionDuration=<900..43200>]`: the session must
 *   be a JSON object with exactly `sessionId`, `sessionKey` and `sessionToken` (strings); the
 *   answer is `{"SigninToken":"…"}`. A token is valid for 15 minutes.
 * - `GET ?Action=login&Issuer=…&Destination=…&SigninToken=…`: with a valid token, a redirect to
 *   the destination. Here the destination is not the real console but a landing page on this
 *   server (`/console-landing?dest=<destination>`), so a test can see that the browser arrived.
 *
 * It listens on 127.0.0.1 only, on a free port.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const TOKEN_LIFETIME_MS = 15 * 60 * 1000;
const SESSION_KEYS = ['sessionId', 'sessionKey', 'sessionToken'];

/** A getSigninToken request the stand-in accepted. */
export interface RecordedSession {
  readonly sessionId: string;
  readonly sessionKey: string;
  readonly sessionToken: string;
  readonly sessionDuration: number | undefined;
  /** The token it issued for this session. */
  readonly signinToken: string;
}

/** A login request, accepted or not. */
export interface RecordedLogin {
  readonly issuer: string | null;
  readonly destination: string | null;
  readonly signinToken: string | null;
  /** Whether the token was one this stand-in issued less than 15 minutes ago. */
  readonly tokenValid: boolean;
}

/** A request for the landing page, i.e. a browser that followed the login redirect. */
export interface RecordedLanding {
  /** The console destination the login asked for. */
  readonly destination: string | null;
  readonly userAgent: string | undefined;
}

/** A request the stand-in refused, with the reason it gave. */
export interface RecordedRefusal {
  readonly status: number;
  readonly reason: string;
}

export interface FederationStandIn {
  /** The federation URL to put in `ANWBIS_FEDERATION_ENDPOINT`. */
  readonly endpoint: string;
  readonly sessions: readonly RecordedSession[];
  readonly logins: readonly RecordedLogin[];
  readonly landings: readonly RecordedLanding[];
  readonly refusals: readonly RecordedRefusal[];
  close(): Promise<void>;
}

export interface FederationStandInOptions {
  /**
   * Whether a well-formed session is accepted. AWS refuses credentials from GetSessionToken and
   * long-term keys with HTTP 400; a test imitates that by refusing their `sessionId`s here.
   */
  readonly acceptSession?: (session: Omit<RecordedSession, 'signinToken' | 'sessionDuration'>) => boolean;
}

function parseSession(raw: string | null): Omit<RecordedSession, 'signinToken' | 'sessionDuration'> | string {
  if (raw === null) return 'Session is missing';
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return 'Session is not JSON';
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'Session is not a JSON object';
  const keys = Object.keys(value).sort();
  if (keys.join(',') !== [...SESSION_KEYS].sort().join(',')) return `Session has keys ${keys.join(',')}`;
  const fields = value as Record<string, unknown>;
  const { sessionId, sessionKey, sessionToken } = fields;
  if (typeof sessionId !== 'string' || typeof sessionKey !== 'string' || typeof sessionToken !== 'string') {
    return 'Session values are not strings';
  }
  if (sessionId === '' || sessionKey === '' || sessionToken === '') return 'Session values are empty';
  return { sessionId, sessionKey, sessionToken };
}

function parseDuration(raw: string | null): number | undefined | string {
  if (raw === null) return undefined;
  const seconds = Number(raw);
  return /^\d+$/.test(raw) && seconds >= 900 && seconds <= 43_200 ? seconds : `SessionDuration ${raw} is out of range`;
}

/** Starts the stand-in; see the file's comment for what it does. */
export async function startFederationStandIn(options: FederationStandInOptions = {}): Promise<FederationStandIn> {
  const sessions: RecordedSession[] = [];
  const logins: RecordedLogin[] = [];
  const landings: RecordedLanding[] = [];
  const refusals: RecordedRefusal[] = [];
  const issued = new Map<string, number>();

  const refuse = (res: ServerResponse, status: number, reason: string): void => {
    refusals.push({ status, reason });
    res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Error</title><p>Bad request</p>');
  };

  const federation = (url: URL, res: ServerResponse): void => {
    const action = url.searchParams.get('Action');
    if (action === 'getSigninToken') {
      const session = parseSession(url.searchParams.get('Session'));
      if (typeof session === 'string') return refuse(res, 400, session);
      const sessionDuration = parseDuration(url.searchParams.get('SessionDuration'));
      if (typeof sessionDuration === 'string') return refuse(res, 400, sessionDuration);
      if (options.acceptSession && !options.acceptSession(session)) return refuse(res, 400, 'credentials cannot sign in');
      // Base64 with + / = so that clients which do not encode the token are caught.
      const signinToken = randomBytes(96).toString('base64');
      issued.set(signinToken, Date.now());
      sessions.push({ ...session, sessionDuration, signinToken });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ SigninToken: signinToken }));
      return;
    }
    if (action === 'login') {
      const signinToken = url.searchParams.get('SigninToken');
      const destination = url.searchParams.get('Destination');
      const issuedAt = signinToken === null ? undefined : issued.get(signinToken);
      const tokenValid = issuedAt !== undefined && Date.now() - issuedAt < TOKEN_LIFETIME_MS;
      logins.push({ issuer: url.searchParams.get('Issuer'), destination, signinToken, tokenValid });
      if (!tokenValid) return refuse(res, 400, 'SigninToken is not valid');
      if (!destination) return refuse(res, 400, 'Destination is missing');
      const landing = new URL('/console-landing', url);
      landing.searchParams.set('dest', destination);
      res.writeHead(302, { location: landing.pathname + landing.search }).end();
      return;
    }
    refuse(res, 400, `unknown Action ${action ?? '(none)'}`);
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method !== 'GET') return refuse(res, 405, `method ${req.method ?? ''}`);
    if (url.pathname === '/federation') return federation(url, res);
    if (url.pathname === '/console-landing') {
      landings.push({ destination: url.searchParams.get('dest'), userAgent: req.headers['user-agent'] });
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Console</title><h1>Signed in</h1>');
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}/federation`,
    sessions,
    logins,
    landings,
    refusals,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
