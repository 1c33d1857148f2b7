import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANWBIS_BIN, conventionScenario, run, runAnwbis, runAwsCli } from '@anwbis/tools/emulator';
import { EXIT, emulatorWorld, expectOk, expectRefused, modeOf, startAnwbis, writeLoadTrace } from './helpers.js';

const DEV = '222222222222';
const USER = 'luis.gonzalez';

const world = emulatorWorld(() => conventionScenario({ users: [USER], projects: { datalab: { envs: { dev: DEV }, roles: ['admin', 'devops'] } } }));


const anwbis = (args: string[], input = '') => runAnwbis(args, { env: world.sandbox.env, input });
const aws = (args: string[]) => runAwsCli(args, { env: world.sandbox.env, endpoint: world.moto.endpoint });
const startSession = async () => expectOk(await anwbis(['session', '--mfa-code', '123456']));
const expireCache = () => {
  const path = join(world.sandbox.anwbisHome, 'credentials', 'datalab-dev-admin.json');
  writeFileSync(path, JSON.stringify({ ...JSON.parse(readFileSync(path, 'utf8')), expiration: '2020-01-01T00:00:00.000Z' }));
};

describe('credential-process', () => {
  it('is a credential_process the AWS CLI uses, and the second call is served from the cache', async () => {
    await startSession();
    world.sandbox.write(
      'credentials',
      `${world.sandbox.read('credentials')}\n[datalab-dev-admin]\naws_access_key_id = ASIASTATIC\naws_secret_access_key = stale\n`,
    );
    const configured = await anwbis(['configure', '-p', 'datalab', '-e', 'dev', '-r', 'admin', '--credential-process']);
    expectOk(configured);
    expect(configured.stderr).toMatch(/Removed the static \[datalab-dev-admin\] section/);
    expect(world.sandbox.read('credentials')).not.toContain('[datalab-dev-admin]');
    expect(world.sandbox.read('config')).toContain(`credential_process = ${process.execPath} ${ANWBIS_BIN} credential-process -p datalab -e dev -r admin`);

    await world.moto.startRecording();
    const first = await aws(['sts', 'get-caller-identity', '--profile', 'datalab-dev-admin']);
    expect(first.stderr).toBe('');
    expect(JSON.parse(first.stdout).Arn).toBe(`arn:aws:sts::${DEV}:assumed-role/dev-datalab-delegated-admin/${USER}`);
    expect((await world.moto.recording()).filter((c) => c.action === 'AssumeRole')).toHaveLength(1);

    await world.moto.startRecording();
    const second = await aws(['sts', 'get-caller-identity', '--profile', 'datalab-dev-admin']);
    expect(JSON.parse(second.stdout).Account).toBe(DEV);
    expect((await world.moto.recording()).map((c) => c.action)).toEqual(['GetCallerIdentity']);
    expect(modeOf(join(world.sandbox.anwbisHome, 'credentials', 'datalab-dev-admin.json'))).toBe('600');
  });

  it('configure right after an MFA assume carries the static section\'s valid credentials into the cache instead of dropping them', async () => {
    expectOk(await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456']));
    const staticKey = /aws_access_key_id = (\S+)/.exec(world.sandbox.read('credentials').split('[datalab-dev-admin]')[1]!)![1];
    const configured = await anwbis(['configure', '-p', 'datalab', '-e', 'dev', '-r', 'admin', '--credential-process']);
    expectOk(configured);
    expect(configured.stderr).toMatch(/Its credentials, valid until \S+, now answer credential-process until then/);
    expect(world.sandbox.read('credentials')).not.toContain('[datalab-dev-admin]');

    // No corp session, no terminal: only the carried credentials can answer.
    await world.moto.startRecording();
    const res = await anwbis(['credential-process', '-p', 'datalab', '-e', 'dev', '-r', 'admin']);
    expect(res).toMatchObject({ code: EXIT.ok, stderr: '' });
    expect(JSON.parse(res.stdout).AccessKeyId).toBe(staticKey);
    expect(await world.moto.recording()).toEqual([]);
    expect(modeOf(join(world.sandbox.anwbisHome, 'credentials', 'datalab-dev-admin.json'))).toBe('600');

    const roles = await anwbis(['roles', '--json']);
    expect(JSON.parse(roles.stdout).find((r: { profile: string }) => r.profile === 'datalab-dev-admin')).toMatchObject({ status: 'valid' });
  });

  it('prints the Version 1 JSON and nothing else', async () => {
    await startSession();
    const res = await anwbis(['credential-process', '--target', 'datalab-dev-admin']);
    expect(res).toMatchObject({ code: EXIT.ok, stderr: '' });
    const out = JSON.parse(res.stdout);
    expect(Object.keys(out)).toEqual(['Version', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration']);
    expect(out.Version).toBe(1);
    expect(new Date(out.Expiration).getTime()).toBeGreaterThan(Date.now());
    const hit = await anwbis(['credential-process', '-p', 'datalab', '-e', 'dev', '-r', 'admin']);
    expect(JSON.parse(hit.stdout)).toEqual(out);
    expect(hit.stderr).toBe('');
  });

  it('32 concurrent calls for one expired target make one AssumeRole and give 32 identical answers', async () => {
    await startSession();
    expect(await anwbis(['credential-process', '--target', 'datalab-dev-admin'])).toMatchObject({ code: EXIT.ok, stderr: '' });
    expireCache();
    await world.moto.startRecording();
    const results = await Promise.all(Array.from({ length: 32 }, () => anwbis(['credential-process', '-p', 'datalab', '-e', 'dev', '-r', 'admin'])));
    for (const r of results) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: EXIT.ok, stderr: '' });
    const answers = new Set(results.map((r) => r.stdout));
    expect(answers.size).toBe(1);
    const answer = JSON.parse([...answers][0]!);
    expect(new Date(answer.Expiration).getTime()).toBeGreaterThan(Date.now());
    expect((await world.moto.recording()).filter((c) => c.action === 'AssumeRole')).toHaveLength(1);
  });

  it('32 concurrent calls on a miss: one makes the credentials without oclif, the 31 others wait without loading the command or the AWS SDK', async () => {
    await startSession();
    expect(await anwbis(['credential-process', '--target', 'datalab-dev-admin'])).toMatchObject({ code: EXIT.ok, stderr: '' });
    expireCache();
    const dir = mkdtempSync(join(tmpdir(), 'anwbis-trace-'));
    try {
      // One log per process: which of them loaded what.
      const { hook, loaded: loadedByEach } = writeLoadTrace(dir);
      await world.moto.startRecording();
      const results = await Promise.all(
        Array.from({ length: 32 }, () => run(process.execPath, ['--import', hook, ANWBIS_BIN, 'credential-process', '-p', 'datalab', '-e', 'dev', '-r', 'admin'], { env: world.sandbox.env })),
      );
      for (const r of results) expect({ code: r.code, stderr: r.stderr }).toEqual({ code: EXIT.ok, stderr: '' });
      expect(new Set(results.map((r) => r.stdout)).size).toBe(1);
      expect((await world.moto.recording()).filter((c) => c.action === 'AssumeRole')).toHaveLength(1);
      const loaded = loadedByEach();
      expect(loaded).toHaveLength(32);
      // The one that fetches runs the bundled command (no oclif); the others only the small fast path.
      expect(loaded.filter((l) => /fast\/bundle\/provide\.js|@aws-sdk|@oclif|entry\.js/.test(l))).toHaveLength(1);
      expect(loaded.filter((l) => /@oclif|entry\.js/.test(l))).toEqual([]);
      expect(readdirSync(join(world.sandbox.anwbisHome, 'locks'))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('with no terminal and no corp session: a clear message, the MFA exit code, nothing on stdout', async () => {
    const res = await anwbis(['credential-process', '-p', 'datalab', '-e', 'dev', '-r', 'admin']);
    expectRefused(res, EXIT.mfa, /no valid corp session for default and no terminal to ask for an MFA code[\s\S]*anwbis session/);
    expect(res.stdout).toBe('');
  });
});

describe('exec and env', () => {
  it('exec runs the command with the credentials in its environment, not its arguments, and passes its status on', async () => {
    await startSession();
    const script = [
      'const keys = ["AWS_ACCESS_KEY_ID","AWS_SECRET_ACCESS_KEY","AWS_SESSION_TOKEN","AWS_REGION","AWS_DEFAULT_REGION","AWS_PROFILE"];',
      'process.stdout.write(JSON.stringify({ env: Object.fromEntries(keys.map((k) => [k, process.env[k] ?? null])), argv: process.argv.slice(1) }));',
      'process.exit(3);',
    ].join('\n');
    const res = await runAnwbis(['exec', '-p', 'datalab', '-e', 'dev', '-r', 'admin', '--', process.execPath, '-e', script, 'plain-arg'], {
      env: { ...world.sandbox.env, AWS_PROFILE: 'default' },
    });
    expect({ code: res.code, stderr: res.stderr }).toEqual({ code: 3, stderr: '' });
    const seen = JSON.parse(res.stdout);
    expect(seen.env.AWS_PROFILE).toBeNull();
    expect(seen.env.AWS_ACCESS_KEY_ID).toMatch(/^ASIA/);
    expect(seen.env.AWS_REGION).toBe('eu-west-1');
    expect(seen.env.AWS_DEFAULT_REGION).toBe('eu-west-1');
    expect(seen.argv).toEqual(['plain-arg']);
    const id = await run(process.execPath, [ANWBIS_BIN, 'exec', '--target', 'datalab-dev-admin', '--', 'sh', '-c', 'ps -o args= -p $$; echo $AWS_SESSION_TOKEN'], {
      env: world.sandbox.env,
    });
    expect(id).toMatchObject({ code: EXIT.ok, stderr: '' });
    const [psLine, token] = id.stdout.trim().split('\n');
    expect(token).toBe(seen.env.AWS_SESSION_TOKEN);
    expect(psLine).not.toContain(seen.env.AWS_SECRET_ACCESS_KEY);
    expect(psLine).not.toContain(token);
  });

  it('exec passes a signal-ended child on as 128+signal', async () => {
    await startSession();
    const res = await anwbis(['exec', '--target', 'datalab-dev-admin', '--', 'sh', '-c', 'kill -TERM $$']);
    expect({ code: res.code, stderr: res.stderr }).toEqual({ code: 128 + 15, stderr: '' });
  });

  it('exec passes a signal sent to anwbis on to the command', async () => {
    await startSession();
    const run = startAnwbis(['exec', '--target', 'datalab-dev-admin', '--', 'sh', '-c', 'trap "echo got-term; exit 7" TERM; echo ready; while :; do sleep 0.1; done'], world.sandbox.env);
    await run.waitFor('stdout', /ready/);
    run.child.kill('SIGTERM');
    const res = await run.exited();
    // 7 is the child's own status, passed on.
    expect(res).toMatchObject({ code: 7, stdout: 'ready\ngot-term\n', stderr: '' });
  });

  it('exec with cached credentials starts its command from the bundle, loading neither oclif nor the AWS SDK; a command that is not there, or none, is refused as before', async () => {
    await startSession();
    expect(await anwbis(['credential-process', '--target', 'datalab-dev-admin'])).toMatchObject({ code: EXIT.ok, stderr: '' });
    const dir = mkdtempSync(join(tmpdir(), 'anwbis-trace-'));
    try {
      const { hook, loaded } = writeLoadTrace(dir);
      const res = await run(process.execPath, ['--import', hook, ANWBIS_BIN, 'exec', '-p', 'datalab', '-e', 'dev', '-r', 'admin', '--', 'sh', '-c', 'echo "$ANWBIS_PROFILE"; exit 4'], { env: world.sandbox.env });
      expect(res).toMatchObject({ code: 4, stdout: 'datalab-dev-admin\n', stderr: '' });
      const modules = loaded().join('');
      expect(modules).toContain('/dist/fast/bundle/exec.js');
      expect(modules).not.toMatch(/@aws-sdk|@smithy|@oclif|entry\.js/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    const missing = await anwbis(['exec', '--target', 'datalab-dev-admin', '--', 'no-such-command-anwbis']);
    expect(missing).toMatchObject({ code: EXIT.usage, stdout: '' });
    expect(missing.stderr).toContain('cannot run "no-such-command-anwbis": command not found');
    const nothing = await anwbis(['exec', '--target', 'datalab-dev-admin', '--']);
    expect(nothing).toMatchObject({ code: EXIT.usage, stdout: '' });
    expect(nothing.stderr).toContain('say which command to run after --');
  });

  it('a cache hit loads neither oclif nor the AWS SDK, nor the built-ins only a miss needs (fs/promises, net)', async () => {
    await startSession();
    expect(await anwbis(['credential-process', '--target', 'datalab-dev-admin'])).toMatchObject({ code: EXIT.ok, stderr: '' });
    const dir = mkdtempSync(join(tmpdir(), 'anwbis-trace-'));
    try {
      const { hook, loaded, builtins } = writeLoadTrace(dir);
      const res = await run(process.execPath, ['--import', hook, ANWBIS_BIN, 'credential-process', '-p', 'datalab', '-e', 'dev', '-r', 'admin'], { env: world.sandbox.env });
      expect(res).toMatchObject({ code: EXIT.ok, stderr: '' });
      expect(JSON.parse(res.stdout).Version).toBe(1);
      const modules = loaded().join('');
      // bin/run.js runs the small bundle through node:vm (with its own code cache), which no
      // module hook sees: what it resolved is bin/run.js and built-ins, no module of dist/.
      expect(modules).toContain('bin/run.js');
      expect(modules).not.toMatch(/@aws-sdk|@smithy|@oclif|\/dist\//);
      // fs/promises brings readline's interface and the streams; net the sockets.
      const lists = builtins();
      expect(lists).toHaveLength(1);
      expect(lists[0]).toContain('vm');
      expect(lists[0]).not.toContain('fs/promises');
      expect(lists[0]).not.toContain('net');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('env prints lines for bash, fish and powershell', async () => {
    await startSession();
    const bash = await anwbis(['env', '--target', 'datalab-dev-admin']);
    expect(bash).toMatchObject({ code: EXIT.ok, stderr: '' });
    expect(bash.stdout).toMatch(/^export AWS_ACCESS_KEY_ID='ASIA\w+'$/m);
    expect(bash.stdout).toMatch(/^unset AWS_PROFILE$/m);
    const evaluated = await run('bash', ['-c', `${bash.stdout}\necho "$AWS_ACCESS_KEY_ID $AWS_REGION"`], { env: world.sandbox.env });
    expect(evaluated.stdout.trim()).toMatch(/^ASIA\w+ eu-west-1$/);
    expect((await anwbis(['env', '--target', 'datalab-dev-admin', '--shell', 'fish'])).stdout).toMatch(/^set -gx AWS_SESSION_TOKEN '/m);
    expect((await anwbis(['env', '--target', 'datalab-dev-admin', '--shell', 'powershell'])).stdout).toMatch(/^\$Env:AWS_REGION = 'eu-west-1'$/m);
  });
});
