/**
 * `anwbis exec --server`: the command gets a container-credentials endpoint that this process
 * serves, for exactly as long as the command runs, answering each request with the daemon's
 * fresh credentials, asked over the daemon's private socket.
 *
 * The endpoint is not the daemon's: a port the daemon served would be free again once the
 * daemon stopped, and another local user who bound it would receive the command's token and
 * could answer with their own keys. Here the port is bound by this process and inherited by the
 * command, so it stays taken while either lives; while the daemon is away the command is told
 * so, and a daemon that is back is asked for the grant again.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnwbisError, assume, configFilePath, removeKeysEverywhere, systemClock, type AssumeRequest, type TemporaryCredentials } from '@anwbis/core';
import {
  CredentialsUnavailable,
  DaemonClient,
  DaemonConnectionClosed,
  DaemonNotRunning,
  DaemonRequestError,
  startCredentialServer,
  type CredentialServer,
  type WatchSpec,
} from '@anwbis/daemon/client';
import { ensureDaemonRunning } from './daemon-start.js';
import { PROFILE_AND_KEY_VARIABLES } from './exec-child.js';
import { cliRuntime } from '../runtime/runtime.js';
import { connectDaemon, corpProfileFor, requireCorpSession, watchLimits, watchSpecFor } from './handover.js';

const CLIENT = 'anwbis exec --server';

/** Variables through which a program could get credentials other than the endpoint's. */
export const OTHER_CREDENTIALS = [
  ...PROFILE_AND_KEY_VARIABLES,
  'AWS_CREDENTIAL_EXPIRATION',
  'AWS_ROLE_ARN',
  'AWS_ROLE_SESSION_NAME',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  // Both win over the full URI and its token in the SDKs.
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
  'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
];

/**
 * Settings through which a profile in the config file gets credentials of its own: every SDK
 * reads the config file's `[default]` before it asks the endpoint, so any of them there (corp
 * keys, typically) would win.
 */
export const CONFIG_CREDENTIAL_KEYS = [
  'aws_access_key_id',
  'aws_secret_access_key',
  'aws_session_token',
  'aws_security_token',
  'credential_process',
  'credential_source',
  'role_arn',
  'source_profile',
  'web_identity_token_file',
  'sso_session',
  'sso_start_url',
  'sso_account_id',
  'sso_role_name',
  'login_session',
];

/** What the command is given to reach its endpoint. */
export interface Endpoint {
  readonly url: string;
  readonly token: string;
  readonly profile: string;
}

/**
 * The command's environment: the endpoint and its token, the region, and nothing else that holds
 * or points to credentials. The shared credentials file is hidden (`/dev/null`) and the config
 * file replaced by `configFile`, a copy without credential settings.
 */
export function serverChildEnv(parent: NodeJS.ProcessEnv, endpoint: Endpoint, region: string, configFile: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...parent };
  for (const name of OTHER_CREDENTIALS) delete env[name];
  env.AWS_CONTAINER_CREDENTIALS_FULL_URI = endpoint.url;
  env.AWS_CONTAINER_AUTHORIZATION_TOKEN = endpoint.token;
  env.AWS_SHARED_CREDENTIALS_FILE = '/dev/null';
  env.AWS_CONFIG_FILE = configFile;
  if (region) {
    env.AWS_REGION = region;
    env.AWS_DEFAULT_REGION = region;
  }
  env.ANWBIS_PROFILE = endpoint.profile;
  return env;
}

/** A copy of the config file without {@link CONFIG_CREDENTIAL_KEYS}, in a private directory; `remove` deletes it. */
export async function configCopy(env: NodeJS.ProcessEnv): Promise<{ path: string; remove: () => Promise<void> }> {
  const source = configFilePath(env);
  const text = await readFile(source, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw new AnwbisError('config', `cannot read the AWS config file ${source}: ${err.message}`, { next: 'fix its permissions, or point AWS_CONFIG_FILE at another file' });
  });
  if (text === undefined) return { path: '/dev/null', remove: async () => undefined };
  let safe: string;
  try {
    safe = removeKeysEverywhere(text, CONFIG_CREDENTIAL_KEYS);
  } catch (err) {
    throw new AnwbisError('config', `cannot hide the credentials in the AWS config file ${source}: ${(err as Error).message}`, {
      next: 'fix the file (the AWS CLI reads it the same way), then run this again',
    });
  }
  const dir = await mkdtemp(join(tmpdir(), 'anwbis-exec-'));
  const path = join(dir, 'config');
  await writeFile(path, safe, { mode: 0o600, flag: 'wx' });
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** Holds a grant of `spec` on `client`'s connection; a daemon too old to grant says how to restart it. */
export async function holdOn(client: DaemonClient, spec: WatchSpec): Promise<void> {
  await client.holdCredentials(spec).catch((err: unknown) => {
    // JSON-RPC's "method not found": a daemon started by an older anwbis.
    if (err instanceof DaemonRequestError && err.code === -32601) {
      throw new AnwbisError('config', 'the running daemon is from an older anwbis and cannot serve credentials', {
        next: 'restart it with `anwbis daemon stop` and `anwbis daemon start`, then run this again',
      });
    }
    throw err;
  });
}

/**
 * The grant this process holds on the daemon, for the endpoint's answers: held again on a new
 * connection when the daemon has gone away and another answers.
 */
export class HeldGrant {
  private connection: Promise<DaemonClient> | undefined;
  private ended = false;

  /** `client`: this program's name in the daemon's hello. */
  constructor(
    private readonly spec: WatchSpec,
    first: DaemonClient,
    private readonly client: string,
  ) {
    this.adopt(Promise.resolve(first));
  }

  private adopt(connection: Promise<DaemonClient>): void {
    this.connection = connection;
    connection.then(
      (client) => void client.closed().then(() => this.connection === connection && (this.connection = undefined)),
      () => this.connection === connection && (this.connection = undefined),
    );
  }

  private connect(): Promise<DaemonClient> {
    if (this.ended) return Promise.reject(new CredentialsUnavailable('the grant has ended'));
    if (!this.connection) {
      this.adopt(
        (async () => {
          const client = await DaemonClient.connect(process.env, { client: this.client, timeoutMs: 10_000 });
          try {
            await client.holdCredentials(this.spec);
          } catch (err) {
            client.close();
            throw err;
          }
          return client;
        })(),
      );
    }
    return this.connection!;
  }

  /** The profile's credentials now; throws {@link CredentialsUnavailable} with what the program should be told. */
  async fetch(): Promise<TemporaryCredentials> {
    try {
      const client = await this.connect();
      const c = await client.fetchCredentials(this.spec.profile);
      return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: new Date(c.expiration) };
    } catch (err) {
      if (err instanceof CredentialsUnavailable) throw err;
      // The daemon's own refusals and problems reaching it say what to do; a daemon that is gone
      // (not running, or it closed the connection) is the one thing to start again.
      if (err instanceof AnwbisError && !(err instanceof DaemonNotRunning) && !(err instanceof DaemonConnectionClosed)) throw new CredentialsUnavailable(err.next ? `${err.message}; ${err.next}` : err.message);
      throw new CredentialsUnavailable(`the anwbis daemon is not running, so there are no credentials for ${this.spec.profile}: start it with \`anwbis daemon start\`, and the next call gets them`);
    }
  }

  end(): void {
    this.ended = true;
    void this.connection?.then((client) => client.close(), () => undefined);
  }
}

export interface ServedCredentials {
  readonly env: NodeJS.ProcessEnv;
  /** Descriptors the command inherits: the endpoint's listening socket, so the port stays taken while the command runs. */
  readonly inherit: readonly number[];
  /** Ends the grant, the endpoint and the config copy: call it once the command has ended. */
  close(): Promise<void>;
}

/**
 * Writes the role's profile from the corp session (no MFA, like `watch`), starts the daemon if
 * none runs, holds a grant of that profile and serves it on an endpoint of this process. Fails
 * before anything is assumed when there is no valid corp session, naming the command that
 * starts one.
 */
export async function serveCredentials(
  request: AssumeRequest,
  options: { corpProfile: string | undefined; durationSeconds: number; sessionName?: string | undefined; verbose: boolean },
): Promise<ServedCredentials> {
  const limits = watchLimits(options.durationSeconds, undefined);
  const corpProfile = await corpProfileFor(options.corpProfile, process.env);
  const sessionProfile = await requireCorpSession(corpProfile, { env: process.env, clock: systemClock });
  // A config file that cannot be copied safely fails before anything is written.
  const config = await configCopy(process.env);
  let client: DaemonClient | undefined;
  let grant: HeldGrant | undefined;
  let server: CredentialServer | undefined;
  try {
    await ensureDaemonRunning(CLIENT);
    client = await connectDaemon(CLIENT);
    const withName = { ...request, ...(options.sessionName ? { sessionName: options.sessionName } : {}) };
    const written = await assume(
      { ...withName, sourceProfile: sessionProfile, noMfa: true, durationSeconds: limits.durationSeconds },
      cliRuntime({ verbose: options.verbose, quiet: true }),
    );
    const spec = await watchSpecFor(withName, written.profile, corpProfile, limits);
    await holdOn(client, spec);
    const held = (grant = new HeldGrant(spec, client, CLIENT));
    server = await startCredentialServer(() => held.fetch());
    const endpoint = server.grant(written.profile);
    const env = serverChildEnv(process.env, { url: endpoint.uri, token: endpoint.token, profile: written.profile }, written.region, config.path);
    const listening = server;
    return {
      env,
      inherit: listening.fd === undefined ? [] : [listening.fd],
      close: async () => {
        held.end();
        await Promise.all([listening.close(), config.remove()]);
      },
    };
  } catch (err) {
    if (grant) grant.end();
    else client?.close();
    await Promise.all([server?.close(), config.remove()]);
    throw err;
  }
}
