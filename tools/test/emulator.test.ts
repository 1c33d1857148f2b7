import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { GetUserCommand, IAMClient, ListMFADevicesCommand } from '@aws-sdk/client-iam';
import {
  conventionScenario,
  createSandbox,
  runAwsCli,
  seedScenario,
  startMoto,
  type MotoServer,
  type SeededScenario,
} from '../src/emulator/index.js';

const DEV = '222222222222';
const PRO = '333333333333';

describe('emulator harness', () => {
  let moto: MotoServer;
  let seeded: SeededScenario;

  beforeAll(async () => {
    moto = await startMoto();
  });
  afterAll(async () => {
    await moto?.stop();
  });
  beforeEach(async () => {
    await moto.reset();
    seeded = await seedScenario(
      moto.endpoint,
      conventionScenario({ users: ['luis.gonzalez'], projects: { datalab: { envs: { dev: DEV, pro: PRO }, roles: ['admin'] } } }),
    );
  });

  const corpKeys = () => {
    const u = seeded.users['luis.gonzalez']!;
    return { accessKeyId: u.accessKeyId, secretAccessKey: u.secretAccessKey };
  };
  const sts = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
    new STSClient({ endpoint: moto.endpoint, region: 'eu-west-1', credentials });

  it('listens on loopback and answers as the seeded corp user', async () => {
    expect(moto.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const id = await sts(corpKeys()).send(new GetCallerIdentityCommand({}));
    expect(id.Account).toBe('111111111111');
    expect(id.Arn).toBe('arn:aws:iam::111111111111:user/luis.gonzalez');
  });

  it('assumes a delegated role into its own account and records the request', async () => {
    await moto.startRecording();
    const roleArn = seeded.roleArn(PRO, 'pro-datalab-delegated-admin');
    const res = await sts(corpKeys()).send(
      new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'luis.gonzalez', SerialNumber: seeded.users['luis.gonzalez']!.mfaSerial, TokenCode: '123456' }),
    );
    const c = res.Credentials!;
    const id = await sts({ accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! }).send(
      new GetCallerIdentityCommand({}),
    );
    expect(id.Account).toBe(PRO);
    expect(id.Arn).toBe(`arn:aws:sts::${PRO}:assumed-role/pro-datalab-delegated-admin/luis.gonzalez`);

    const calls = await moto.recording();
    const assume = calls.find((call) => call.action === 'AssumeRole');
    expect(assume).toBeDefined();
    expect(assume!.params).toMatchObject({ RoleArn: roleArn, TokenCode: '123456', SerialNumber: seeded.users['luis.gonzalez']!.mfaSerial });
    expect(assume!.accessKeyId).toBe(corpKeys().accessKeyId);
    expect(assume!.service).toBe('sts');
  });

  it('lists the caller\'s MFA devices without a UserName, as AWS does', async () => {
    const iam = new IAMClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: corpKeys() });
    const devices = await iam.send(new ListMFADevicesCommand({}));
    expect(devices.MFADevices?.map((d) => d.SerialNumber)).toEqual([seeded.users['luis.gonzalez']!.mfaSerial]);
  });

  it('binds GetSessionToken credentials to the calling user, as AWS does', async () => {
    const session = await sts(corpKeys()).send(new GetSessionTokenCommand({ DurationSeconds: 3600 }));
    const c = session.Credentials!;
    expect(c.AccessKeyId).not.toBe('AKIAIOSFODNN7EXAMPLE');
    const creds = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    const id = await sts(creds).send(new GetCallerIdentityCommand({}));
    expect(id.Arn).toBe('arn:aws:iam::111111111111:user/luis.gonzalez');
    const iam = new IAMClient({ endpoint: moto.endpoint, region: 'us-east-1', credentials: creds });
    expect((await iam.send(new GetUserCommand({}))).User?.UserName).toBe('luis.gonzalez');
  });

  it('denies what the policies do not allow once enforcement is on', async () => {
    await moto.enforcePolicies();
    const allowed = seeded.roleArn(DEV, 'dev-datalab-delegated-admin');
    const ok = await sts(corpKeys()).send(new AssumeRoleCommand({ RoleArn: allowed, RoleSessionName: 's' }));
    expect(ok.Credentials?.AccessKeyId).toBeDefined();
    await expect(
      sts(corpKeys()).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${DEV}:role/dev-other-delegated-admin`, RoleSessionName: 's' })),
    ).rejects.toThrow(/not authorized|AccessDenied/i);
  });

  it('gives a sandbox whose profile the AWS CLI v2 uses', async () => {
    const sandbox = createSandbox({ endpoint: moto.endpoint, profiles: { default: seeded.users['luis.gonzalez']! } });
    try {
      const res = await runAwsCli(['sts', 'get-caller-identity'], { env: sandbox.env, endpoint: moto.endpoint });
      expect(res).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(res.stdout).Arn).toBe('arn:aws:iam::111111111111:user/luis.gonzalez');
    } finally {
      sandbox.remove();
    }
  });
});

describe('emulator lifecycle', () => {
  it('is gone after stop, and stop is idempotent', async () => {
    const moto = await startMoto();
    const { pid, endpoint } = moto;
    expect(() => process.kill(pid, 0)).not.toThrow();
    await moto.stop();
    await moto.stop();
    expect(() => process.kill(pid, 0)).toThrow();
    await expect(fetch(`${endpoint}/moto-api/data.json`)).rejects.toThrow();
  });

  it('says how to install moto when it is missing', async () => {
    await expect(startMoto({ python: '/nonexistent/python3' })).rejects.toThrow(/pip install 'moto\[server\]'/);
  });
});
