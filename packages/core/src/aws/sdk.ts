import { sanitizeRemoteText } from '../errors/sanitize.js';
import { AwsCallError, type AccessKeysPort, type AwsCredentials, type AwsPort } from './port.js';
import { redact } from './redact.js';

export interface SdkPortOptions {
  readonly credentials: AwsCredentials | (() => Promise<AwsCredentials>);
  readonly region: string;
  /** Verbose output: one line per call with its duration; secrets redacted. */
  readonly log?: (line: string) => void;
  /**
   * The most one call may take, retries included (default 30 s); each attempt gets a third of
   * it to connect, to hear the first byte and to finish.
   */
  readonly timeoutMs?: number;
  /**
   * Hand the SDK only the sections of the shared files its clients can consult (see
   * readNarrowedSharedFiles), read once for all the port's clients: for a process that ends
   * after its calls, not for the daemon.
   */
  readonly narrowSharedFiles?: boolean;
  /**
   * The HTTP handler, shared by every port given the same one so that its kept-alive
   * connections are reused across ports (the daemon's warm engine); default: one of the port's
   * own, made with {@link sdkHttpHandler}.
   */
  readonly requestHandler?: () => Promise<HttpHandler>;
  /**
   * Endpoint settings decided by the caller instead of read by the SDK from this process's
   * environment and config file: the daemon serves requests made in other environments.
   */
  readonly endpoints?: EndpointSettings;
}

/** Where STS and IAM calls go; a service without a URL goes to AWS's own endpoint for the region. */
export interface EndpointSettings {
  readonly sts?: string | undefined;
  readonly iam?: string | undefined;
  readonly useFips: boolean;
  readonly useDualstack: boolean;
}

const MAX_ATTEMPTS = 3;

/** The SDK's HTTP handler; a type only, so that nothing of the SDK loads before a call. */
type HttpHandler = import('./sdk-http.js').NodeHttpHandler;

type SdkError = Error & { name: string; Code?: string; $metadata?: { httpStatusCode?: number }; code?: string };

type Next = (args: { request: unknown }) => Promise<unknown>;

/**
 * The one use the port makes of a command's middleware stack (its own, so one call's recorder
 * stays with that call). The SDK types `add` as overloads over `@smithy/types`, which no
 * structural type matches; a build-step middleware is exactly this.
 */
interface RecorderStack {
  add(middleware: (next: Next) => Next, options: { step: 'build'; name: string }): void;
}

/**
 * The real {@link AwsPort}: AWS SDK v3 clients, imported on first use so commands that never
 * call AWS do not pay for loading the SDK. Endpoints follow the SDK's own settings
 * (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL_IAM`, config files).
 */
export function createSdkPort(options: SdkPortOptions): AwsPort & AccessKeysPort {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const endpoints = options.endpoints;
  // Read once for the port's clients (a command's STS and IAM), and handed to each as it is made:
  // loadProfileCredentials may have given the SDK the whole files back in between.
  let narrowed: Promise<import('./sdk-shared-files.js').NarrowedSharedFiles> | undefined;
  const common = async (service: 'sts' | 'iam') => {
    if (options.narrowSharedFiles) {
      const files = await import('./sdk-shared-files.js');
      files.narrowSharedFilesForSdk(await (narrowed ??= files.readNarrowedSharedFiles()));
    }
    return {
    region: options.region,
    credentials: options.credentials,
    maxAttempts: MAX_ATTEMPTS,
    requestHandler: await (options.requestHandler ?? sdkHttpHandler(timeoutMs))(),
    ...(endpoints
      ? {
          useFipsEndpoint: endpoints.useFips,
          useDualstackEndpoint: endpoints.useDualstack,
          ...(endpoints[service] ? { endpoint: endpoints[service] } : { ignoreConfiguredEndpointUrls: true }),
        }
      : {}),
    };
  };
  let sts: Promise<{ client: import('@aws-sdk/client-sts').STSClient; mod: typeof import('./sdk-sts.js') }> | undefined;
  let iam: Promise<{ client: import('@aws-sdk/client-iam').IAMClient; mod: typeof import('./sdk-iam.js') }> | undefined;
  const stsClient = () =>
    (sts ??= (async () => {
      const mod = await import('./sdk-sts.js');
      return { mod, client: new mod.STSClient(await common('sts')) };
    })());
  const iamClient = () =>
    (iam ??= (async () => {
      const mod = await import('./sdk-iam.js');
      // Role discovery reads many groups at once; after a throttle, adaptive mode also slows the
      // requests that follow instead of only retrying the one that was refused.
      return { mod, client: new mod.IAMClient({ ...(await common('iam')), retryMode: 'adaptive' }) };
    })());

  /**
   * Sends one command under the call's deadline, which also covers the retries and the pauses
   * between them, and remembers the URL the SDK resolved so a silent endpoint can be named.
   */
  async function call<T>(operation: string, input: object, command: { readonly middlewareStack: unknown }, send: (options: { abortSignal: AbortSignal }) => Promise<T>): Promise<T> {
    const started = performance.now();
    const deadline = AbortSignal.timeout(timeoutMs);
    let endpoint: string | undefined;
    (command.middlewareStack as RecorderStack).add(
      (next) => (args) => {
        endpoint = urlOf(args.request);
        return next(args);
      },
      { step: 'build', name: 'anwbisEndpointRecorder' },
    );
    try {
      const out = await send({ abortSignal: deadline });
      options.log?.(`${operation} ${JSON.stringify(redact(input))} -> ok in ${Math.round(performance.now() - started)} ms`);
      return out;
    } catch (err) {
      const e = err as SdkError;
      const silent = deadline.aborted || (e.$metadata?.httpStatusCode === undefined && isTimeout(e));
      const code = silent || (e.$metadata?.httpStatusCode === undefined && isNetworkError(e)) ? 'Network' : sanitizeRemoteText(e.Code ?? e.name ?? 'Unknown');
      options.log?.(`${operation} ${JSON.stringify(redact(input))} -> ${code} in ${Math.round(performance.now() - started)} ms`);
      const message = silent
        ? `${endpoint ?? `the ${operation.split(':')[0]} endpoint`} did not answer within ${timeoutMs / 1000} s (${MAX_ATTEMPTS} attempts)`
        : sanitizeRemoteText(e.message);
      throw new AwsCallError(operation, code, message, e.$metadata?.httpStatusCode);
    }
  }

  return {
    preload(service) {
      // A failure to load shows again, as the error of the call that needs the client.
      void (service === 'iam' ? iamClient() : stsClient()).catch(() => undefined);
    },
    async getCallerIdentity() {
      const { client, mod } = await stsClient();
      const command = new mod.GetCallerIdentityCommand({});
      const out = await call('sts:GetCallerIdentity', {}, command, (o) => client.send(command, o));
      return { account: sanitizeRemoteText(out.Account ?? ''), arn: sanitizeRemoteText(out.Arn ?? ''), userId: sanitizeRemoteText(out.UserId ?? '') };
    },
    async getGroupPolicy(GroupName, PolicyName) {
      const { client, mod } = await iamClient();
      const command = new mod.GetGroupPolicyCommand({ GroupName, PolicyName });
      const out = await call('iam:GetGroupPolicy', { GroupName, PolicyName }, command, (o) => client.send(command, o));
      return out.PolicyDocument ?? '';
    },
    async getRolePolicy(RoleName, PolicyName) {
      const { client, mod } = await iamClient();
      const command = new mod.GetRolePolicyCommand({ RoleName, PolicyName });
      const out = await call('iam:GetRolePolicy', { RoleName, PolicyName }, command, (o) => client.send(command, o));
      return out.PolicyDocument ?? '';
    },
    async listMfaDevices(UserName) {
      const { client, mod } = await iamClient();
      const input = UserName ? { UserName } : {};
      const command = new mod.ListMFADevicesCommand(input);
      const out = await call('iam:ListMFADevices', input, command, (o) => client.send(command, o));
      return (out.MFADevices ?? []).map((d) => sanitizeRemoteText(d.SerialNumber ?? '')).filter((s) => s !== '');
    },
    async assumeRole(input) {
      const { client, mod } = await stsClient();
      const request = {
        RoleArn: input.roleArn,
        RoleSessionName: input.sessionName,
        DurationSeconds: input.durationSeconds,
        ...(input.serialNumber ? { SerialNumber: input.serialNumber, TokenCode: input.tokenCode } : {}),
        ...(input.externalId ? { ExternalId: input.externalId } : {}),
        ...(input.sourceIdentity ? { SourceIdentity: input.sourceIdentity } : {}),
        ...(input.tags?.length ? { Tags: input.tags.map((t) => ({ Key: t.key, Value: t.value })) } : {}),
        ...(input.transitiveTagKeys?.length ? { TransitiveTagKeys: [...input.transitiveTagKeys] } : {}),
      };
      const command = new mod.AssumeRoleCommand(request);
      const out = await call('sts:AssumeRole', request, command, (o) => client.send(command, o));
      return { ...temporary(out.Credentials, 'sts:AssumeRole'), assumedRoleArn: sanitizeRemoteText(out.AssumedRoleUser?.Arn ?? '') };
    },
    async getSessionToken(input) {
      const { client, mod } = await stsClient();
      const request = {
        DurationSeconds: input.durationSeconds,
        ...(input.serialNumber ? { SerialNumber: input.serialNumber, TokenCode: input.tokenCode } : {}),
      };
      const command = new mod.GetSessionTokenCommand(request);
      const out = await call('sts:GetSessionToken', request, command, (o) => client.send(command, o));
      return temporary(out.Credentials, 'sts:GetSessionToken');
    },
    async listGroupsForUser(UserName) {
      const { client, mod } = await iamClient();
      const names: string[] = [];
      let Marker: string | undefined;
      do {
        // IAM's page is 100 groups unless asked for more; 1000 is its maximum.
        const input = { UserName, MaxItems: 1000, ...(Marker ? { Marker } : {}) };
        const command = new mod.ListGroupsForUserCommand(input);
        const out = await call('iam:ListGroupsForUser', input, command, (o) => client.send(command, o));
        names.push(...(out.Groups ?? []).map((g) => g.GroupName ?? '').filter((n) => n !== ''));
        Marker = out.IsTruncated ? out.Marker : undefined;
      } while (Marker);
      return names;
    },
    async createAccessKey(UserName) {
      const { client, mod } = await iamClient();
      const command = new mod.CreateAccessKeyCommand({ UserName });
      const out = await call('iam:CreateAccessKey', { UserName }, command, (o) => client.send(command, o));
      const key = out.AccessKey;
      if (!key?.AccessKeyId || !key.SecretAccessKey) throw new AwsCallError('iam:CreateAccessKey', 'IncompleteResponse', 'AWS answered without the new key');
      return { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
    },
    async deleteAccessKey(UserName, AccessKeyId) {
      const { client, mod } = await iamClient();
      const command = new mod.DeleteAccessKeyCommand({ UserName, AccessKeyId });
      await call('iam:DeleteAccessKey', { UserName, AccessKeyId }, command, (o) => client.send(command, o));
    },
    async listGroupPolicies(GroupName) {
      const { client, mod } = await iamClient();
      const names: string[] = [];
      let Marker: string | undefined;
      do {
        const input = { GroupName, ...(Marker ? { Marker } : {}) };
        const command = new mod.ListGroupPoliciesCommand(input);
        const out = await call('iam:ListGroupPolicies', input, command, (o) => client.send(command, o));
        names.push(...(out.PolicyNames ?? []));
        Marker = out.IsTruncated ? out.Marker : undefined;
      } while (Marker);
      return names;
    },
  };
}

/**
 * Makes the HTTP handler of a port whose calls may take `timeoutMs` (retries included): each
 * attempt gets a third of it to connect, to hear the first byte and to finish. Its agents keep
 * connections alive, so a handler shared by several ports reuses them.
 */
export function sdkHttpHandler(timeoutMs = 30_000): () => Promise<HttpHandler> {
  const attemptMs = Math.ceil(timeoutMs / MAX_ATTEMPTS);
  return async () => {
    const { NodeHttpHandler } = await import('./sdk-http.js');
    // Without throwOnRequestTimeout the handler only warns and waits on; socketTimeout also
    // ends an answer that stops half way.
    return new NodeHttpHandler({ connectionTimeout: attemptMs, requestTimeout: attemptMs, throwOnRequestTimeout: true, socketTimeout: attemptMs });
  };
}

function temporary(
  c: { AccessKeyId?: string; SecretAccessKey?: string; SessionToken?: string; Expiration?: Date } | undefined,
  operation: string,
) {
  if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken || !c.Expiration) {
    throw new AwsCallError(operation, 'IncompleteResponse', 'AWS answered without complete credentials');
  }
  return { accessKeyId: c.AccessKeyId, secretAccessKey: c.SecretAccessKey, sessionToken: c.SessionToken, expiration: c.Expiration };
}

/** The URL an HTTP request goes to, without its query (which a presigned request would carry secrets in). */
function urlOf(request: unknown): string | undefined {
  const r = request as { protocol?: string; hostname?: string; port?: number; path?: string } | undefined;
  if (!r?.hostname) return undefined;
  return sanitizeRemoteText(`${r.protocol ?? 'https:'}//${r.hostname}${r.port ? `:${r.port}` : ''}${r.path ?? '/'}`);
}

/** A timeout of the HTTP handler (connect, first byte, idle socket, whole request) or of the call's deadline. */
function isTimeout(e: SdkError): boolean {
  return e.name === 'TimeoutError' || e.name === 'AbortError' || e.code === 'ETIMEDOUT';
}

function isNetworkError(e: SdkError): boolean {
  return ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN', 'EHOSTUNREACH'].includes(e.code ?? '') || e.name === 'TimeoutError';
}
