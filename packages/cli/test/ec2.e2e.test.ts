import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { createServer } from 'node:net';
import {
  CORP_ACCOUNT,
  conventionScenario,
  createSandbox,
  delegatedRolesPolicy,
  runAnwbis,
  runAwsCli,
  seedScenario,
  startMoto,
  type MotoServer,
  type Sandbox,
  type Scenario,
  type SeededScenario,
} from '@anwbis/tools/emulator';
import { startMetadataMock, type MetadataMock } from '@anwbis/tools/imds';
import { EXIT, expectOk, expectRefused, snapshot } from './helpers.js';

const DEV = '222222222222';
const USER = 'luis.gonzalez';
const INSTANCE = 'i-0a1b2c3d4e5f60718';
const DELEGATED = `arn:aws:iam::${DEV}:role/dev-datalab-delegated-admin`;

let moto: MotoServer;
let seeded: SeededScenario;
let sandbox: Sandbox;
let mock: MetadataMock | undefined;

beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
});
afterEach(async () => {
  await mock?.stop();
  mock = undefined;
  sandbox.remove();
});

/** The corp account with a CI machine role `ci-runner` whose own policy lists the delegated role. */
async function world(runnerPolicies: Record<string, ReturnType<typeof delegatedRolesPolicy>>): Promise<void> {
  await moto.reset();
  const base = conventionScenario({ users: [USER], projects: { datalab: { envs: { dev: DEV }, roles: ['admin'] } } });
  const scenario: Scenario = { ...base, accounts: [...base.accounts, { id: CORP_ACCOUNT, roles: [{ name: 'ci-runner', policies: runnerPolicies }] }] };
  seeded = await seedScenario(moto.endpoint, scenario);
  sandbox = createSandbox({ endpoint: moto.endpoint });
  delete sandbox.env.AWS_EC2_METADATA_DISABLED;
}

/** Instance-role credentials as EC2 would hand them out: issued by the emulator for ci-runner. */
async function instanceCredentials() {
  const u = seeded.users[USER]!;
  const sts = new STSClient({ endpoint: moto.endpoint, region: 'eu-west-1', credentials: { accessKeyId: u.accessKeyId, secretAccessKey: u.secretAccessKey } });
  const out = await sts.send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${CORP_ACCOUNT}:role/ci-runner`, RoleSessionName: INSTANCE }));
  const c = out.Credentials!;
  return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken!, expiration: c.Expiration! };
}

const anwbis = (args: string[]) => runAnwbis(args, { env: sandbox.env });

describe('--from_ec2_role against a real instance-metadata implementation', () => {
  beforeEach(() => world({ Delegated_Roles: delegatedRolesPolicy([DELEGATED]) }));

  it('reads the instance role with IMDSv2, its policy, and assumes the delegated role with the ExternalId', async () => {
    const credentials = await instanceCredentials();
    mock = await startMetadataMock({ roleName: 'ci-runner', credentials, instanceId: INSTANCE });
    sandbox.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = mock.endpoint;
    await moto.startRecording();
    expectOk(await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '-ext', 'ci-ext-1', '--from_ec2_role', '--nomfa', '--refresh']));
    expect(mock.output()).toMatch(/api\/token/);
    const calls = await moto.recording();
    const policy = calls.find((c) => c.action === 'GetRolePolicy')!;
    expect(policy.params).toMatchObject({ RoleName: 'ci-runner', PolicyName: 'Delegated_Roles' });
    expect(policy.accessKeyId).toBe(credentials.accessKeyId);
    expect(calls.some((c) => c.action === 'ListMFADevices' || c.action === 'GetGroupPolicy')).toBe(false);
    const assume = calls.find((c) => c.action === 'AssumeRole')!;
    expect(assume.accessKeyId).toBe(credentials.accessKeyId);
    expect(assume.params).toMatchObject({ RoleArn: DELEGATED, ExternalId: 'ci-ext-1', RoleSessionName: INSTANCE });
    expect(assume.params).not.toHaveProperty('TokenCode');
    const id = await runAwsCli(['sts', 'get-caller-identity', '--profile', 'datalab-dev-admin'], { env: sandbox.env, endpoint: moto.endpoint });
    expect(JSON.parse(id.stdout).Arn).toBe(`arn:aws:sts::${DEV}:assumed-role/dev-datalab-delegated-admin/${INSTANCE}`);
  });

  it('--session-name overrides the instance id', async () => {
    mock = await startMetadataMock({ roleName: 'ci-runner', credentials: await instanceCredentials(), instanceId: INSTANCE });
    sandbox.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = mock.endpoint;
    await moto.startRecording();
    expectOk(await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '-ext', 'x1', '--from_ec2_role', '--nomfa', '--session-name', 'jenkins-42']));
    expect((await moto.recording()).find((c) => c.action === 'AssumeRole')!.params.RoleSessionName).toBe('jenkins-42');
  });

  it('says when no metadata service answers, with the time it waited, and changes nothing', async () => {
    const closed = await new Promise<number>((resolve) => {
      const server = createServer().listen(0, '127.0.0.1', () => {
        const port = (server.address() as { port: number }).port;
        server.close(() => resolve(port));
      });
    });
    sandbox.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = `http://127.0.0.1:${closed}`;
    const before = snapshot(sandbox);
    const res = await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '-ext', 'x1', '--from_ec2_role', '--nomfa', '--refresh']);
    expectRefused(res, EXIT.config, new RegExp(`no instance metadata service answered at http://127.0.0.1:${closed} \\(waited \\d+ ms\\)`));
    expect(snapshot(sandbox)).toEqual(before);
  });
});

describe('--from_ec2_role with an instance role that has no Delegated_Roles', () => {
  beforeEach(() => world({}));

  it('names the role and the policy it looked for', async () => {
    mock = await startMetadataMock({ roleName: 'ci-runner', credentials: await instanceCredentials(), instanceId: INSTANCE });
    sandbox.env.AWS_EC2_METADATA_SERVICE_ENDPOINT = mock.endpoint;
    const before = snapshot(sandbox);
    const res = await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '-ext', 'x1', '--from_ec2_role', '--nomfa', '--refresh']);
    expectRefused(res, EXIT.denied, /instance role ci-runner has no inline policy Delegated_Roles/);
    expect(snapshot(sandbox)).toEqual(before);
  });
});
