import { AnwbisError } from '../errors/errors.js';
import type { TemporaryCredentials } from '../aws/port.js';
import type { Env } from '../paths/paths.js';

/** The EC2 instance's role credentials, as the instance metadata service hands them out. */
export interface InstanceRole {
  readonly roleName: string;
  readonly credentials: TemporaryCredentials;
  /** The instance id, when the metadata service gives it. */
  readonly instanceId?: string;
  readonly endpoint: string;
}

export interface InstanceMetadataOptions {
  /** Time limit for each metadata request. */
  readonly timeoutMs?: number;
  readonly fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

const DEFAULT_ENDPOINT = 'http://169.254.169.254';

/**
 * Reads the instance role's credentials with IMDSv2 (a session token first, then every request
 * with it), from `AWS_EC2_METADATA_SERVICE_ENDPOINT` or the link-local default.
 */
export async function fromInstanceMetadata(env: Env, options: InstanceMetadataOptions = {}): Promise<InstanceRole> {
  if (env.AWS_EC2_METADATA_DISABLED?.toLowerCase() === 'true') {
    throw new AnwbisError('config', '--from_ec2_role needs the instance metadata service, but AWS_EC2_METADATA_DISABLED is true', {
      next: 'unset AWS_EC2_METADATA_DISABLED on the instance',
    });
  }
  const endpoint = (env.AWS_EC2_METADATA_SERVICE_ENDPOINT || DEFAULT_ENDPOINT).replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 2000;
  const doFetch = options.fetch ?? ((url: string, init: RequestInit) => fetch(url, init));
  const started = Date.now();
  const request = async (path: string, init: RequestInit): Promise<Response> => {
    try {
      return await doFetch(`${endpoint}${path}`, { ...init, redirect: 'error', signal: AbortSignal.timeout(timeoutMs) });
    } catch {
      throw new AnwbisError('config', `no instance metadata service answered at ${endpoint} (waited ${Date.now() - started} ms)`, {
        next: 'run this on an EC2 instance with an instance profile, or set AWS_EC2_METADATA_SERVICE_ENDPOINT',
      });
    }
  };
  const tokenResponse = await request('/latest/api/token', { method: 'PUT', headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '21600' } });
  if (!tokenResponse.ok) throw unusable(endpoint, `the token request answered HTTP ${tokenResponse.status}`);
  const token = (await tokenResponse.text()).trim();
  const get = async (path: string) => {
    const res = await request(path, { headers: { 'X-aws-ec2-metadata-token': token } });
    return { status: res.status, text: await res.text() };
  };

  const roles = await get('/latest/meta-data/iam/security-credentials/');
  const roleName = roles.status === 200 ? roles.text.split('\n')[0]?.trim() : undefined;
  if (!roleName) {
    throw new AnwbisError('config', 'this EC2 instance has no IAM role (instance profile)', {
      next: 'attach an instance profile whose role has the Delegated_Roles policy',
    });
  }
  const [creds, instance] = await Promise.all([get(`/latest/meta-data/iam/security-credentials/${encodeURIComponent(roleName)}`), get('/latest/meta-data/instance-id')]);
  if (creds.status !== 200) throw unusable(endpoint, `the credentials of role ${roleName} answered HTTP ${creds.status}`);
  let parsed: { AccessKeyId?: string; SecretAccessKey?: string; Token?: string; Expiration?: string };
  try {
    parsed = JSON.parse(creds.text) as typeof parsed;
  } catch {
    throw unusable(endpoint, `the credentials of role ${roleName} are not JSON`);
  }
  if (!parsed.AccessKeyId || !parsed.SecretAccessKey || !parsed.Token || !parsed.Expiration) {
    throw unusable(endpoint, `the credentials of role ${roleName} are incomplete`);
  }
  const instanceId = instance.status === 200 && /^i-[0-9a-f]+$/.test(instance.text.trim()) ? instance.text.trim() : undefined;
  return {
    roleName,
    endpoint,
    credentials: { accessKeyId: parsed.AccessKeyId, secretAccessKey: parsed.SecretAccessKey, sessionToken: parsed.Token, expiration: new Date(parsed.Expiration) },
    ...(instanceId ? { instanceId } : {}),
  };
}

function unusable(endpoint: string, why: string): AnwbisError {
  return new AnwbisError('config', `the instance metadata service at ${endpoint} gave no usable credentials: ${why}`);
}
