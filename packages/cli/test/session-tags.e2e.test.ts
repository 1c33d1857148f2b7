import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANWBIS_BIN, conventionScenario, run, runAnwbis, runAwsCli, type RecordedCall } from '@anwbis/tools/emulator';
import { EXIT, emulatorWorld, expectOk, expectRefused, snapshot, writeLoadTrace } from './helpers.js';

const DEV = '222222222222';
const USER = 'luis.gonzalez';

/**
 * Source identity and session tags. moto accepts them without acting on them (no trust policy,
 * no CloudTrail), so what is proven here is what went on the wire, from moto's request recorder.
 */
const world = emulatorWorld(() => conventionScenario({ users: [USER], projects: { datalab: { envs: { dev: DEV }, roles: ['admin'] } } }));

const anwbis = (args: string[], input = '') => runAnwbis(args, { env: world.sandbox.env, input });
const aws = (args: string[]) => runAwsCli(args, { env: world.sandbox.env, endpoint: world.moto.endpoint });
const SEED = ['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456'];

function writeSettings(text: string): void {
  mkdirSync(world.sandbox.anwbisHome, { recursive: true, mode: 0o700 });
  writeFileSync(join(world.sandbox.anwbisHome, 'config'), text);
}

/** The AssumeRole calls recorded, each as its SourceIdentity, Tags.member.N and TransitiveTagKeys.member.N parameters. */
async function assumeRoleTagging(): Promise<Array<Record<string, string>>> {
  const calls: RecordedCall[] = (await world.moto.recording()).filter((c) => c.action === 'AssumeRole');
  return calls.map((c) => Object.fromEntries(Object.entries(c.params).filter(([k]) => /^(SourceIdentity|Tags\.|TransitiveTagKeys\.)/.test(k))) as Record<string, string>);
}

describe('source identity and session tags on AssumeRole', () => {
  it('the seed flow with --source-identity auto --tag team=data sends the corp user name and the tag', async () => {
    await world.moto.startRecording();
    const res = await anwbis([...SEED, '--source-identity', 'auto', '--tag', 'team=data']);
    expectOk(res);
    expect(await assumeRoleTagging()).toEqual([{ SourceIdentity: USER, 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'data' }]);
    // auto is the name the role lookup already had: no call of its own.
    expect((await world.moto.recording()).filter((c) => c.action === 'GetCallerIdentity')).toHaveLength(1);
    const id = await aws(['sts', 'get-caller-identity', '--profile', 'datalab-dev-admin']);
    expect(JSON.parse(id.stdout).Arn).toBe(`arn:aws:sts::${DEV}:assumed-role/dev-datalab-delegated-admin/${USER}`);

    // The same flags again: reused, by the assume bundle without oclif (its flag reader takes them).
    const dir = mkdtempSync(join(tmpdir(), 'anwbis-trace-'));
    try {
      const { hook, loaded } = writeLoadTrace(dir);
      await world.moto.startRecording();
      const again = await run(process.execPath, ['--import', hook, ANWBIS_BIN, ...SEED, '--source-identity', 'auto', '--tag', 'team=data'], { env: world.sandbox.env });
      expect(again).toMatchObject({ code: 0, stdout: '' });
      expect(again.stderr).toMatch(/^\[ OK \] Reusing profile datalab-dev-admin/);
      expect(loaded().join('')).toContain('/dist/fast/bundle/assume-full.js');
      expect(loaded().join('')).not.toMatch(/@oclif|entry\.js/);
      expect(await world.moto.recording()).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sends several tags in order and the transitive keys', async () => {
    await world.moto.startRecording();
    expectOk(await anwbis([...SEED, '--source-identity', 'ana.gomez@example.com', '--tag', 'team=data', '--tag=cost center=CC 42', '--transitive-tag', 'team']));
    expect(await assumeRoleTagging()).toEqual([
      {
        SourceIdentity: 'ana.gomez@example.com',
        'Tags.member.1.Key': 'team',
        'Tags.member.1.Value': 'data',
        'Tags.member.2.Key': 'cost center',
        'Tags.member.2.Value': 'CC 42',
        'TransitiveTagKeys.member.1': 'team',
      },
    ]);
  });

  it('takes them from [assume] in ANWBIS_HOME/config; a reuse is the fast path; other tags are another request', async () => {
    writeSettings('[assume]\nsource_identity = auto\ntags = team=data, cost=42\ntransitive_tags = team\n');
    await world.moto.startRecording();
    expectOk(await anwbis(SEED));
    expect(await assumeRoleTagging()).toEqual([
      { SourceIdentity: USER, 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'data', 'Tags.member.2.Key': 'cost', 'Tags.member.2.Value': '42', 'TransitiveTagKeys.member.1': 'team' },
    ]);

    // The fast path computes the request key with [assume] as the full command does.
    const dir = mkdtempSync(join(tmpdir(), 'anwbis-trace-'));
    try {
      const { hook, loaded } = writeLoadTrace(dir);
      await world.moto.startRecording();
      const again = await run(process.execPath, ['--import', hook, ANWBIS_BIN, ...SEED], { env: world.sandbox.env });
      expect(again).toMatchObject({ code: 0, stdout: '' });
      expect(again.stderr).toMatch(/^\[ OK \] Reusing profile datalab-dev-admin/);
      expect(loaded().join('')).not.toMatch(/@aws-sdk|@smithy|@oclif|zod|entry\.js|assume-full/);
      expect(await world.moto.recording()).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    // A flag over the settings: not the profile written, so a new AssumeRole with it.
    await world.moto.startRecording();
    const other = await anwbis([...SEED, '--tag', 'cost=7']);
    expectOk(other);
    expect(other.stderr).not.toContain('Reusing');
    expect(await assumeRoleTagging()).toEqual([
      { SourceIdentity: USER, 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'data', 'Tags.member.2.Key': 'cost', 'Tags.member.2.Value': '7', 'TransitiveTagKeys.member.1': 'team' },
    ]);
  });

  it('credential-process sends [assume] too, and its cache answers the same request only', async () => {
    writeSettings('[assume]\nsource_identity = auto\ntags = team=data\n');
    await world.moto.startRecording();
    expectOk(await anwbis(['credential-process', ...SEED]));
    expect(await assumeRoleTagging()).toEqual([{ SourceIdentity: USER, 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'data' }]);
    await world.moto.startRecording();
    expectOk(await anwbis(['credential-process', '-p', 'datalab', '-e', 'dev', '-r', 'admin']));
    expect(await world.moto.recording()).toEqual([]);
    await world.moto.startRecording();
    expectOk(await anwbis(['credential-process', ...SEED, '--source-identity', 'ci-runner']));
    expect(await assumeRoleTagging()).toEqual([{ SourceIdentity: 'ci-runner', 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'data' }]);
  });

  const refused: Array<{ name: string; args: string[]; settings?: string; code: number; message: RegExp }> = [
    { name: 'a tag without =', args: ['--tag', 'team'], code: EXIT.usage, message: /invalid --tag "team": a tag is KEY=VALUE\n.*e\.g\. --tag team=data/ },
    { name: 'a one-letter source identity', args: ['--source-identity', 'x'], code: EXIT.usage, message: /invalid --source-identity "x": 2 to 64 of letters, digits and _ \+ = , \. @ -/ },
    { name: 'a source identity of 65 characters', args: ['--source-identity', 'a'.repeat(65)], code: EXIT.usage, message: /invalid --source-identity/ },
    { name: 'a tag value with a comma', args: ['--tag', 'team=a,b'], code: EXIT.usage, message: /invalid --tag value "a,b" of "team"/ },
    { name: 'a reserved tag key', args: ['--tag', 'aws:team=a'], code: EXIT.usage, message: /keys starting with aws: are reserved by AWS/ },
    { name: 'a tag key twice', args: ['--tag', 'team=a', '--tag', 'Team=b'], code: EXIT.usage, message: /--tag "Team" is given twice/ },
    { name: 'a transitive key that is no tag', args: ['--tag', 'team=a', '--transitive-tag', 'cost'], code: EXIT.usage, message: /the transitive tag "cost" is not one of the session tags\n.*--tag cost=VALUE/ },
    { name: '51 tags', args: Array.from({ length: 51 }, (_, i) => `--tag=k${i}=v`), code: EXIT.usage, message: /51 session tags, AWS takes at most 50/ },
    { name: 'a bad [assume] in the config', args: [], settings: '[assume]\ntags = team\n', code: EXIT.config, message: /config: invalid \[assume\] tags "team": a tag is KEY=VALUE/ },
    { name: 'an unknown [assume] key', args: [], settings: '[assume]\nsession_tags = team=a\n', code: EXIT.config, message: /unknown key "session_tags" in \[assume\]/ },
  ];

  it.each(refused)('refuses $name before any AWS call, changing no file', async ({ args, settings, code, message }) => {
    if (settings !== undefined) writeSettings(settings);
    const before = snapshot(world.sandbox);
    await world.moto.startRecording();
    const res = await anwbis([...SEED, ...args]);
    expectRefused(res, code, message);
    expect(res.stdout).toBe('');
    expect(await world.moto.recording()).toEqual([]);
    expect(snapshot(world.sandbox)).toEqual(before);
  });
});
