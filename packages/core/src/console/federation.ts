import { AnwbisError, shown } from '../errors/errors.js';
import type { Env } from '../paths/paths.js';

/** The AWS partitions whose consoles anwbis can sign in to. */
export type Partition = 'aws' | 'aws-us-gov' | 'aws-cn';

/** Temporary credentials of a role session: the only kind the federation endpoint accepts. */
export interface SessionCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
}

/** What a partition's console sign-in lives on. */
interface PartitionHosts {
  readonly federation: string;
  /** The console's own host; regional consoles are its subdomains. */
  readonly consoleHost: string;
}

const HOSTS: Readonly<Record<Partition, PartitionHosts>> = {
  aws: { federation: 'https://signin.aws.amazon.com/federation', consoleHost: 'console.aws.amazon.com' },
  'aws-us-gov': {
    federation: 'https://signin.amazonaws-us-gov.com/federation',
    consoleHost: 'console.amazonaws-us-gov.com',
  },
  'aws-cn': { federation: 'https://signin.amazonaws.cn/federation', consoleHost: 'console.amazonaws.cn' },
};

/** AWS accepts console sessions from 15 minutes to 12 hours. */
export const SESSION_DURATION_LIMITS = { min: 900, max: 43_200 } as const;

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const SERVICE = /^[a-z0-9][a-z0-9-]*$/;
const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** The partition a region belongs to (`cn-north-1` → `aws-cn`, `us-gov-west-1` → `aws-us-gov`). */
export function partitionOf(region: string): Partition {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** The default federation endpoint of a partition, where sign-in tokens are issued and redeemed. */
export function defaultFederationEndpoint(partition: Partition): string {
  return HOSTS[partition].federation;
}

/** The console's root URL in a partition, e.g. `https://console.aws.amazon.com/`. */
export function consoleRoot(partition: Partition): string {
  return `https://${HOSTS[partition].consoleHost}/`;
}

/**
 * The federation endpoint to use: `ANWBIS_FEDERATION_ENDPOINT` when set, else the partition's.
 *
 * The override must be HTTPS, except on the loopback interface (a local stand-in), because the
 * request to it carries the session's secret key.
 */
export function federationEndpoint(partition: Partition, env: Env): string {
  const override = env.ANWBIS_FEDERATION_ENDPOINT;
  if (!override) return defaultFederationEndpoint(partition);
  let url: URL;
  try {
    url = new URL(override);
  } catch {
    throw new AnwbisError('config', `ANWBIS_FEDERATION_ENDPOINT ${shown(override)} is not a URL`, {
      next: 'unset it, or set it to an https:// URL such as https://signin.aws.amazon.com/federation',
    });
  }
  const local = url.protocol === 'http:' && LOOPBACK.has(url.hostname);
  if (url.protocol !== 'https:' && !local) {
    throw new AnwbisError('config', `ANWBIS_FEDERATION_ENDPOINT ${shown(override)} is not an https:// URL`, {
      next: 'the sign-in request carries your session key, so only HTTPS (or http on 127.0.0.1) is accepted',
    });
  }
  if (url.username || url.password) {
    throw new AnwbisError('config', 'ANWBIS_FEDERATION_ENDPOINT must not contain a user name or password');
  }
  url.search = '';
  url.hash = '';
  return url.toString();
}

function checkSessionDuration(seconds: number): void {
  const { min, max } = SESSION_DURATION_LIMITS;
  if (!Number.isInteger(seconds) || seconds < min || seconds > max) {
    throw new AnwbisError('usage', `console session duration ${seconds} is not a whole number of seconds from ${min} to ${max}`);
  }
}

function withQuery(endpoint: string, params: URLSearchParams): string {
  const url = new URL(endpoint);
  url.search = params.toString();
  return url.toString();
}

/**
 * The URL that exchanges temporary credentials for a sign-in token (`Action=getSigninToken`).
 * It contains the secret key: send it only to the federation endpoint, and never log it.
 *
 * @param sessionDuration console session length in seconds (900–43200); AWS refuses it for
 *   sessions obtained by role chaining, so it is only sent when asked for.
 */
export function signinTokenUrl(
  endpoint: string,
  credentials: SessionCredentials,
  options: { readonly sessionDuration?: number } = {},
): string {
  const params = new URLSearchParams({ Action: 'getSigninToken' });
  if (options.sessionDuration !== undefined) {
    checkSessionDuration(options.sessionDuration);
    params.set('SessionDuration', String(options.sessionDuration));
  }
  params.set(
    'Session',
    JSON.stringify({
      sessionId: credentials.accessKeyId,
      sessionKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
    }),
  );
  return withQuery(endpoint, params);
}

/** Whether a host name is the partition's console or one of its regional consoles. */
export function isConsoleHost(partition: Partition, hostname: string): boolean {
  const host = HOSTS[partition].consoleHost;
  return hostname === host || hostname.endsWith(`.${host}`);
}

export interface DestinationInput {
  readonly partition: Partition;
  readonly region: string;
  /**
   * A service name (`s3`, `ec2`), a console path (`/s3/home`) or a console URL. Paths and
   * service names get `region=` added when they lack one; a full URL is taken as written.
   */
  readonly destination?: string;
}

/**
 * The console page to land on after sign-in. A URL (or a path like `//host`) that leaves the
 * partition's console is refused: the signed-in session would otherwise be handed to that site.
 */
export function destinationUrl({ partition, region, destination }: DestinationInput): string {
  if (!REGION.test(region)) throw new AnwbisError('usage', `${shown(region)} is not an AWS region name`);
  if (partitionOf(region) !== partition) {
    throw new AnwbisError('usage', `region ${region} is not in partition ${partition}`);
  }
  const root = consoleRoot(partition);
  const wanted = destination?.trim() || '/console/home';
  let url: URL;
  let addRegion = true;
  if (SERVICE.test(wanted)) {
    url = new URL(`/${wanted}/home`, root);
  } else if (wanted.startsWith('/')) {
    url = new URL(wanted, root);
  } else {
    try {
      url = new URL(wanted);
    } catch {
      throw new AnwbisError('usage', `destination ${shown(wanted)} is neither a service name, a console path nor a URL`, {
        next: 'use a service name such as s3, a path such as /s3/home, or a console URL',
      });
    }
    addRegion = false;
  }
  if (url.protocol !== 'https:' || !isConsoleHost(partition, url.hostname) || url.port !== '' || url.username || url.password) {
    throw new AnwbisError('usage', `destination ${shown(wanted)} is not on the AWS console (${root})`, {
      next: `give a service name, a path, or a URL under ${root}`,
    });
  }
  if (addRegion && !url.searchParams.has('region')) url.searchParams.set('region', region);
  return url.toString();
}

export interface LoginUrlInput {
  /** Where AWS sends the user when the console session ends (shown as the sign-in link). */
  readonly issuer: string;
  /** The console page to open; see {@link destinationUrl}. */
  readonly destination: string;
  readonly signinToken: string;
}

/**
 * The URL that signs the browser in (`Action=login`). It carries the sign-in token, a bearer
 * credential for about 15 minutes: hand it to the browser or print it, never log it.
 */
export function loginUrl(endpoint: string, { issuer, destination, signinToken }: LoginUrlInput): string {
  return withQuery(
    endpoint,
    new URLSearchParams({ Action: 'login', Issuer: issuer, Destination: destination, SigninToken: signinToken }),
  );
}
