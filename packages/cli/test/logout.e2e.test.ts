import { describe, expect, it } from '@jest/globals';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conventionScenario, runAnwbis, runAwsCli } from '@anwbis/tools/emulator';
import { daemonRuntime, emulatorWorld, expectOk } from './helpers.js';

const DEV = '222222222222';
const USER = 'luis.gonzalez';

const world = emulatorWorld(() => conventionScenario({ users: [USER], projects: { datalab: { envs: { dev: DEV }, roles: ['admin', 'developer', 'devops'] } } }));
const anwbis = (args: string[]) => runAnwbis(args, { env: world.sandbox.env });
const aws = (args: string[]) => runAwsCli(args, { env: world.sandbox.env, endpoint: world.moto.endpoint });

// Other tools' sections, comments and CRLF line endings around what anwbis writes. The files
// end with a non-blank line: anwbis appends its section after one blank line, and removing the
// last section takes the blank lines before it.
const toCrlf = (text: string) => text.replace(/\r?\n/g, '\r\n');
const OTHERS_CREDENTIALS = toCrlf('# keys for the build box\n[other-tool]\naws_access_key_id = AKIAOTHERTOOL\naws_secret_access_key = other/secret==\n');
const OTHERS_CONFIG = toCrlf('; SSO, not anwbis\n[profile sso-dev]\nsso_session = corp\nregion = eu-west-1\n');

describe('anwbis logout', () => {
  it('removes one role\'s sections, cache and state; every other byte of the AWS files stays', async () => {
    const { sandbox } = world;
    sandbox.write('credentials', `${OTHERS_CREDENTIALS}\r\n${toCrlf(sandbox.read('credentials'))}`);
    sandbox.write('config', `${toCrlf(sandbox.read('config'))}\r\n${OTHERS_CONFIG}`);
    const beforeCredentials = sandbox.read('credentials');
    const beforeConfig = sandbox.read('config');

    expect((await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456'])).code).toBe(0);
    expect((await anwbis(['credential-process', '-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456'])).code).toBe(0);
    expect(sandbox.read('credentials')).toContain('[datalab-dev-admin]\r\n');

    const res = await anwbis(['logout', '-p', 'datalab', '-e', 'dev', '-r', 'admin']);
    expect(res.stderr).toBe('[ OK ] Logged out of datalab-dev-admin: removed its credentials, config, cached credentials, anwbis state\n');
    expect(res.stdout).toBe('');
    expect(res.code).toBe(0);
    expect(sandbox.read('credentials')).toBe(beforeCredentials);
    expect(sandbox.read('config')).toBe(beforeConfig);
    expect(readdirSync(join(sandbox.anwbisHome, 'profiles'))).toEqual([]);
    expect(readdirSync(join(sandbox.anwbisHome, 'credentials'))).toEqual([]);
    expect((await aws(['sts', 'get-caller-identity', '--profile', 'datalab-dev-admin'])).code).not.toBe(0);
    expect((await aws(['sts', 'get-caller-identity', '--profile', 'default'])).code).toBe(0);
  });

  it('--all removes every profile anwbis wrote, the corp session and credential_process profiles included', async () => {
    const { sandbox } = world;
    sandbox.write('credentials', `${toCrlf(sandbox.read('credentials'))}\r\n${OTHERS_CREDENTIALS}`);
    sandbox.write('config', `${OTHERS_CONFIG}\r\n${toCrlf(sandbox.read('config'))}`);
    const beforeCredentials = sandbox.read('credentials');
    const beforeConfig = sandbox.read('config');

    expect((await anwbis(['session', '--mfa-code', '123456'])).code).toBe(0);
    expect((await anwbis(['--profile', 'corp-session-default', '-p', 'datalab', '-e', 'dev', '-r', 'admin', '--nomfa'])).code).toBe(0);
    expect((await anwbis(['configure', '-p', 'datalab', '-e', 'dev', '-r', 'developer', '--credential-process'])).code).toBe(0);
    expect((await anwbis(['roles'])).code).toBe(0);
    expect(readdirSync(sandbox.anwbisHome)).toEqual(expect.arrayContaining(['discovery', 'roles']));

    const res = await anwbis(['logout', '--all']);
    expect(res.code).toBe(0);
    // Issue 23 item 10: the role lookups and role lists (with the picker's used.json) stayed behind.
    expect(res.stderr).toContain('[ OK ] Forgot the role lists, role lookups and picker history anwbis kept\n');
    expect(readdirSync(sandbox.anwbisHome)).not.toEqual(expect.arrayContaining(['discovery']));
    expect(readdirSync(sandbox.anwbisHome)).not.toEqual(expect.arrayContaining(['roles']));
    expect(res.stderr).toContain('[ OK ] Logged out of corp-session-default');
    expect(res.stderr).toContain('[ OK ] Logged out of datalab-dev-admin');
    expect(res.stderr).toContain('[ OK ] Logged out of datalab-dev-developer: removed its config');
    expect(sandbox.read('credentials')).toBe(beforeCredentials);
    expect(sandbox.read('config')).toBe(beforeConfig);
  });

  it("logout deletes the user's own lines inside anwbis's sections: a comment and a region added by hand stay, only anwbis's keys go, and it says so (CRLF)", async () => {
    const { sandbox } = world;
    expect((await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456'])).code).toBe(0);
    // The person annotates the sections anwbis wrote, in an editor that writes CRLF.
    const credentials = toCrlf(sandbox.read('credentials')).replace('[datalab-dev-admin]\r\n', '[datalab-dev-admin]\r\n; admin on the dev account, see the wiki\r\nregion = eu-central-1\r\n');
    const config = toCrlf(sandbox.read('config')).replace('[profile datalab-dev-admin]\r\n', '[profile datalab-dev-admin]\r\n# written by anwbis\r\n');
    sandbox.write('credentials', credentials);
    sandbox.write('config', config);
    expect((await aws(['sts', 'get-caller-identity', '--profile', 'datalab-dev-admin'])).code).toBe(0);

    const res = await anwbis(['logout', '-p', 'datalab', '-e', 'dev', '-r', 'admin']);
    expect(res.code).toBe(0);
    expect(res.stderr).toBe(
      [
        '[ OK ] Logged out of datalab-dev-admin: removed its credentials, anwbis state',
        "Left [datalab-dev-admin] in ~/.aws/credentials: it has lines anwbis did not write (region, a comment), kept without anwbis's keys.",
        'Left [profile datalab-dev-admin] in ~/.aws/config: it has lines anwbis did not write (a comment).',
        '',
      ].join('\n'),
    );
    const section = /\[datalab-dev-admin\]\r\n[^[]*/.exec(credentials)![0];
    expect(section).toMatch(/^\[datalab-dev-admin\]\r\n; admin on the dev account, see the wiki\r\nregion = eu-central-1\r\naws_access_key_id = ASIA\S+\r\naws_secret_access_key = \S+\r\naws_session_token = \S+\r\n$/);
    expect(sandbox.read('credentials')).toBe(credentials.replace(section, '[datalab-dev-admin]\r\n; admin on the dev account, see the wiki\r\nregion = eu-central-1\r\n'));
    expect(sandbox.read('config')).toBe(config);
    expect((await aws(['sts', 'get-caller-identity', '--profile', 'datalab-dev-admin'])).code).not.toBe(0);
    expect((await aws(['sts', 'get-caller-identity', '--profile', 'default'])).code).toBe(0);
  });

  it('never removes a profile anwbis did not write, and says so', async () => {
    const { sandbox } = world;
    expect((await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456'])).code).toBe(0);
    // Another tool replaces the section anwbis wrote.
    const replaced = sandbox.read('credentials').replace(/(\[datalab-dev-admin\]\naws_access_key_id = )\S+/, '$1AKIAREPLACED');
    sandbox.write('credentials', replaced);

    const res = await anwbis(['logout', '-p', 'datalab', '-e', 'dev', '-r', 'admin']);
    expect(res.code).toBe(0);
    expect(res.stderr).toMatch(/Left \[datalab-dev-admin\] in .*credentials: it holds other keys than anwbis wrote/);
    expect(sandbox.read('credentials')).toBe(replaced);
    expect(existsSync(join(sandbox.anwbisHome, 'profiles', 'datalab-dev-admin.json'))).toBe(false);
  });
});

describe('anwbis logout with the daemon running', () => {
  const runtime = daemonRuntime();
  const withDaemon = (args: string[]) => runAnwbis(args, { env: { ...world.sandbox.env, XDG_RUNTIME_DIR: runtime.dir } });
  const watched = async () => {
    const res = await withDaemon(['daemon', 'status', '--json']);
    expectOk(res);
    return (JSON.parse(res.stdout) as { profiles: Array<{ profile: string }> }).profiles.map((p) => p.profile).sort();
  };
  const daemonLog = () => readFileSync(join(world.sandbox.anwbisHome, 'logs', 'daemon.log'), 'utf8');

  it('logout -p … has the daemon stop watching the profile before its section goes; --all does it for every profile', async () => {
    expectOk(await withDaemon(['session', '--mfa-code', '123456']));
    expectOk(await withDaemon(['daemon', 'start']));
    for (const role of ['admin', 'developer', 'devops']) expectOk(await withDaemon(['watch', '-p', 'datalab', '-e', 'dev', '-r', role]));
    expect(await watched()).toEqual(['datalab-dev-admin', 'datalab-dev-developer', 'datalab-dev-devops']);

    const one = await withDaemon(['logout', '-p', 'datalab', '-e', 'dev', '-r', 'admin']);
    expectOk(one);
    expect(one.stderr).toContain('[ OK ] Logged out of datalab-dev-admin');
    expect(await watched()).toEqual(['datalab-dev-developer', 'datalab-dev-devops']);
    expect(world.sandbox.read('credentials')).not.toContain('[datalab-dev-admin]');
    // Unwatched on logout's request, not because the daemon saw the section go (which it logs
    // with that reason).
    expect(daemonLog()).toMatch(/ stopped watching datalab-dev-admin\n/);
    expect(daemonLog()).not.toContain('stopped watching datalab-dev-admin:');

    const all = await withDaemon(['logout', '--all']);
    expectOk(all);
    expect(await watched()).toEqual([]);
    for (const profile of ['corp-session-default', 'datalab-dev-developer', 'datalab-dev-devops']) expect(world.sandbox.read('credentials')).not.toContain(`[${profile}]`);
    expect(world.sandbox.read('credentials')).toContain('[default]');
    expect(daemonLog()).toMatch(/ stopped watching datalab-dev-developer\n[^]* stopped watching datalab-dev-devops\n/);
    expect((await withDaemon(['daemon', 'stop'])).code).toBe(0);
  });
});
