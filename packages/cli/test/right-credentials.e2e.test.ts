import { describe, expect, it } from '@jest/globals';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { conventionScenario, delegatedRolesPolicy, runAnwbis, runAwsCli, type Scenario } from '@anwbis/tools/emulator';
import { emulatorWorld, federationWorld, snapshot } from './helpers.js';

// Regression tests: each request gets the credentials made for it, never another request's
// that happens to map to the same profile name, and the naming settings hold everywhere.

const DEV = '222222222222';
const PRO = '333333333333';
const USER = 'luis.gonzalez';

function scenario(): Scenario {
  const base = conventionScenario({ users: [USER], projects: { datalab: { envs: { dev: DEV }, roles: ['admin', 'devops'] } } });
  const multi = { name: 'corp-multi-master-admin', policies: { Delegated_Roles: delegatedRolesPolicy([`arn:aws:iam::${DEV}:role/dev-multi-delegated-admin`, `arn:aws:iam::${PRO}:role/dev-multi-delegated-admin`]) } };
  return {
    ...base,
    groups: [...base.groups, multi],
    users: base.users.map((u) => ({ ...u, groups: [...(u.groups ?? []), multi.name] })),
    accounts: base.accounts.map((a) => (a.id === DEV ? { ...a, roles: [...a.roles, { name: 'dev-multi-delegated-admin', trust: a.roles[0]!.trust }] } : a)),
  };
}

const world = emulatorWorld(scenario);
const anwbis = (args: string[], env: Record<string, string> = {}) => runAnwbis(args, { env: { ...world.sandbox.env, ...env } });
const callerArn = async (credentials: { AccessKeyId: string; SecretAccessKey: string; SessionToken: string }) => {
  const env: Record<string, string> = { ...world.sandbox.env, AWS_ACCESS_KEY_ID: credentials.AccessKeyId, AWS_SECRET_ACCESS_KEY: credentials.SecretAccessKey, AWS_SESSION_TOKEN: credentials.SessionToken };
  delete env.AWS_PROFILE;
  const res = await runAwsCli(['sts', 'get-caller-identity'], { env, endpoint: world.moto.endpoint });
  expect(res.stderr).toBe('');
  return JSON.parse(res.stdout).Arn as string;
};
const startSession = async () => expect((await anwbis(['session', '--mfa-code', '123456'])).code).toBe(0);
const settings = (text: string) => {
  mkdirSync(world.sandbox.anwbisHome, { recursive: true, mode: 0o700 });
  writeFileSync(join(world.sandbox.anwbisHome, 'config'), text);
};

describe('reuse and caches answer only the request they were made for', () => {
  it('--account 333333333333 after --account 222222222222 is not served the 222222222222 credentials', async () => {
    const first = await anwbis(['-p', 'multi', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456', '--account', DEV, '--json']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout).RoleArn).toBe(`arn:aws:iam::${DEV}:role/dev-multi-delegated-admin`);
    const second = await anwbis(['-p', 'multi', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456', '--account', PRO, '--json']);
    expect(second.code).toBe(0);
    const out = JSON.parse(second.stdout);
    expect(out).toMatchObject({ RoleArn: `arn:aws:iam::${PRO}:role/dev-multi-delegated-admin`, AccountId: PRO, Reused: false });
    expect(second.stderr).toMatch(/Profile multi-dev-admin holds credentials anwbis made for another role, account, source or region: replacing them/);
    expect(second.stderr).not.toMatch(/Reusing profile/);
    const again = await anwbis(['-p', 'multi', '-e', 'dev', '-r', 'admin', '--account', PRO, '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({ AccountId: PRO, Reused: true });
  });

  it('credential-process with --iam-master-group/--iam-delegated-role is not served the cached admin role', async () => {
    await startSession();
    const admin = await anwbis(['credential-process', '-p', 'datalab', '-e', 'dev', '-r', 'admin']);
    expect(admin.code).toBe(0);
    expect(await callerArn(JSON.parse(admin.stdout))).toBe(`arn:aws:sts::${DEV}:assumed-role/dev-datalab-delegated-admin/${USER}`);
    const devops = await anwbis([
      'credential-process', '-p', 'datalab', '-e', 'dev', '-r', 'admin',
      '--iam-master-group', 'corp-datalab-master-devops', '--iam-delegated-role', 'dev-datalab-delegated-devops',
    ]);
    expect(devops.code).toBe(0);
    expect(await callerArn(JSON.parse(devops.stdout))).toBe(`arn:aws:sts::${DEV}:assumed-role/dev-datalab-delegated-devops/${USER}`);
  });

  it('env --region us-west-2 prints us-west-2, not the cached eu-west-1', async () => {
    await startSession();
    const first = await anwbis(['env', '-p', 'datalab', '-e', 'dev', '-r', 'admin', '--region', 'eu-west-1']);
    expect(first.stdout).toContain("export AWS_REGION='eu-west-1'");
    const second = await anwbis(['env', '-p', 'datalab', '-e', 'dev', '-r', 'admin', '--region', 'us-west-2']);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("export AWS_REGION='us-west-2'");
    expect(second.stdout).not.toContain('eu-west-1');
  });

  it('credential-process --profile nosuch is not served from the cache', async () => {
    await startSession();
    expect((await anwbis(['credential-process', '-p', 'datalab', '-e', 'dev', '-r', 'admin'])).code).toBe(0);
    const res = await anwbis(['credential-process', '-p', 'datalab', '-e', 'dev', '-r', 'admin', '--profile', 'nosuch']);
    expect(res.stdout).toBe('');
    expect(res.code).toBe(5);
    expect(res.stderr).toMatch(/no valid corp session for nosuch/);
  });
});

describe('the [naming] settings hold for every command', () => {
  it('credential-process --target under a custom profile pattern names the same role as -p/-e/-r', async () => {
    settings('[naming]\nprofile = {role}-{env}-{project}\n');
    await startSession();
    const byTarget = await anwbis(['credential-process', '--target', 'admin-dev-datalab']);
    expect(byTarget.stderr).toBe('');
    expect(await callerArn(JSON.parse(byTarget.stdout))).toBe(`arn:aws:sts::${DEV}:assumed-role/dev-datalab-delegated-admin/${USER}`);
    const byParts = await anwbis(['credential-process', '-p', 'datalab', '-e', 'dev', '-r', 'admin']);
    expect(JSON.parse(byParts.stdout)).toEqual(JSON.parse(byTarget.stdout));
  });

  it('credential-process finds the corp session under a custom [naming] session pattern', async () => {
    settings('[naming]\nsession = {profile}-mfa-session\n');
    await startSession();
    expect(world.sandbox.read('credentials')).toContain('[default-mfa-session]');
    const res = await anwbis(['credential-process', '-p', 'datalab', '-e', 'dev', '-r', 'admin']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(await callerArn(JSON.parse(res.stdout))).toBe(`arn:aws:sts::${DEV}:assumed-role/dev-datalab-delegated-admin/${USER}`);
  });

  describe('anwbis console', () => {
    // moto has no console federation endpoint: a stand-in that follows AWS's documented protocol.
    const federation = federationWorld();

    it('opens the profile the [naming] profile pattern names', async () => {
      settings('[naming]\nprofile = {role}-{env}-{project}\n');
      expect((await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456'])).code).toBe(0);
      expect(world.sandbox.read('credentials')).toContain('[admin-dev-datalab]');
      const res = await anwbis(['console', '-p', 'datalab', '-e', 'dev', '-r', 'admin', '-b', 'link'], { ANWBIS_FEDERATION_ENDPOINT: federation.standIn.endpoint });
      expect(res.stderr).toBe('');
      expect(res.code).toBe(0);
      expect(res.stdout).toMatch(/Action=login/);
    });

    it('uses the refresh margin of the settings, not a fixed 60 s', async () => {
      settings('[cache]\nrefresh_margin_seconds = 1000\n');
      expect((await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456', '--duration', '900'])).code).toBe(0);
      const res = await anwbis(['console', '-p', 'datalab', '-e', 'dev', '-r', 'admin', '-b', 'link'], { ANWBIS_FEDERATION_ENDPOINT: federation.standIn.endpoint });
      expect(res.code).toBe(3);
      expect(res.stderr).toMatch(/profile datalab-dev-admin has no valid credentials from anwbis/);
    });
  });
});

describe('nothing half done', () => {
  it('--json prints the result through oclif, and on an error stdout stays empty and the exit code is documented', async () => {
    const ok = await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456', '--json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ Profile: 'datalab-dev-admin', AccountId: DEV, Reused: false });
    const denied = await anwbis(['-p', 'nosuch', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456', '--json']);
    expect({ code: denied.code, stdout: denied.stdout }).toEqual({ code: 4, stdout: '' });
    expect(denied.stderr).toMatch(/^\[ ERROR \] not authorized to use role admin for project nosuch/m);
  });

  it('configure -v shows what it wrote', async () => {
    const res = await anwbis(['configure', '-p', 'datalab', '-e', 'dev', '-r', 'admin', '--credential-process', '-v']);
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/\[ \.\. \] config file section \[profile datalab-dev-admin\]/);
  });

  it('configure --credential-process with an unparseable credentials file changes neither file', async () => {
    world.sandbox.write('credentials', `${world.sandbox.read('credentials')}\nnot a line anyone can read\n`);
    const before = snapshot(world.sandbox);
    const res = await anwbis(['configure', '-p', 'datalab', '-e', 'dev', '-r', 'admin', '--credential-process']);
    expect(res.code).toBe(7);
    expect(res.stderr).toMatch(/cannot parse .*credentials line \d+/);
    expect(snapshot(world.sandbox)).toEqual(before);
  });

  it('an ANWBIS_HOME that cannot be written still gets the profile written, with a warning', async () => {
    const blocked = join(world.sandbox.dir, 'not-a-directory');
    writeFileSync(blocked, '');
    chmodSync(blocked, 0o400);
    const res = await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456'], { ANWBIS_HOME: join(blocked, 'anwbis') });
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/\[ WARN \] profile datalab-dev-admin was written, but its expiry could not be saved/);
    const check = await runAwsCli(['sts', 'get-caller-identity', '--profile', 'datalab-dev-admin'], { env: world.sandbox.env, endpoint: world.moto.endpoint });
    expect(JSON.parse(check.stdout).Arn).toBe(`arn:aws:sts::${DEV}:assumed-role/dev-datalab-delegated-admin/${USER}`);
  });
});
