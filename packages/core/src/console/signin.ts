import { AnwbisError } from '../errors/errors.js';
import { sanitizeRemoteText } from '../errors/sanitize.js';
import type { Env } from '../paths/paths.js';
import {
  destinationUrl,
  federationEndpoint,
  loginUrl,
  partitionOf,
  signinTokenUrl,
  type SessionCredentials,
} from './federation.js';

/** The part of `fetch` the sign-in uses; global `fetch` is the real one, tests pass their own. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export interface SigninTokenOptions {
  readonly fetch?: FetchLike;
  /** How long to wait for the federation endpoint before giving up. */
  readonly timeoutMs: number;
  /** Console session length in seconds (900–43200); see {@link signinTokenUrl}. */
  readonly sessionDuration?: number;
}

/** The endpoint without its query, which is all an error message may show of it. */
function describeEndpoint(endpoint: string): string {
  const url = new URL(endpoint);
  return `${url.origin}${url.pathname}`;
}

/** A property of a thrown value, read without `instanceof`: fetch's errors come from another realm under jest. */
function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && key in value ? (value as Record<string, unknown>)[key] : undefined;
}

function networkReason(error: unknown): string {
  const code = field(field(error, 'cause'), 'code');
  return typeof code === 'string' ? ` (${sanitizeRemoteText(code)})` : '';
}

/**
 * Exchanges temporary role credentials for a console sign-in token at the federation endpoint.
 *
 * This is a GET, as AWS documents it, so the session JSON (secret key included) travels in the
 * query string of the request. It is sent only to `endpoint` over HTTPS (see
 * {@link federationEndpoint}); redirects are not followed, so it cannot be passed on elsewhere,
 * and no error message repeats it.
 */
export async function getSigninToken(
  endpoint: string,
  credentials: SessionCredentials,
  options: SigninTokenOptions,
): Promise<string> {
  const doFetch = options.fetch ?? ((url, init) => fetch(url, init));
  const url = signinTokenUrl(endpoint, credentials, { sessionDuration: options.sessionDuration });
  const where = describeEndpoint(endpoint);
  let response: Response;
  try {
    response = await doFetch(url, {
      method: 'GET',
      redirect: 'manual',
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    const name = field(error, 'name');
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new AnwbisError('aws', `the federation endpoint ${where} did not answer within ${options.timeoutMs / 1000} s`, {
        next: 'check your network or proxy and try again',
      });
    }
    throw new AnwbisError('aws', `could not reach the federation endpoint ${where}${networkReason(error)}`, {
      next: 'check your network, proxy and ANWBIS_FEDERATION_ENDPOINT, then try again',
    });
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    const refused = response.status >= 400 && response.status < 500;
    throw new AnwbisError('aws', `the federation endpoint ${where} refused the sign-in token request (HTTP ${response.status})`, {
      next: refused
        ? 'only credentials from AssumeRole (or GetFederationToken) can sign in to the console, not GetSessionToken or long-term keys; a role reached by role chaining also refuses a console session longer than one hour'
        : 'try again later',
    });
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    body = undefined;
  }
  const token = body && typeof body === 'object' && 'SigninToken' in body ? body.SigninToken : undefined;
  if (typeof token !== 'string' || token === '') {
    throw new AnwbisError('aws', `the federation endpoint ${where} answered without a sign-in token`, {
      next: 'check ANWBIS_FEDERATION_ENDPOINT points at an AWS federation endpoint',
    });
  }
  return token;
}

export interface ConsoleLoginInput {
  readonly credentials: SessionCredentials;
  /** The region to open the console in; it also picks the partition. */
  readonly region: string;
  /** Service name, console path or console URL; see {@link destinationUrl}. */
  readonly destination?: string;
  /** Shown by AWS as the way back when the console session ends. Default `anwbis`. */
  readonly issuer?: string;
  readonly sessionDuration?: number;
  /** Read for `ANWBIS_FEDERATION_ENDPOINT`. */
  readonly env: Env;
  readonly fetch?: FetchLike;
  /** Default 10 s. */
  readonly timeoutMs?: number;
}

/**
 * The signed-in console URL for a role session: checks the destination first (so a refused
 * destination costs no request), then obtains a sign-in token and builds the login URL.
 * The result is a bearer credential for about 15 minutes; see {@link loginUrl}.
 */
export async function consoleLoginUrl(input: ConsoleLoginInput): Promise<string> {
  const partition = partitionOf(input.region);
  const destination = destinationUrl({ partition, region: input.region, destination: input.destination });
  const endpoint = federationEndpoint(partition, input.env);
  const signinToken = await getSigninToken(endpoint, input.credentials, {
    timeoutMs: input.timeoutMs ?? 10_000,
    fetch: input.fetch,
    sessionDuration: input.sessionDuration,
  });
  return loginUrl(endpoint, { issuer: input.issuer ?? 'anwbis', destination, signinToken });
}
