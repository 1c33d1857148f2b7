import { describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ANWBIS_BIN,
  FORGED_ROW,
  HOSTILE_ROLE_NAMES,
  manyGroupsScenario,
  run,
  runAnwbis,
  runAwsCli,
  seedHostileRoles,
  TEAM_ACCOUNTS,
  TWO_ACCOUNT_ARNS,
  LEGACY_ACCOUNT,
  bulkAccount,
} from '@anwbis/tools/emulator';
import { emulatorWorld, writeLoadTrace } from './helpers.js';

// Seeding 40 groups and running the CLI several times per test: more than the default allows on a busy machine.
jest.setTimeout(120_000);

const USER = 'ana.ruiz';
const world = emulatorWorld(() => {
  const s = manyGroupsScenario({ user: USER, groups: 40 });
  return { ...s, users: [...s.users, { name: 'nobody', groups: [], mfa: false }] };
});
const anwbis = (args: string[]) => runAnwbis(args, { env: world.sandbox.env, input: '' });

interface JsonRole {
  project: string | null;
  env: string | null;
  role: string;
  account: string;
  roleArn: string;
  profile: string | null;
  group: string;
  policy: string;
  expiresAt: string | null;
}

const rolesJson = async (args: string[] = []): Promise<JsonRole[]> => {
  const res = await anwbis(['roles', '--json', ...args]);
  expect(res.stderr).toBe('');
  expect(res.code).toBe(0);
  return JSON.parse(res.stdout) as JsonRole[];
};

describe('anwbis roles', () => {
  it('--json lists every role of 40 groups: contractors, a group and a role outside the convention, none from groups without the policy', async () => {
    const roles = await rolesJson();
    // 10 bulk envs, 2 contractors, 2 from platform-admins, 34 team groups with a dev and a pro role each.
    expect(roles).toHaveLength(10 + 2 + 2 + 34 * 2);
    expect(roles.find((r) => r.profile === 'bulk-e07-admin')).toEqual({
      project: 'bulk',
      env: 'e07',
      role: 'admin',
      account: bulkAccount(7),
      roleArn: `arn:aws:iam::${bulkAccount(7)}:role/e07-bulk-delegated-admin`,
      profile: 'bulk-e07-admin',
      group: 'corp-bulk-master-admin',
      policy: 'Delegated_Roles',
      expiresAt: null,
      status: 'not-assumed',
      // No daemon answers.
      watched: null,
    });
    expect(roles.filter((r) => r.role.startsWith('contractor-')).map((r) => r.profile)).toEqual(['bulk-e00-contractor-acme', 'bulk-e00-contractor-zeta']);
    expect(roles.find((r) => r.role === 'LegacyAdmin')).toMatchObject({ project: null, env: null, profile: null, account: LEGACY_ACCOUNT, group: 'platform-admins' });
    expect(roles.find((r) => r.project === 'platform')).toMatchObject({ env: 'pro', role: 'admin', profile: 'platform-pro-admin', group: 'platform-admins' });
    expect(roles.some((r) => r.group === 'corp-everyone' || r.group === 'corp-auditors')).toBe(false);
    expect(roles.find((r) => r.profile === 'team016-pro-devops')?.account).toBe(TEAM_ACCOUNTS.pro);
    // Sorted by project, env, role; what does not parse comes last.
    const keys = roles.map((r) => [r.project ?? '\uffff', r.env ?? '\uffff', r.role].join(' '));
    expect(keys).toEqual([...keys].sort((a, b) => a.localeCompare(b)));
    expect(roles.at(-1)?.role).toBe('LegacyAdmin');
  });

  it('answers a second run from the cache with no AWS call; --refresh reads the groups again', async () => {
    const first = await rolesJson();
    await world.moto.startRecording();
    expect(await rolesJson()).toEqual(first);
    expect(await world.moto.recording()).toEqual([]);
    expect(await rolesJson(['--refresh'])).toEqual(first);
    const calls = await world.moto.recording();
    expect(calls.find((c) => c.action === 'ListGroupsForUser')?.params.UserName).toBe(USER);
    expect(calls.filter((c) => c.action === 'GetGroupPolicy')).toHaveLength(40);
    expect(calls.some((c) => ['GetSessionToken', 'AssumeRole', 'ListMFADevices'].includes(c.action))).toBe(false);
  });

  it('a cached listing runs from its bundle: no oclif, nothing from node_modules, no AWS SDK code', async () => {
    const first = await rolesJson();
    const dir = mkdtempSync(join(tmpdir(), 'anwbis-trace-'));
    try {
      const { hook, loaded } = writeLoadTrace(dir);
      const res = await run(process.execPath, ['--import', hook, ANWBIS_BIN, 'roles', '--json'], { env: world.sandbox.env });
      expect(res).toMatchObject({ code: 0, stderr: '' });
      expect(JSON.parse(res.stdout)).toEqual(first);
      const files = loaded()
        .join('')
        .split('\n')
        .filter((url) => url.startsWith('file:'))
        .map((url) => fileURLToPath(url));
      expect(files.some((f) => f.endsWith(join('dist', 'fast', 'bundle', 'roles.js')))).toBe(true);
      expect(files.filter((f) => /node_modules|@oclif|entry\.js$/.test(f))).toEqual([]);
      // The SDK sits in chunks of the same bundle (esbuild names each module's source in a
      // comment), loaded only for a listing that asks AWS.
      expect(files.filter((f) => f !== hook && /^\/\/ \S*node_modules\/(@aws-sdk|@smithy)\//m.test(readFileSync(f, 'utf8')))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shows the status of a profile anwbis wrote, in the table and as expiresAt', async () => {
    const assumed = await anwbis(['-p', 'bulk', '-e', 'e07', '-r', 'admin', '--mfa-code', '123456']);
    expect(assumed.code).toBe(0);
    const roles = await rolesJson();
    const expiresAt = roles.find((r) => r.profile === 'bulk-e07-admin')?.expiresAt;
    expect(new Date(expiresAt!).getTime()).toBeGreaterThan(Date.now());
    const table = await anwbis(['roles']);
    expect(table.code).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^PROJECT\s+ENV\s+ROLE\s+ACCOUNT\s+PROFILE\s+STATUS$/);
    expect(lines.find((l) => l.includes('bulk-e07-admin'))).toMatch(new RegExp(`^bulk\\s+e07\\s+admin\\s+${bulkAccount(7)}\\s+bulk-e07-admin\\s+valid for (59|60)m$`));
    expect(lines.find((l) => l.includes('bulk-e08-admin'))).toMatch(/not assumed$/);
    expect(lines.find((l) => l.includes('LegacyAdmin'))).toMatch(/^-\s+-\s+LegacyAdmin\s+/);
  });

  it('reads with a valid corp session instead of the corp keys', async () => {
    expect((await anwbis(['session', '--mfa-code', '123456'])).code).toBe(0);
    const sessionKey = /\[corp-session-default\]\naws_access_key_id = (\S+)/.exec(world.sandbox.read('credentials'))?.[1];
    await world.moto.startRecording();
    await rolesJson(['--refresh']);
    const calls = await world.moto.recording();
    expect(calls.length).toBeGreaterThan(0);
    expect(new Set(calls.map((c) => c.accessKeyId))).toEqual(new Set([sessionKey]));
  });

  it('explains the convention to a user in no group (exit 4)', async () => {
    const nobody = world.seeded.users.nobody!;
    world.sandbox.write('credentials', `[nobody]\naws_access_key_id = ${nobody.accessKeyId}\naws_secret_access_key = ${nobody.secretAccessKey}\n`);
    const res = await anwbis(['roles', '--profile', 'nobody']);
    expect(res.code).toBe(4);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain('your corp user nobody is in no IAM group');
    expect(res.stderr).toContain('corp-{project}-master-{role}');
  });

  it('says which permission is missing when AWS denies ListGroupsForUser (exit 4)', async () => {
    await world.moto.enforcePolicies();
    const res = await anwbis(['roles']);
    expect(res.stderr).toContain('needs iam:ListGroupsForUser on user ana.ruiz, and AWS denied it');
    expect(res.code).toBe(4);
  });

  it('the AWS CLI sees the same groups', async () => {
    const groups = await runAwsCli(['iam', 'list-groups-for-user', '--user-name', USER], { env: world.sandbox.env, endpoint: world.moto.endpoint });
    expect(JSON.parse(groups.stdout).Groups).toHaveLength(40);
  });

  describe('terminal injection from role ARNs in a Delegated_Roles policy', () => {
    // What a terminal acts on or hides: controls but the line break, C1, DEL, bidi and other format characters.
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    const RAW = /[\x00-\x09\x0b-\x1f\x7f-\x9f\p{Cf}\p{Zl}\p{Zp}]/u;

    it('the table shows every hostile name escaped on its own row, no forged row, and no row padded to 5000 columns', async () => {
      const arns = await seedHostileRoles(world.moto.endpoint, USER);
      const res = await anwbis(['roles', '--refresh', '-v']);
      expect(res.code).toBe(0);
      expect(res.stdout).not.toMatch(RAW);
      expect(res.stderr).not.toMatch(RAW);
      const lines = res.stdout.trimEnd().split('\n');
      // 40 groups' roles, the header, and one row per hostile ARN.
      expect(lines).toHaveLength(1 + 10 + 2 + 2 + 34 * 2 + arns.length);
      expect(lines.filter((l) => l.startsWith('team999'))).toEqual([]);
      for (const escaped of [
        'clip\\x1b]52;c;cHduZWQ=\\x07',
        'title\\x1b]2;pwned-title\\x1b\\',
        'clear\\x1b[2J\\x1b[H',
        'csi\\x9b2J',
        'bell\\x07',
        'bidi\\u202enimda-live',
        // Cut at 64 cells, as every name longer than IAM allows.
        `cr\\r${FORGED_ROW.slice(0, 40)}`,
        `nl\\n${FORGED_ROW.slice(0, 40)}`,
      ]) {
        expect(lines.filter((l) => /^evil +- +/.test(l) && l.replace(/^evil +- +/, '').startsWith(escaped))).toHaveLength(1);
      }
      expect(lines.find((l) => l.startsWith('long'))).toMatch(/^long +- +longx{59}… +600000000001 +- +not assumed$/);
      expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(300);
    });

    it('shell completion never offers a role name from the cached list that IAM would refuse', async () => {
      await seedHostileRoles(world.moto.endpoint, USER);
      expect((await anwbis(['roles', '--refresh'])).code).toBe(0);
      const res = await anwbis(['__complete', '--', '-p', 'evil', '-e', 'dev', '-r', '']);
      expect(res.code).toBe(0);
      expect(res.stdout).not.toMatch(RAW);
      expect(res.stdout).toBe('admin\n');
    });

    it('--json keeps the exact ARNs, JSON-escaped so that it is safe on a terminal too', async () => {
      const arns = await seedHostileRoles(world.moto.endpoint, USER);
      const res = await anwbis(['roles', '--refresh', '--json']);
      expect(res.code).toBe(0);
      expect(res.stdout).not.toMatch(RAW);
      const listed = (JSON.parse(res.stdout) as JsonRole[]).map((r) => r.roleArn);
      for (const arn of arns) expect(listed).toContain(arn);
      expect(listed).toContain(`arn:aws:iam::600000000001:role/${HOSTILE_ROLE_NAMES.long}`);
    });

    it('an error that lists ARNs from the policy shows them escaped', async () => {
      await seedHostileRoles(world.moto.endpoint, USER);
      const res = await anwbis(['-p', 'evil', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456']);
      expect(res.code).not.toBe(0);
      expect(res.stderr).not.toMatch(RAW);
      expect(res.stderr).toContain('is granted in several accounts');
      expect(res.stderr).toContain(`  ${TWO_ACCOUNT_ARNS[0].replace('\x1b', '\\x1b').replace('\x07', '\\x07')}\n  ${TWO_ACCOUNT_ARNS[1]}\n`);
    });
  });
});
