import { AwsCallError, type AwsCredentials, type AwsPort } from './port.js';
import { redact } from './redact.js';

export interface SdkPortOptions {
  readonly credentials: AwsCredentials | (() => Promise<AwsCredentials>);
  readonly region: string;
  /** Verbose output: one line per call with its duration; secrets redacted. */
  readonly log?: (line: string) => void;
  /** Per-call time limit. */
  readonly timeoutMs?: number;
}

type SdkError = Error & { name: string; Code?: string; $metadata?: { httpStatusCode?: number }; code?: string };

/**
 * The real {@link AwsPort}: AWS SDK v3 clients, imported on first use so commands that never
 * call AWS do not pay for loading the SDK. Endpoints follow the SDK's own settings
 * (`AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL_IAM`, config files).
 */
export function createSdkPort(options: SdkPortOptions): AwsPort {
  const timeoutMs = options.timeoutMs ?? 15_000;
  const common = async () => {
    const { NodeHttpHandler } = await import('@smithy/node-http-handler');
    return {
      region: options.region,
      credentials: options.credentials,
      maxAttempts: 3,
      requestHandler: new NodeHttpHandler({ connectionTimeout: timeoutMs, requestTimeout: timeoutMs }),
    };
  };
  let sts: Promise<{ client: import('@aws-sdk/client-sts').STSClient; mod: typeof import('@aws-sdk/client-sts') }> | undefined;
  let iam: Promise<{ client: import('@aws-sdk/client-iam').IAMClient; mod: typeof import('@aws-sdk/client-iam') }> | undefined;
  const stsClient = () =>
    (sts ??= (async () => {
      const mod = await import('@aws-sdk/client-sts');
      return { mod, client: new mod.STSClient(await common()) };
    })());
  const iamClient = () =>
    (iam ??= (async () => {
      const mod = await import('@aws-sdk/client-iam');
      return { mod, client: new mod.IAMClient(await common()) };
    })());

  async function call<T>(operation: string, input: object, send: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      const out = await send();
      options.log?.(`${operation} ${JSON.stringify(redact(input))} -> ok in ${Math.round(performance.now() - started)} ms`);
      return out;
    } catch (err) {
      const e = err as SdkError;
      const code = e.$metadata?.httpStatusCode === undefined && isNetworkError(e) ? 'Network' : (e.Code ?? e.name ?? 'Unknown');
      options.log?.(`${operation} ${JSON.stringify(redact(input))} -> ${code} in ${Math.round(performance.now() - started)} ms`);
      throw new AwsCallError(operation, code, e.message, e.$metadata?.httpStatusCode);
    }
  }

  return {
    async getCallerIdentity() {
      const { client, mod } = await stsClient();
      const out = await call('sts:GetCallerIdentity', {}, () => client.send(new mod.GetCallerIdentityCommand({})));
      return { account: out.Account ?? '', arn: out.Arn ?? '', userId: out.UserId ?? '' };
    },
    async getGroupPolicy(GroupName, PolicyName) {
      const { client, mod } = await iamClient();
      const out = await call('iam:GetGroupPolicy', { GroupName, PolicyName }, () => client.send(new mod.GetGroupPolicyCommand({ GroupName, PolicyName })));
      return out.PolicyDocument ?? '';
    },
    async getRolePolicy(RoleName, PolicyName) {
      const { client, mod } = await iamClient();
      const out = await call('iam:GetRolePolicy', { RoleName, PolicyName }, () => client.send(new mod.GetRolePolicyCommand({ RoleName, PolicyName })));
      return out.PolicyDocument ?? '';
    },
    async listMfaDevices(UserName) {
      const { client, mod } = await iamClient();
      const input = UserName ? { UserName } : {};
      const out = await call('iam:ListMFADevices', input, () => client.send(new mod.ListMFADevicesCommand(input)));
      return (out.MFADevices ?? []).map((d) => d.SerialNumber ?? '').filter((s) => s !== '');
    },
    async assumeRole(input) {
      const { client, mod } = await stsClient();
      const request = {
        RoleArn: input.roleArn,
        RoleSessionName: input.sessionName,
        DurationSeconds: input.durationSeconds,
        ...(input.serialNumber ? { SerialNumber: input.serialNumber, TokenCode: input.tokenCode } : {}),
        ...(input.externalId ? { ExternalId: input.externalId } : {}),
      };
      const out = await call('sts:AssumeRole', request, () => client.send(new mod.AssumeRoleCommand(request)));
      return { ...temporary(out.Credentials, 'sts:AssumeRole'), assumedRoleArn: out.AssumedRoleUser?.Arn ?? '' };
    },
    async getSessionToken(input) {
      const { client, mod } = await stsClient();
      const request = {
        DurationSeconds: input.durationSeconds,
        ...(input.serialNumber ? { SerialNumber: input.serialNumber, TokenCode: input.tokenCode } : {}),
      };
      const out = await call('sts:GetSessionToken', request, () => client.send(new mod.GetSessionTokenCommand(request)));
      return temporary(out.Credentials, 'sts:GetSessionToken');
    },
    async listGroupsForUser(UserName) {
      const { client, mod } = await iamClient();
      const names: string[] = [];
      let Marker: string | undefined;
      do {
        const input = { UserName, ...(Marker ? { Marker } : {}) };
        const out = await call('iam:ListGroupsForUser', input, () => client.send(new mod.ListGroupsForUserCommand(input)));
        names.push(...(out.Groups ?? []).map((g) => g.GroupName ?? '').filter((n) => n !== ''));
        Marker = out.IsTruncated ? out.Marker : undefined;
      } while (Marker);
      return names;
    },
    async listGroupPolicies(GroupName) {
      const { client, mod } = await iamClient();
      const names: string[] = [];
      let Marker: string | undefined;
      do {
        const input = { GroupName, ...(Marker ? { Marker } : {}) };
        const out = await call('iam:ListGroupPolicies', input, () => client.send(new mod.ListGroupPoliciesCommand(input)));
        names.push(...(out.PolicyNames ?? []));
        Marker = out.IsTruncated ? out.Marker : undefined;
      } while (Marker);
      return names;
    },
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

function isNetworkError(e: SdkError): boolean {
  return ['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'ECONNRESET', 'EAI_AGAIN', 'EHOSTUNREACH'].includes(e.code ?? '') || e.name === 'TimeoutError';
}
