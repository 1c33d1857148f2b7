import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  METADATA_MOCK_INSTALL,
  MetadataMockUnavailableError,
  startMetadataMock,
  type MetadataMock,
  type MetadataMockCredentials,
} from '../src/imds/index.js';

const ROLE = 'anwbis-instance-role';
const INSTANCE_ID = 'i-0a1b2c3d4e5f60718';
const CREDENTIALS: MetadataMockCredentials = {
  accessKeyId: 'ASIAMOCKIMDS00000001',
  secretAccessKey: 'mockSecretKey/0123456789+abcdefghijklmnopq',
  sessionToken: 'IQoJb3JpZ2luX2VjEMOCK//session+token==',
  expiration: new Date('2031-02-03T04:05:06Z'),
};

const TOKEN_TTL = { 'X-aws-ec2-metadata-token-ttl-seconds': '60' };

async function token(endpoint: string): Promise<string> {
  const res = await fetch(`${endpoint}/latest/api/token`, { method: 'PUT', headers: TOKEN_TTL });
  expect(res.status).toBe(200);
  return res.text();
}

async function get(endpoint: string, path: string, tok?: string): Promise<{ status: number; body: string }> {
  const res = await fetch(`${endpoint}${path}`, tok ? { headers: { 'X-aws-ec2-metadata-token': tok } } : {});
  return { status: res.status, body: await res.text() };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('EC2 instance-metadata mock (amazon-ec2-metadata-mock), IMDSv2 only', () => {
  let mock: MetadataMock;

  beforeAll(async () => {
    mock = await startMetadataMock({ roleName: ROLE, credentials: CREDENTIALS, instanceId: INSTANCE_ID });
  });
  afterAll(async () => {
    await mock?.stop();
  });

  it('listens on a loopback endpoint', () => {
    expect(mock.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(mock.endpoint).toBe(`http://127.0.0.1:${mock.port}`);
    expect(alive(mock.pid)).toBe(true);
  });

  it('refuses a request without a session token', async () => {
    const res = await get(mock.endpoint, '/latest/meta-data/iam/security-credentials/');
    expect(res.status).toBe(401);
  });

  it('lists the role name', async () => {
    const res = await get(mock.endpoint, '/latest/meta-data/iam/security-credentials/', await token(mock.endpoint));
    expect(res).toEqual({ status: 200, body: ROLE });
  });

  it('serves the configured credentials for the role', async () => {
    const res = await get(mock.endpoint, `/latest/meta-data/iam/security-credentials/${ROLE}`, await token(mock.endpoint));
    expect(res.status).toBe(200);
    const doc = JSON.parse(res.body) as Record<string, string>;
    expect(doc).toMatchObject({
      Code: 'Success',
      Type: 'AWS-HMAC',
      AccessKeyId: CREDENTIALS.accessKeyId,
      SecretAccessKey: CREDENTIALS.secretAccessKey,
      Token: CREDENTIALS.sessionToken,
      Expiration: '2031-02-03T04:05:06Z',
    });
    expect(new Date(doc.Expiration!).getTime()).toBe(CREDENTIALS.expiration.getTime());
  });

  it('does not serve credentials under another role name', async () => {
    const res = await get(mock.endpoint, '/latest/meta-data/iam/security-credentials/baskinc-role', await token(mock.endpoint));
    expect(res.status).toBe(404);
  });

  it('serves the configured instance id', async () => {
    const res = await get(mock.endpoint, '/latest/meta-data/instance-id', await token(mock.endpoint));
    expect(res).toEqual({ status: 200, body: INSTANCE_ID });
  });
});

describe('EC2 instance-metadata mock lifecycle', () => {
  it('answers IMDSv1 requests when not IMDSv2-only', async () => {
    const mock = await startMetadataMock({ roleName: ROLE, credentials: CREDENTIALS, imdsv2Only: false });
    try {
      expect(await get(mock.endpoint, '/latest/meta-data/iam/security-credentials/')).toEqual({ status: 200, body: ROLE });
    } finally {
      await mock.stop();
    }
  });

  it('is gone after stop(): the port refuses connections and the process has exited', async () => {
    const mock = await startMetadataMock({ roleName: ROLE, credentials: CREDENTIALS, instanceId: INSTANCE_ID });
    const { endpoint, pid } = mock;
    expect(alive(pid)).toBe(true);
    await mock.stop();
    await mock.stop(); // twice is fine
    expect(alive(pid)).toBe(false);
    await expect(fetch(`${endpoint}/latest/api/token`, { method: 'PUT', headers: TOKEN_TTL })).rejects.toThrow();
  });

  it('says how to install the mock when the binary is missing', async () => {
    const saved = process.env.ANWBIS_EC2_METADATA_MOCK;
    process.env.ANWBIS_EC2_METADATA_MOCK = '/nonexistent/ec2-metadata-mock';
    try {
      const start = startMetadataMock({ roleName: ROLE, credentials: CREDENTIALS });
      await expect(start).rejects.toThrow(MetadataMockUnavailableError);
      await expect(start).rejects.toThrow(METADATA_MOCK_INSTALL);
    } finally {
      if (saved === undefined) delete process.env.ANWBIS_EC2_METADATA_MOCK;
      else process.env.ANWBIS_EC2_METADATA_MOCK = saved;
    }
  });
});
