import { describe, expect, it } from '@jest/globals';
import { Flags, Parser, type Command } from '@oclif/core';
import { prepareRequest, splitCommandLine } from '@anwbis/core';
import { normalizeArgv } from '../flags/argv.js';
import { requestFromFlags } from '../flags/request.js';
import Assume from './assume.js';
import Configure from './configure.js';
import Console from './console.js';
import CredentialProcess from './credential-process.js';
import Env from './env.js';
import Exec from './exec.js';
import Session from './session.js';
import Watch from './watch.js';

/**
 * Command line -> parsed flags -> assume request, in-process: the rewrite of the original
 * tool's spellings, each command's own flag definitions through oclif's parser, and the
 * mapping every role-taking command shares. What only a real process shows (exit codes,
 * files, the AWS CLI reading them) stays in test/.
 */
const COMMANDS: Readonly<Record<string, Command.Class>> = {
  assume: Assume,
  configure: Configure,
  console: Console,
  'credential-process': CredentialProcess,
  env: Env,
  exec: Exec,
  session: Session,
  watch: Watch,
};

/** Commands whose flags name a delegated role, and so go through requestFromFlags. */
const TAKES_A_ROLE = new Set(['assume', 'configure', 'credential-process', 'env', 'exec', 'watch']);

type ParsedFlags = Record<string, unknown>;

/** Parses a command line as `anwbis` does: rewritten, then by the command's own flags. */
async function parse(line: string): Promise<{ id: string; flags: ParsedFlags }> {
  const [id, ...rest] = normalizeArgv(splitCommandLine(line));
  const command = COMMANDS[id ?? ''];
  if (!command) throw new Error(`no command ${id} in ${JSON.stringify(line)}`);
  // What follows `--` is exec's child command; exec parses only what comes before it.
  const end = rest.indexOf('--');
  const { flags } = await Parser.parse(end === -1 ? rest : rest.slice(0, end), {
    // oclif adds --json itself to a command with enableJsonFlag.
    flags: { ...command.baseFlags, ...(command.enableJsonFlag ? { json: Flags.boolean() } : {}), ...command.flags },
    args: command.args ?? {},
    strict: command.strict,
  });
  return { id: id!, flags };
}

async function request(line: string) {
  return requestFromFlags((await parse(line)).flags);
}

/** The request as core checks it before anything is read or asked (default naming, no settings file). */
async function prepared(line: string) {
  return prepareRequest(await request(line), { env: { HOME: '/nonexistent', ANWBIS_HOME: '/nonexistent/anwbis' }, mfa: { prompter: { interactive: false, ask: async () => '' } } });
}

/** What a call threw, to compare as an object; not throwing fails the test. */
async function failure(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected it to fail');
}

const role = (project: string, env: string, name: string) => ({ target: { project, env, role: name } });

describe('the original README command lines', () => {
  it.each<[string, ParsedFlags, object]>([
    ['-p datalab -e dev -r admin -b firefox', { browser: 'firefox', nomfa: false, 'get-session': false }, role('datalab', 'dev', 'admin')],
    [
      '--profile corp -p datalab -e pro -r contractor -c acme -ext 1234-abcd',
      { profile: 'corp', contractor: 'acme', externalid: '1234-abcd' },
      { target: { project: 'datalab', env: 'pro', role: 'contractor', contractor: 'acme' }, sourceProfile: 'corp', externalId: '1234-abcd' },
    ],
    [
      '-p datalab -e dev -r admin -ext ci-ext-1 --from_ec2_role --nomfa --refresh',
      { 'from-ec2-role': true, nomfa: true, refresh: true },
      { ...role('datalab', 'dev', 'admin'), noMfa: true, externalId: 'ci-ext-1' },
    ],
    ['--profile corp -p datalab -e dev -r admin --get_session', { 'get-session': true, nomfa: false }, { ...role('datalab', 'dev', 'admin'), sourceProfile: 'corp' }],
    [
      '--profile corp-session-corp -p datalab -e dev -r devops --nomfa -b chrome',
      { browser: 'chrome', nomfa: true },
      { ...role('datalab', 'dev', 'devops'), sourceProfile: 'corp-session-corp', noMfa: true },
    ],
    [
      '-p datalab -e dev -r admin --iam_master_group corp-datalab-master-devops --iam_policy Delegated_Roles --iam_delegated_role dev-datalab-delegated-devops',
      {},
      {
        target: {
          project: 'datalab',
          env: 'dev',
          role: 'admin',
          groupName: 'corp-datalab-master-devops',
          policyName: 'Delegated_Roles',
          delegatedRoleName: 'dev-datalab-delegated-devops',
        },
      },
    ],
  ])('anwbis %s', async (line, flags, expected) => {
    const parsed = await parse(line);
    expect(parsed.id).toBe('assume');
    expect(parsed.flags).toMatchObject(flags);
    expect(requestFromFlags(parsed.flags)).toEqual(expected);
  });
});

describe('flags -> request', () => {
  it.each<[string, object]>([
    // The profile keeps the -p/-e/-r name when the group and role are given outright.
    [
      '-p ignored -e dev -r admin --iam_master_group corp-datalab-master-developer --iam_policy Delegated_Roles --iam_delegated_role dev-datalab-delegated-developer',
      {
        target: {
          project: 'ignored',
          env: 'dev',
          role: 'admin',
          groupName: 'corp-datalab-master-developer',
          policyName: 'Delegated_Roles',
          delegatedRoleName: 'dev-datalab-delegated-developer',
        },
      },
    ],
    ['assume --project datalab --env dev --role admin', role('datalab', 'dev', 'admin')],
    ['-p datalab -e dev -r admin -P corp --region us-east-1', { ...role('datalab', 'dev', 'admin'), sourceProfile: 'corp', region: 'us-east-1' }],
    ['-p datalab -e dev -r admin -ext=a=b', { ...role('datalab', 'dev', 'admin'), externalId: 'a=b' }],
    ['-p datalab -e dev -r admin --external-id x1', { ...role('datalab', 'dev', 'admin'), externalId: 'x1' }],
    ['-p datalab -e dev -r admin --iam-policy=My_Policy', { target: { project: 'datalab', env: 'dev', role: 'admin', policyName: 'My_Policy' } }],
    [
      '-p multi -e dev -r admin --account 333333333333 --mfa_serial arn:aws:iam::111111111111:mfa/u',
      { ...role('multi', 'dev', 'admin'), account: '333333333333', mfaSerial: 'arn:aws:iam::111111111111:mfa/u' },
    ],
    // Flags only the command itself acts on stay out of the request.
    ['-p datalab -e dev -r admin --mfa-code 123456 --duration 1800 --refresh --json --session-name ci -v', role('datalab', 'dev', 'admin')],
    ['credential-process --target datalab-dev-admin', { target: { name: 'datalab-dev-admin' } }],
    ['credential-process -p datalab -e dev -r admin --nomfa', { ...role('datalab', 'dev', 'admin'), noMfa: true }],
    ['env --target datalab-dev-admin --shell fish', { target: { name: 'datalab-dev-admin' } }],
    ['exec --target datalab-dev-admin -- aws --profile x s3 ls', { target: { name: 'datalab-dev-admin' } }],
    ['exec -p datalab -e dev -r admin -- sh -c "echo -p"', role('datalab', 'dev', 'admin')],
    ['configure -p datalab -e dev -r admin --credential-process', role('datalab', 'dev', 'admin')],
    ['configure -p datalab -e pro -r contractor -c acme -ext e1 --credential-process', { target: { project: 'datalab', env: 'pro', role: 'contractor', contractor: 'acme' }, externalId: 'e1' }],
    [
      '-p datalab -e dev -r admin --mfa-code 123456 --source-identity auto --tag team=data',
      { ...role('datalab', 'dev', 'admin'), tagging: { sourceIdentity: 'auto', tags: ['team=data'], transitiveTags: undefined } },
    ],
    [
      '-p datalab -e dev -r admin --tag team=data --tag=cost=4=2 --transitive-tag team --source_identity ana',
      { ...role('datalab', 'dev', 'admin'), tagging: { sourceIdentity: 'ana', tags: ['team=data', 'cost=4=2'], transitiveTags: ['team'] } },
    ],
    ['credential-process --target datalab-dev-admin --tag team=data', { target: { name: 'datalab-dev-admin' }, tagging: { sourceIdentity: undefined, tags: ['team=data'], transitiveTags: undefined } }],
    ['env --target datalab-dev-admin --source-identity auto', { target: { name: 'datalab-dev-admin' }, tagging: { sourceIdentity: 'auto', tags: undefined, transitiveTags: undefined } }],
    ['exec --server --target datalab-dev-admin --source-identity auto -- terraform apply', { target: { name: 'datalab-dev-admin' }, tagging: { sourceIdentity: 'auto', tags: undefined, transitiveTags: undefined } }],
    ['watch -p datalab -e dev -r admin --tag team=data', { ...role('datalab', 'dev', 'admin'), tagging: { sourceIdentity: undefined, tags: ['team=data'], transitiveTags: undefined } }],
    ['exec --target datalab-dev-admin --tag team=data -- aws s3 ls --tag x', { target: { name: 'datalab-dev-admin' }, tagging: { sourceIdentity: undefined, tags: ['team=data'], transitiveTags: undefined } }],
  ])('anwbis %s', async (line, expected) => {
    expect(await request(line)).toEqual(expected);
  });

  it('parses the flags that only the command acts on', async () => {
    expect((await parse('-p d -e dev -r admin --mfa-code 123456 --duration 1800 --refresh --json --session-name ci -v')).flags).toMatchObject({
      'mfa-code': '123456',
      duration: 1800,
      refresh: true,
      json: true,
      stdout: false,
      'session-name': 'ci',
      verbose: true,
    });
    expect((await parse('-p d -e dev -r admin -b link --destination s3 --isolate')).flags).toMatchObject({ browser: 'link', destination: 's3', isolate: true });
    expect((await parse("-p d -e dev -r admin --browser-command 'brave --incognito {url}'")).flags).toMatchObject({ 'browser-command': 'brave --incognito {url}' });
    expect((await parse('env --target d-dev-admin')).flags).toMatchObject({ shell: 'bash' });
    expect((await parse('session --profile corp --duration 43200 --mfa_code 123456 --refresh')).flags).toMatchObject({
      profile: 'corp',
      duration: 43200,
      'mfa-code': '123456',
      refresh: true,
    });
    expect((await parse('session')).flags).toMatchObject({ duration: 28800, refresh: false });
    expect((await parse('console --target datalab-dev-admin -b link --destination ec2')).flags).toMatchObject({ target: 'datalab-dev-admin', browser: 'link', destination: 'ec2' });
  });
});

describe('refused while parsing or mapping: a usage error before anything happens', () => {
  it.each<[string, string]>([
    ['-p datalab -e dev -r contractor -ext x1', '-r contractor needs -c NAME'],
    ['-p datalab -e dev -r contractor -c acme', '-r contractor needs -ext EXTERNAL_ID'],
    ['-p a -e b -r admin -c acme', '-c/--contractor goes with -r contractor'],
    ['credential-process --target datalab-dev-admin -p datalab', 'give either --target or -p/-e/-r, not both'],
    ['credential-process -p datalab -e dev', 'say which role: -p PROJECT -e ENV -r ROLE (or --target PROJECT-ENV-ROLE)'],
    ['env', 'say which role: -p PROJECT -e ENV -r ROLE (or --target PROJECT-ENV-ROLE)'],
    ['-p datalab -e dev -r admin --tag team', 'invalid --tag "team": a tag is KEY=VALUE'],
    ['-p datalab -e dev -r admin --source-identity x', 'invalid --source-identity "x": 2 to 64 of letters, digits and _ + = , . @ -'],
    ['credential-process -p datalab -e dev -r admin --transitive-tag team', 'the flags and [assume] in ANWBIS_HOME/config: the transitive tag "team" is not one of the session tags'],
  ])('anwbis %s: %s', async (line, message) => {
    expect(await failure(() => prepared(line))).toMatchObject({ name: 'AnwbisError', kind: 'usage', message });
  });

  it('reads --target back into -p/-e/-r with the profile pattern, as the full command does', async () => {
    expect((await prepared('credential-process --target datalab-dev-admin')).target).toMatchObject({ project: 'datalab', env: 'dev', role: 'admin', profileName: 'datalab-dev-admin' });
  });

  // oclif's own errors carry the exit status the entry point turns into a usage error.
  it.each<[string, RegExp]>([
    ['-e dev -r admin', /Missing required flag project/],
    ['-p datalab -e dev -r admin -b netscape', /Expected --browser=netscape to be one of: firefox, chrome, google-chrome, chromium, default, link/],
    ['env --target d-dev-admin --shell tcsh', /Expected --shell=tcsh to be one of: /],
    ['-p datalab -e dev -r admin --duration soon', /Expected an integer but received: soon/],
    ['-p datalab -e dev -r admin --no-such-flag', /Nonexistent flag: --no-such-flag/],
    ['-p datalab -e dev -r admin -ext', /Flag --externalid expects a value/],
    ['configure -p datalab -e dev -r admin', /Missing required flag credential-process/],
    ['-p datalab -e dev -r admin --tag team=data cost=42', /Unexpected argument: cost=42/],
  ])('anwbis %s', async (line, message) => {
    const error = await failure(() => parse(line));
    expect(error).toMatchObject({ oclif: { exit: 2 } });
    expect((error as Error).message).toMatch(message);
  });
});

describe('every example in the help', () => {
  const examples = Object.entries(COMMANDS).flatMap(([id, command]) =>
    (command.examples ?? []).map((example) => [id, typeof example === 'string' ? example : example.command] as const),
  );

  it('covers every command', () => {
    expect(new Set(examples.map(([id]) => id))).toEqual(new Set(Object.keys(COMMANDS)));
  });

  it.each(examples)('%s: %s', async (id, example) => {
    // The anwbis part of a shell line: `eval "$(anwbis …)"`, `anwbis … | source`.
    const line = /anwbis (.*?)(?:\)"|\s\|\s|$)/.exec(example)?.[1];
    expect(line).toBeDefined();
    const parsed = await parse(line!);
    expect(parsed.id).toBe(id);
    // `env --unset` undoes a served shell: it names no role.
    if (TAKES_A_ROLE.has(id) && parsed.flags.unset !== true) expect(() => requestFromFlags(parsed.flags)).not.toThrow();
  });
});
