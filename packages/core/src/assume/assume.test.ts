import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AwsCallError, type AwsPort } from '../aws/port.js';
import { allowPolicy, FAKE_WORLD, fakeAws } from '../testing/fake-aws.js';
import { AnwbisError } from '../errors/errors.js';
import type { Prompter } from '../mfa/code.js';
import { assume } from './assume.js';
import type { FlowDeps as AssumeDeps } from './request.js';
import type { AssumeRequest } from './resolve.js';
import { silentEvents } from '../events/events.js';

const ROLE_ARN = FAKE_WORLD.roleArn;
const SERIAL = FAKE_WORLD.serial;
const policy = allowPolicy;

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
      events: silentEvents,
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

  it('does not write a remembered role again (each remembered assume rewrote the same record, about 10 ms of writes and fsyncs)', async () => {
    const aws = fakeAws();
    await assume(request, deps(aws.port, { flag: '123456' }));
    const discovery = join(dir, 'home', 'discovery');
    const [file] = readdirSync(discovery);
    const first = statSync(join(discovery, file!));
    await assume({ ...request, refresh: true }, deps(aws.port, { flag: '123456' }));
    expect(readdirSync(discovery)).toEqual([file]);
    expect(statSync(join(discovery, file!)).ino).toBe(first.ino);
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

  // AWS's JSON-protocol services spell a denial AccessDeniedException; the AssumeRole step knew
  // only AccessDenied, so such a denial neither sent a remembered role back to discovery nor
  // got the AssumeRole explanation.
  it.each(['AccessDenied', 'AccessDeniedException'])('takes %s for a denial: a remembered role is looked up again, and the error names the role', async (code) => {
    const moved = 'arn:aws:iam::333333333333:role/dev-datalab-delegated-admin';
    const aws = fakeAws();
    await assume(request, deps(aws.port, { flag: '123456' }));
    const base = aws.port.assumeRole;
    aws.port.getGroupPolicy = async () => policy(moved);
    aws.port.assumeRole = async (input) => {
      if (input.roleArn === ROLE_ARN) throw new AwsCallError('sts:AssumeRole', code, 'not authorized to perform sts:AssumeRole');
      return base(input);
    };
    expect((await assume({ ...request, refresh: true }, deps(aws.port, { flag: '123456' }))).roleArn).toBe(moved);
    aws.port.assumeRole = async () => {
      throw new AwsCallError('sts:AssumeRole', code, 'not authorized to perform sts:AssumeRole');
    };
    await expect(assume({ ...request, refresh: true, noMfa: true }, deps(aws.port))).rejects.toMatchObject({
      kind: 'denied',
      message: `AWS denied assuming ${moved}: not authorized to perform sts:AssumeRole`,
      next: 'check that the role exists and trusts the corp account, and that your group allows it',
    });
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

  it('sends the source identity (auto: the corp user name GetCallerIdentity gave) and the session tags, and makes no call of its own for the name', async () => {
    const aws = fakeAws();
    await assume({ ...request, noMfa: true, tagging: { sourceIdentity: 'auto', tags: ['team=data', 'cost=42'], transitiveTags: ['team'] } }, deps(aws.port));
    expect(aws.assumed[0]).toMatchObject({ sourceIdentity: 'alice', tags: [{ key: 'team', value: 'data' }, { key: 'cost', value: '42' }], transitiveTagKeys: ['team'] });
    expect(aws.calls.filter((c) => c === 'GetCallerIdentity')).toHaveLength(1);
  });

  it('takes [assume] from ANWBIS_HOME/config, the flags over it', async () => {
    mkdirSync(join(dir, 'home'));
    writeFileSync(join(dir, 'home', 'config'), '[assume]\nsource_identity = auto\ntags = team=data, cost=42\ntransitive_tags = team\n');
    const aws = fakeAws();
    await assume({ ...request, noMfa: true }, deps(aws.port));
    expect(aws.assumed[0]).toMatchObject({ sourceIdentity: 'alice', tags: [{ key: 'team', value: 'data' }, { key: 'cost', value: '42' }], transitiveTagKeys: ['team'] });
    await assume({ ...request, noMfa: true, refresh: true, tagging: { sourceIdentity: 'ana.gomez', tags: ['cost=7'] } }, deps(aws.port));
    expect(aws.assumed[1]).toMatchObject({ sourceIdentity: 'ana.gomez', tags: [{ key: 'team', value: 'data' }, { key: 'cost', value: '7' }], transitiveTagKeys: ['team'] });
  });

  it('a profile assumed with another source identity or tags is not reused as if it were the same', async () => {
    const aws = fakeAws();
    const tagged = { ...request, noMfa: true, tagging: { tags: ['team=data'] } };
    expect((await assume(tagged, deps(aws.port))).reused).toBe(false);
    expect((await assume(tagged, deps(aws.port))).reused).toBe(true);
    expect((await assume({ ...tagged, tagging: { tags: ['team=web'] } }, deps(aws.port))).reused).toBe(false);
    expect((await assume({ ...tagged, tagging: { tags: ['team=web'], sourceIdentity: 'auto' } }, deps(aws.port))).reused).toBe(false);
    expect((await assume({ ...request, noMfa: true }, deps(aws.port))).reused).toBe(false);
    expect(aws.calls.filter((c) => c === 'AssumeRole')).toHaveLength(4);
  });

  it('refuses bad tags before any AWS call and any file written', async () => {
    const aws = fakeAws();
    await expect(assume({ ...request, noMfa: true, tagging: { tags: ['team'] } }, deps(aws.port))).rejects.toMatchObject({ kind: 'usage', message: 'invalid --tag "team": a tag is KEY=VALUE' });
    await expect(assume({ ...request, noMfa: true, tagging: { transitiveTags: ['team'] } }, deps(aws.port))).rejects.toMatchObject({ kind: 'usage' });
    expect(aws.calls).toEqual([]);
    expect(() => readFileSync(join(dir, 'config'))).toThrow();
  });

  it('a denial with tags or a source identity sent says the trust policy must allow sts:TagSession and sts:SetSourceIdentity', async () => {
    const aws = fakeAws({
      assumeRole: async () => {
        throw new AwsCallError('sts:AssumeRole', 'AccessDenied', 'User: arn:aws:iam::111111111111:user/alice is not authorized to perform: sts:TagSession');
      },
    });
    const error = await assume({ ...request, noMfa: true, tagging: { sourceIdentity: 'auto', tags: ['team=data'] } }, deps(aws.port)).catch((e: unknown) => e);
    expect(error).toMatchObject({ kind: 'denied', next: expect.stringContaining("the role's trust policy allows sts:TagSession and sts:SetSourceIdentity") });
    expect((error as AnwbisError).next).toContain('its source identity cannot be changed');
    const plain = await assume({ ...request, noMfa: true }, deps(aws.port)).catch((e: unknown) => e);
    expect((plain as AnwbisError).next).not.toContain('sts:TagSession');
  });

  it('says to send fewer or shorter tags when AWS finds them too large once packed', async () => {
    const aws = fakeAws({
      assumeRole: async () => {
        throw new AwsCallError('sts:AssumeRole', 'PackedPolicyTooLarge', 'Serialized token too large for session');
      },
    });
    await expect(assume({ ...request, noMfa: true, tagging: { tags: ['team=data'] } }, deps(aws.port))).rejects.toMatchObject({
      kind: 'usage',
      message: expect.stringContaining('AWS refused the session tags for'),
      next: 'send fewer or shorter tags (--tag, and tags in [assume] of ANWBIS_HOME/config)',
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
