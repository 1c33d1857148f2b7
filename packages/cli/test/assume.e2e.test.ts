import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  conventionScenario,
  createSandbox,
  delegatedRolesPolicy,
  runAnwbis,
  run,
  runAwsCli,
  seedScenario,
  ANWBIS_BIN,
  startMoto,
  type MotoServer,
  type Sandbox,
  type Scenario,
  type SeededScenario,
} from '@anwbis/tools/emulator';
import { EXIT, expectOk, expectRefused, modeOf, snapshot, startAnwbis, writeLoadTrace } from './helpers.js';

const CORP = '111111111111';
const DEV = '222222222222';
const PRO = '333333333333';
const USER = 'luis.gonzalez';

let moto: MotoServer;
let seeded: SeededScenario;
let sandbox: Sandbox;

beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  await moto?.stop();
});
afterEach(() => sandbox?.remove());

async function world(scenario: Scenario): Promise<void> {
  await moto.reset();
  seeded = await seedScenario(moto.endpoint, scenario);
  sandbox = createSandbox({ endpoint: moto.endpoint, profiles: { default: seeded.users[USER]! } });
}

const standard = () =>
  conventionScenario({
    users: [USER],
    projects: { datalab: { envs: { dev: DEV, pro: PRO }, roles: ['admin', 'developer'] } },
    contractors: [{ project: 'datalab', env: 'dev', name: 'acme', externalId: 'acme-7f3a' }],
  });

const anwbis = (args: string[], input = '') => runAnwbis(args, { env: sandbox.env, input });
const aws = (args: string[]) => runAwsCli(args, { env: sandbox.env, endpoint: moto.endpoint });

describe('anwbis assume against the emulator', () => {
  beforeEach(() => world(standard()));

  it('writes a profile that the AWS CLI uses to act in the delegated account', async () => {
    const res = await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin'], '123456\n');
    expectOk(res);
    expect(res.stderr).toContain(`[ OK ] You are authenticated as ${USER}`);
    expect(res.stderr).toContain('[ OK ] Assumed the role successfully');
    expect(res.stdout).toBe('');

    const id = await aws(['sts', 'get-caller-identity', '--profile', 'datalab-dev-admin']);
    expect(id).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(id.stdout)).toMatchObject({
      Account: DEV,
      Arn: `arn:aws:sts::${DEV}:assumed-role/dev-datalab-delegated-admin/${USER}`,
    });
    expect(sandbox.read('config')).toContain('[profile datalab-dev-admin]\nregion = eu-west-1\n');
    expect(modeOf(sandbox.credentialsFile)).toBe('600');
  });

  it('a reused profile is answered without oclif, zod or the AWS SDK, in the very words of the full command', async () => {
    expectOk(await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456']));
    const dir = mkdtempSync(join(tmpdir(), 'anwbis-trace-'));
    try {
      const { hook, loaded } = writeLoadTrace(dir);
      await moto.startRecording();
      const fast = await run(process.execPath, ['--import', hook, ANWBIS_BIN, '-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '999999'], { env: sandbox.env });
      expect(fast).toMatchObject({ code: 0, stdout: '' });
      expect(fast.stderr).toMatch(/^\[ OK \] Reusing profile datalab-dev-admin: still valid until \S+Z\n$/);
      expect(loaded().join('')).not.toMatch(/@aws-sdk|@smithy|@oclif|zod|entry\.js/);
      // -v is not a fast-path flag: the full command, whose words the fast path repeats.
      const full = await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '-v']);
      expect(full.stderr).toContain(fast.stderr);
      const exports = await anwbis(['assume', '-p', 'datalab', '-e', 'dev', '-r', 'admin', '--stdout']);
      expect(exports.stderr).toBe(fast.stderr);
      expect(exports.stdout).toContain(`export AWS_ACCESS_KEY_ID='${/aws_access_key_id = (\S+)/.exec(sandbox.read('credentials').split('[datalab-dev-admin]')[1]!)![1]}'`);
      expect(exports.stdout).toBe((await anwbis(['assume', '-p', 'datalab', '-e', 'dev', '-r', 'admin', '--stdout', '-v'])).stdout);
      expect(await moto.recording()).toEqual([]);

      // The section replaced by hand: neither path reuses it.
      sandbox.write('credentials', sandbox.read('credentials').replace(/(\[datalab-dev-admin\]\naws_access_key_id = )\S+/, '$1AKIAHANDMADE'));
      const replaced = await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456']);
      expectOk(replaced);
      expect(replaced.stderr).not.toContain('Reusing');
      expect(replaced.stderr).toContain('[ OK ] Assumed the role successfully');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an assume of a remembered role loads the STS client and nothing it does not use (no IAM client, HTTP/2, undici, full zod, oclif)', async () => {
    expectOk(await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456']));
    const dir = mkdtempSync(join(tmpdir(), 'anwbis-trace-'));
    try {
      const { hook, loaded, builtins } = writeLoadTrace(dir);
      const res = await run(process.execPath, ['--import', hook, ANWBIS_BIN, '-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456', '--refresh'], { env: sandbox.env });
      expectOk(res);
      expect(res.stderr).toContain('[ OK ] Assumed the role successfully');
      const urls = loaded().join('');
      expect(urls).toContain('/dist/fast/bundle/assume-full.js');
      expect(urls).not.toMatch(/@oclif|entry\.js|client-iam|sdk-iam|zod\/v4\/classic|locales/);
      // Nor zod inside the bundle's chunks: a bundler puts what a lazily loaded chunk keeps alive
      // of it (exec --server's daemon client) in a chunk every assume loads, once zod is reachable
      // from core's index (it was, through the picker's history).
      const chunks = urls.split('\n').filter((url) => url.includes('/dist/fast/bundle/'));
      expect(chunks.length).toBeGreaterThan(1);
      expect(chunks.filter((url) => readFileSync(fileURLToPath(url), 'utf8').includes('node_modules/zod/'))).toEqual([]);
      // An ES module import of node:http reads its WebSocket export, which loads all of undici.
      const lists = builtins();
      expect(lists).toHaveLength(1);
      expect(lists[0]).toEqual(expect.arrayContaining(['http', 'https']));
      expect(lists[0]).not.toContain('internal/deps/undici/undici');
      expect(lists[0]).not.toContain('http2');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sends the MFA device and code, duration and signs with the corp key; reuses; refreshes', async () => {
    await moto.startRecording();
    const first = await anwbis(['assume', '-p', 'datalab', '-e', 'pro', '-r', 'admin', '--mfa-code', '654321', '--duration', '1800']);
    expectOk(first);
    let calls = (await moto.recording()).filter((c) => c.action === 'AssumeRole');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.params).toMatchObject({
      RoleArn: `arn:aws:iam::${PRO}:role/pro-datalab-delegated-admin`,
      RoleSessionName: USER,
      SerialNumber: seeded.users[USER]!.mfaSerial,
      TokenCode: '654321',
      DurationSeconds: '1800',
    });
    expect(calls[0]!.params.ExternalId).toBeUndefined();
    expect(calls[0]!.accessKeyId).toBe(seeded.users[USER]!.accessKeyId);

    await moto.startRecording();
    const again = await anwbis(['-p', 'datalab', '-e', 'pro', '-r', 'admin']);
    expectOk(again);
    expect(again.stderr).toContain('Reusing profile datalab-pro-admin');
    expect(await moto.recording()).toEqual([]);

    await moto.startRecording();
    const refreshed = await anwbis(['-p', 'datalab', '-e', 'pro', '-r', 'admin', '--refresh'], '111222\n');
    expectOk(refreshed);
    calls = await moto.recording();
    // The role was remembered: a refresh is one AssumeRole and nothing else.
    expect(calls.map((c) => c.action)).toEqual(['AssumeRole']);
    expect(calls[0]!.params.TokenCode).toBe('111222');
  });

  it('runs the three lookups of a cold run before the one AssumeRole', async () => {
    await moto.startRecording();
    expectOk(await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'developer', '--mfa-code', '123456']));
    const actions = (await moto.recording()).map((c) => c.action);
    expect(actions.slice(0, 3).sort()).toEqual(['GetCallerIdentity', 'GetGroupPolicy', 'ListMFADevices']);
    expect(actions.slice(3)).toEqual(['AssumeRole']);
  });

  it('assumes a contractor role with its external id (-c, -ext)', async () => {
    await moto.startRecording();
    const res = await anwbis(['--profile', 'default', '-p', 'datalab', '-e', 'dev', '-r', 'contractor', '-c', 'acme', '-ext', 'acme-7f3a', '--mfa-code', '123456']);
    expectOk(res);
    const call = (await moto.recording()).find((c) => c.action === 'AssumeRole')!;
    expect(call.params).toMatchObject({ RoleArn: `arn:aws:iam::${DEV}:role/dev-datalab-delegated-contractor-acme`, ExternalId: 'acme-7f3a' });
    const id = await aws(['sts', 'get-caller-identity', '--profile', 'datalab-dev-contractor-acme']);
    expect(JSON.parse(id.stdout).Arn).toBe(`arn:aws:sts::${DEV}:assumed-role/dev-datalab-delegated-contractor-acme/${USER}`);
  });

  it('takes the code from --mfa-process, run without a shell', async () => {
    await moto.startRecording();
    const res = await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-process', `${process.execPath} -e "process.stdout.write('246810\\n')"`]);
    expectOk(res);
    expect((await moto.recording()).find((c) => c.action === 'AssumeRole')!.params.TokenCode).toBe('246810');
  });

  it('follows naming patterns from ANWBIS_HOME/config', async () => {
    mkdirSync(sandbox.anwbisHome, { recursive: true, mode: 0o700 });
    writeFileSync(join(sandbox.anwbisHome, 'config'), '[naming]\nprofile = aws-{env}-{project}-{role}\n');
    expectOk(await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456']));
    expect(sandbox.read('credentials')).toContain('[aws-dev-datalab-admin]');
    expect(sandbox.read('credentials')).not.toContain('[datalab-dev-admin]');
  });

  it('prints export lines with --stdout and one JSON object with --json, nothing else on stdout', async () => {
    const exported = await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456', '--stdout']);
    expectOk(exported);
    expect(exported.stdout).toMatch(/^export AWS_ACCESS_KEY_ID='ASIA\w+'\nexport AWS_SECRET_ACCESS_KEY='[^']+'\nexport AWS_SESSION_TOKEN='[^']+'\n/);
    expect(exported.stdout).toContain("export AWS_REGION='eu-west-1'\n");
    const json = await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--json']);
    expectOk(json);
    const parsed = JSON.parse(json.stdout);
    expect(parsed).toMatchObject({ Profile: 'datalab-dev-admin', AccountId: DEV, Reused: true, Region: 'eu-west-1' });
    expect(exported.stdout).toContain(parsed.SecretAccessKey);
  });

  it('shows each AWS call with -v and never a secret', async () => {
    const res = await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '-v', '--json'], '123456\n');
    expectOk(res);
    const out = JSON.parse(res.stdout);
    expect(res.stderr).toMatch(/aws sts:AssumeRole .* -> ok in \d+ ms/);
    expect(res.stderr).toMatch(/aws iam:GetGroupPolicy .* -> ok in \d+ ms/);
    expect(res.stderr).toContain('"TokenCode":"<redacted>"');
    for (const secret of [out.SecretAccessKey, out.SessionToken, seeded.users[USER]!.secretAccessKey, '123456']) {
      expect(res.stderr).not.toContain(secret);
    }
  });

  it('keeps every byte outside its section: comments, CRLF, other tools, values with = and /', async () => {
    const u = seeded.users[USER]!;
    const before =
      `# managed by hand\r\n; and by other tools\r\n[default]\r\naws_access_key_id = ${u.accessKeyId}\r\n` +
      `aws_secret_access_key=${u.secretAccessKey}\r\n\r\n[other-tool]\r\naws_access_key_id = AKIAOTHER\r\n` +
      'aws_secret_access_key = abc/def+ghi==\r\nx_security_token_expires = 2030-01-01T00:00:00Z\r\n\r\n' +
      '[datalab-dev-admin]\r\naws_access_key_id = ASIAOLD\r\naws_secret_access_key = old/secret=\r\naws_session_token = OLD\r\n' +
      'aws_security_token = OLDER\r\n\r\n# trailing comment\r\n[zeta]\r\nregion = x\r\n';
    sandbox.write('credentials', before);
    expectOk(await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456']));
    const after = sandbox.read('credentials');
    const start = before.indexOf('[datalab-dev-admin]');
    const end = before.indexOf('\r\n\r\n# trailing comment');
    expect(after.slice(0, start)).toBe(before.slice(0, start));
    expect(after.endsWith(before.slice(end))).toBe(true);
    const section = after.slice(start, after.length - (before.length - end));
    expect(section).toMatch(/^\[datalab-dev-admin\]\r\naws_access_key_id = ASIA\w+\r\naws_secret_access_key = \S+\r\naws_session_token = \S+$/);
    expect(section).not.toContain('OLD');
    expect(modeOf(sandbox.credentialsFile)).toBe('600');
    const corp = await aws(['sts', 'get-caller-identity', '--profile', 'default']);
    expect(JSON.parse(corp.stdout).Arn).toBe(`arn:aws:iam::${CORP}:user/${USER}`);
    const delegated = await aws(['sts', 'get-caller-identity', '--profile', 'datalab-dev-admin']);
    expect(JSON.parse(delegated.stdout).Account).toBe(DEV);
  });

  it('writes sixteen profiles from sixteen parallel runs, and nothing else changes', async () => {
    await moto.reset();
    const roles = ['r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8'];
    seeded = await seedScenario(moto.endpoint, conventionScenario({ users: [USER], projects: { big: { envs: { dev: DEV, pro: PRO }, roles } } }));
    sandbox.remove();
    sandbox = createSandbox({ endpoint: moto.endpoint, profiles: { default: seeded.users[USER]! } });
    const original = sandbox.read('credentials');
    const targets = roles.flatMap((r) => [['dev', r], ['pro', r]] as const);
    const results = await Promise.all(targets.map(([env, role]) => anwbis(['-p', 'big', '-e', env, '-r', role, '--mfa-code', '123456'])));
    results.forEach(expectOk);
    const text = sandbox.read('credentials');
    expect(text.startsWith(original)).toBe(true);
    for (const [env, role] of targets) {
      expect(text).toContain(`[big-${env}-${role}]`);
    }
    const checks = await Promise.all(
      targets.slice(0, 4).map(([env, role]) => aws(['sts', 'get-caller-identity', '--profile', `big-${env}-${role}`])),
    );
    checks.forEach((c, i) => expect(JSON.parse(c.stdout).Arn).toBe(`arn:aws:sts::${targets[i]![0] === 'dev' ? DEV : PRO}:assumed-role/${targets[i]![0]}-big-delegated-${targets[i]![1]}/${USER}`));
  });
});

describe('anwbis assume refuses, explains, and changes nothing', () => {
  beforeEach(async () => {
    await moto.reset();
    const base = standard();
    await world({
      ...base,
      groups: [
        ...base.groups,
        { name: 'corp-nopolicy-master-admin' },
        {
          name: 'corp-multi-master-admin',
          policies: { Delegated_Roles: delegatedRolesPolicy([`arn:aws:iam::${DEV}:role/dev-multi-delegated-admin`, `arn:aws:iam::${PRO}:role/dev-multi-delegated-admin`]) },
        },
      ],
    });
  });

  // `message` must match the `[ ERROR ]` line (and may go on into the next-step line).
  const cases: Array<{ name: string; args: string[]; code: number; message: RegExp; input?: string }> = [
    { name: 'group missing', args: ['-p', 'nosuch', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456'], code: EXIT.denied, message: /not authorized to use role admin for project nosuch: group corp-nosuch-master-admin does not exist/ },
    { name: 'policy missing', args: ['-p', 'nopolicy', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456'], code: EXIT.denied, message: /group corp-nopolicy-master-admin has no inline policy Delegated_Roles/ },
    { name: 'no match', args: ['-p', 'datalab', '-e', 'qa', '-r', 'admin', '--mfa-code', '123456'], code: EXIT.denied, message: /not authorized to use role admin for project datalab: no qa-datalab-delegated-admin in group corp-datalab-master-admin policy Delegated_Roles/ },
    { name: 'several accounts', args: ['-p', 'multi', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456'], code: EXIT.usage, message: /granted in several accounts[\s\S]*222222222222[\s\S]*333333333333[\s\S]*--account/ },
    { name: 'hostile project', args: ['-p', 'x]\naws_access_key_id=EVIL', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456'], code: EXIT.usage, message: /invalid project name "x\]\\naws_access_key_id=EVIL"/ },
    { name: 'hostile env', args: ['-p', 'datalab', '-e', 'dev#x', '-r', 'admin'], code: EXIT.usage, message: /invalid environment name/ },
    { name: 'hostile role', args: ['-p', 'datalab', '-e', 'dev', '-r', 'ad;min'], code: EXIT.usage, message: /invalid role name/ },
    { name: 'hostile profile', args: ['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--profile', 'a]b'], code: EXIT.usage, message: /invalid profile name/ },
    { name: 'malformed MFA code', args: ['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '12345'], code: EXIT.mfa, message: /MFA code from --mfa-code is not six digits/ },
    { name: 'malformed piped code', args: ['-p', 'datalab', '-e', 'dev', '-r', 'admin'], input: 'abcdef\n', code: EXIT.mfa, message: /MFA code from standard input is not six digits/ },
    { name: 'no code and no terminal', args: ['-p', 'datalab', '-e', 'dev', '-r', 'admin'], code: EXIT.mfa, message: /no terminal to ask[\s\S]*--mfa-code/ },
    { name: 'duration too long', args: ['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--duration', '50000'], code: EXIT.usage, message: /--duration 50000 is outside what STS allows for AssumeRole: 900 to 43200 seconds/ },
    { name: 'duration too short', args: ['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--duration', '60'], code: EXIT.usage, message: /900 to 43200/ },
    { name: 'missing -p', args: ['-e', 'dev', '-r', 'admin'], code: EXIT.usage, message: /missing -p\/--project\n {10}for example: anwbis -p datalab -e dev -r admin/ },
    { name: 'unknown source profile', args: ['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--profile', 'nobody', '--mfa-code', '123456'], code: EXIT.config, message: /no usable credentials for profile "nobody"/ },
  ];

  it.each(cases)('$name', async ({ args, code, message, input }) => {
    const before = snapshot(sandbox);
    const res = await anwbis(args, input ?? '');
    expectRefused(res, code, message);
    expect(res.stdout).toBe('');
    expect(snapshot(sandbox)).toEqual(before);
  });

  it('with --account, picks one of several accounts', async () => {
    const res = await anwbis(['-p', 'multi', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456', '--account', PRO, '--json']);
    expectOk(res);
    // The role itself does not exist in moto's PRO account, but moto lets AssumeRole through;
    // what matters here is which ARN anwbis chose.
    expect(JSON.parse(res.stdout).RoleArn).toBe(`arn:aws:iam::${PRO}:role/dev-multi-delegated-admin`);
  });

  it('leaves an unparseable credentials file untouched and says where it is broken', async () => {
    const u = seeded.users[USER]!;
    const broken = `[default]\naws_access_key_id = ${u.accessKeyId}\naws_secret_access_key = ${u.secretAccessKey}\n\n[datalab-dev-admin]\nthis line is not ini\n`;
    sandbox.write('credentials', broken);
    await moto.startRecording();
    const res = await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456']);
    expectRefused(res, EXIT.file, /cannot parse ~\/\.aws\/credentials line 6/);
    expect(readFileSync(sandbox.credentialsFile, 'utf8')).toBe(broken);
    // Refused before any AWS call: no MFA code or STS call is spent on a run that cannot save.
    expect(await moto.recording()).toEqual([]);
  });

  it('refuses a broken config file before any AWS call, leaving both files as they were', async () => {
    const before = snapshot(sandbox);
    sandbox.write('config', '[default]\nregion = eu-west-1\n[default]\nregion = us-east-1\n');
    const withBrokenConfig = snapshot(sandbox);
    await moto.startRecording();
    const res = await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456']);
    expectRefused(res, EXIT.file, /cannot parse ~\/\.aws\/config line 3/);
    expect(await moto.recording()).toEqual([]);
    expect(snapshot(sandbox)).toEqual(withBrokenConfig);
    expect(before).not.toEqual(withBrokenConfig);
  });
});

describe('with IAM policy enforcement on', () => {
  it('is denied by AWS a role the user has no policy for, and says so', async () => {
    await moto.reset();
    const readOnly = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:GetGroupPolicy', 'iam:ListMFADevices', 'sts:GetCallerIdentity'], Resource: '*' }] };
    const base = conventionScenario({ users: [USER], projects: { datalab: { envs: { dev: DEV }, roles: ['admin'] } } });
    // The group lists the role, but the user is not in the group: AWS must deny the AssumeRole.
    await world({ ...base, users: [{ name: USER, groups: [], policies: { ReadOnly: readOnly } }] });
    await moto.enforcePolicies();
    const before = snapshot(sandbox);
    const res = await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456']);
    expectRefused(res, EXIT.denied, /AWS denied assuming arn:aws:iam::222222222222:role\/dev-datalab-delegated-admin/);
    expect(snapshot(sandbox)).toEqual(before);
  });
});

describe('a stdin left open', () => {
  beforeEach(() => world(standard()));
  const waiting = /Assuming role admin from project datalab using MFA device/;

  it('uses a code that arrives on a stdin its writer keeps open, then exits (it hung after writing the profile)', async () => {
    await moto.startRecording();
    const run = startAnwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin'], sandbox.env);
    await run.waitFor('stderr', waiting);
    run.child.stdin.write('135791\n');
    const res = await run.exited();
    run.child.stdin.destroy();
    expectOk(res);
    expect((await moto.recording()).find((c) => c.action === 'AssumeRole')!.params.TokenCode).toBe('135791');
  });

  it('does not hang with nothing on it: anwbis stops waiting (after 15 s) and says how to give the code', async () => {
    const run = startAnwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin'], sandbox.env);
    await run.waitFor('stderr', waiting);
    const res = await run.exited();
    run.child.stdin.destroy();
    expectRefused(res, EXIT.mfa, /an MFA code is needed and there is no terminal to ask for it\n\s+pass --mfa-code CODE/);
    expect(res.stdout).toBe('');
  });
});
