import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsCallError, type AssumeRoleInput, type AwsPort } from '../aws/port.js';
import { AnwbisError } from '../errors/errors.js';
import type { Prompter } from '../mfa/code.js';
import { assume, type AssumeDeps, type AssumeRequest } from './assume.js';
import { silentReporter } from './reporter.js';

const ROLE_ARN = 'arn:aws:iam::222222222222:role/dev-datalab-delegated-admin';
const SERIAL = 'arn:aws:iam::111111111111:mfa/alice';
const policy = (...arns: string[]) =>
  encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: arns }] }));

/** A fake AWS that records calls; each behaviour can be replaced per test. */
function fakeAws(overrides: Partial<AwsPort> = {}) {
  const calls: string[] = [];
  const assumed: AssumeRoleInput[] = [];
  const port: AwsPort = {
    getCallerIdentity: async () => (calls.push('GetCallerIdentity'), { account: '111111111111', arn: 'arn:aws:iam::111111111111:user/alice', userId: 'AIDA' }),
    getGroupPolicy: async () => (calls.push('GetGroupPolicy'), policy(ROLE_ARN)),
    getRolePolicy: async () => '',
    listMfaDevices: async () => (calls.push('ListMFADevices'), [SERIAL]),
    assumeRole: async (input) => {
      calls.push('AssumeRole');
      assumed.push(input);
      return { accessKeyId: `ASIA${assumed.length}`, secretAccessKey: 's/e+c=', sessionToken: 'tok', expiration: new Date('2030-01-01T00:00:00Z'), assumedRoleArn: '' };
    },
    getSessionToken: async () => {
      throw new Error('unused');
    },
    listGroupsForUser: async () => [],
    listGroupPolicies: async () => [],
    ...overrides,
  };
  return { port, calls, assumed };
}

const prompter = (answers: string[]): Prompter & { asked: string[] } => {
  const asked: string[] = [];
  return { interactive: true, asked, ask: async (q) => (asked.push(q), answers.shift() ?? '') };
};

describe('assume (service, with fakes)', () => {
  let dir: string;
  let deps: (aws: AwsPort, mfa?: Partial<AssumeDeps['mfa']>) => AssumeDeps;
  const request: AssumeRequest = { target: { project: 'datalab', env: 'dev', role: 'admin' } };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'anwbis-unit-'));
    writeFileSync(join(dir, 'credentials'), '[default]\naws_access_key_id = AKIA\naws_secret_access_key = x\n');
    const env = { HOME: dir, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_CONFIG_FILE: join(dir, 'config'), ANWBIS_HOME: join(dir, 'home') };
    deps = (aws, mfa = {}) => ({
      env,
      clock: { now: () => new Date('2029-12-31T23:00:00Z') },
      reporter: silentReporter,
      mfa: { prompter: prompter([]), ...mfa },
      loadSourceCredentials: async () => ({ accessKeyId: 'AKIA', secretAccessKey: 'x' }),
      instanceMetadata: async () => {
        throw new Error('not on EC2');
      },
      createAws: () => aws,
    });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('asks again on the terminal when AWS rejects the code, up to three times', async () => {
    let tries = 0;
    const rejecting = fakeAws({
      assumeRole: async () => {
        tries++;
        throw new AwsCallError('sts:AssumeRole', 'AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.');
      },
    });
    const p = prompter(['111111', '222222', '333333', '444444']);
    await expect(assume(request, deps(rejecting.port, { prompter: p }))).rejects.toMatchObject({ kind: 'mfa', message: 'AWS rejected the MFA code' });
    expect(tries).toBe(3);
    expect(p.asked).toHaveLength(3);
    expect(() => readFileSync(join(dir, 'config'))).toThrow();
  });

  it('succeeds on the second code after a rejection', async () => {
    const aws = fakeAws();
    const base = aws.port.assumeRole;
    let first = true;
    aws.port.assumeRole = async (input) => {
      if (first) {
        first = false;
        throw new AwsCallError('sts:AssumeRole', 'AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.');
      }
      return base(input);
    };
    const result = await assume(request, deps(aws.port, { prompter: prompter(['111111', '222222']) }));
    expect(result.credentials.accessKeyId).toBe('ASIA1');
    expect(aws.assumed.map((a) => a.tokenCode)).toEqual(['222222']);
  });

  it('does not retry a code given by flag', async () => {
    let tries = 0;
    const aws = fakeAws({
      assumeRole: async () => {
        tries++;
        throw new AwsCallError('sts:AssumeRole', 'AccessDenied', 'MultiFactorAuthentication failed');
      },
    });
    await expect(assume(request, deps(aws.port, { flag: '123456' }))).rejects.toBeInstanceOf(AnwbisError);
    expect(tries).toBe(1);
  });

  it('falls back to ListMFADevices with the user name where the caller cannot be inferred', async () => {
    const names: Array<string | undefined> = [];
    const aws = fakeAws({
      listMfaDevices: async (name) => {
        names.push(name);
        if (!name) throw new AwsCallError('iam:ListMFADevices', 'ValidationError', 'UserName required');
        return [SERIAL];
      },
    });
    await assume(request, deps(aws.port, { flag: '123456' }));
    expect(names).toEqual([undefined, 'alice']);
    expect(aws.assumed[0]!.serialNumber).toBe(SERIAL);
  });

  it('looks the role up again when a remembered one is denied, and uses the new one', async () => {
    const moved = 'arn:aws:iam::333333333333:role/dev-datalab-delegated-admin';
    const aws = fakeAws();
    await assume(request, deps(aws.port, { flag: '123456' }));
    const base = aws.port.assumeRole;
    aws.port.getGroupPolicy = async () => policy(moved);
    aws.port.assumeRole = async (input) => {
      if (input.roleArn === ROLE_ARN) throw new AwsCallError('sts:AssumeRole', 'AccessDenied', 'not authorized to perform sts:AssumeRole');
      return base(input);
    };
    const result = await assume({ ...request, refresh: true }, deps(aws.port, { flag: '123456' }));
    expect(result.roleArn).toBe(moved);
  });

  it('without --nomfa, refuses a user with no MFA device before any AssumeRole', async () => {
    const aws = fakeAws({ listMfaDevices: async () => [] });
    await expect(assume(request, deps(aws.port, { flag: '123456' }))).rejects.toMatchObject({ kind: 'mfa', message: 'no MFA device is registered for alice' });
    expect(aws.calls).not.toContain('AssumeRole');
  });

  it('with --nomfa, neither lists devices nor sends a code', async () => {
    const aws = fakeAws();
    await assume({ ...request, noMfa: true }, deps(aws.port));
    expect(aws.calls).not.toContain('ListMFADevices');
    expect(aws.assumed[0]).not.toHaveProperty('serialNumber');
    expect(aws.assumed[0]).not.toHaveProperty('tokenCode');
  });

  it('says to check the external id when AWS refuses an AssumeRole that sent one', async () => {
    const aws = fakeAws({
      assumeRole: async () => {
        throw new AwsCallError('sts:AssumeRole', 'AccessDenied', 'User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:AssumeRole');
      },
    });
    await expect(assume({ ...request, externalId: 'wrong-id', noMfa: true }, deps(aws.port))).rejects.toMatchObject({
      kind: 'denied',
      message: expect.stringContaining('(check the external id given with -ext)'),
    });
  });

  it('refuses to write over the source profile', async () => {
    const aws = fakeAws();
    await expect(assume({ ...request, sourceProfile: 'datalab-dev-admin', noMfa: true }, deps(aws.port))).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringContaining('would replace your corp credentials'),
    });
    expect(aws.calls).toEqual([]);
  });
});
