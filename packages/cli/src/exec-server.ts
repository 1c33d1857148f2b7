/**
 * `anwbis exec --server`: the daemon serves a delegated role's credentials to the command on its
 * container-credentials endpoint, and keeps them fresh for as long as the command runs.
 */
import { AnwbisError, assume, type AssumeRequest } from '@anwbis/core';
import { DaemonRequestError, type CredentialsGrantResult, type DaemonClient } from '@anwbis/daemon';
import { ensureDaemonRunning } from './daemon-start.js';
import { PROFILE_AND_KEY_VARIABLES } from './exec-child.js';
import { cliRuntime } from './runtime.js';
import { connectDaemon, corpProfileFor, requireCorpSession, watchLimits, watchSpecFor } from './watch-handover.js';

/** Variables through which a program could get credentials other than the endpoint's. */
const OTHER_CREDENTIALS = [
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
 * The command's environment: the endpoint and its token, the region, and nothing else that holds
 * or points to credentials. The shared credentials file is hidden too (`/dev/null`): every SDK
 * reads it before it asks the endpoint, and a `[default]` section there (corp keys, typically)
 * would win.
 */
export function serverChildEnv(parent: NodeJS.ProcessEnv, grant: CredentialsGrantResult, region: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...parent };
  for (const name of OTHER_CREDENTIALS) delete env[name];
  env.AWS_CONTAINER_CREDENTIALS_FULL_URI = grant.url;
  env.AWS_CONTAINER_AUTHORIZATION_TOKEN = grant.token;
  env.AWS_SHARED_CREDENTIALS_FILE = '/dev/null';
  if (region) {
    env.AWS_REGION = region;
    env.AWS_DEFAULT_REGION = region;
  }
  env.ANWBIS_PROFILE = grant.profile;
  return env;
}

export interface ServedCredentials {
  readonly env: NodeJS.ProcessEnv;
  /** The connection the grant lives on: close it when the command has ended. */
  readonly client: DaemonClient;
}

/**
 * Writes the role's profile from the corp session (no MFA, like `watch`), starts the daemon if
 * none runs, and asks it for a grant of that profile. Fails before anything is assumed when
 * there is no valid corp session, naming the command that starts one.
 */
export async function serveCredentials(
  request: AssumeRequest,
  options: { corpProfile: string | undefined; durationSeconds: number; sessionName?: string | undefined; verbose: boolean },
): Promise<ServedCredentials> {
  const limits = watchLimits(options.durationSeconds, undefined);
  const corpProfile = await corpProfileFor(options.corpProfile, process.env);
  const sessionProfile = await requireCorpSession(corpProfile, process.env);
  await ensureDaemonRunning('anwbis exec --server');
  const client = await connectDaemon('anwbis exec --server');
  try {
    const withName = { ...request, ...(options.sessionName ? { sessionName: options.sessionName } : {}) };
    const written = await assume(
      { ...withName, sourceProfile: sessionProfile, noMfa: true, durationSeconds: limits.durationSeconds },
      cliRuntime({ verbose: options.verbose, quiet: true }),
    );
    const grant = await client.grantCredentials(await watchSpecFor(withName, written.profile, corpProfile, limits)).catch((err: unknown) => {
      // JSON-RPC's "method not found": a daemon started by an older anwbis.
      if (err instanceof DaemonRequestError && err.code === -32601) {
        throw new AnwbisError('config', 'the running daemon is from an older anwbis and cannot serve credentials', {
          next: 'restart it with `anwbis daemon stop` and `anwbis daemon start`, then run this again',
        });
      }
      throw err;
    });
    return { env: serverChildEnv(process.env, grant, written.region), client };
  } catch (err) {
    client.close();
    throw err;
  }
}
