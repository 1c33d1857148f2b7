import { describe, expect, it } from '@jest/globals';
import { Parser, type Command } from '@oclif/core';
import { SESSION_DURATION, splitCommandLine } from '@anwbis/core';
import { FLAG_SPELLINGS, normalizeArgv, type FlagSpelling } from '../flags/argv.js';
import Roles from '../commands/roles.js';
import Tui from '../commands/tui.js';
import Assume from '../commands/assume.js';
import CredentialProcess from '../commands/credential-process.js';
import Exec from '../commands/exec.js';
import Session from '../commands/session.js';
import { assumeFlagsOf } from './assume-flags.js';
import { execFlagsOf } from './exec.js';
import { credentialProcessFlagsOf } from './provide.js';
import { rolesRequestOf } from './roles.js';
import { sessionFlagsOf } from './session-flags.js';
import { pickerRequestOf } from './tui.js';

/**
 * The fast paths of `roles` and `tui` read a command line as oclif does, or decline it (and oclif
 * then reads it, with its own messages): never a third meaning.
 */
const FAST: Readonly<Record<string, { command: Command.Class; read: (args: readonly string[]) => object | undefined }>> = {
  roles: { command: Roles, read: rolesRequestOf },
  tui: { command: Tui, read: pickerRequestOf },
  assume: { command: Assume, read: assumeFlagsOf },
  'credential-process': { command: CredentialProcess, read: credentialProcessFlagsOf },
  // The flags before `--`: the command's own.
  exec: { command: Exec, read: execFlagsOf },
  // --duration's default is core's (corpSession), the one the command gives.
  session: {
    command: Session,
    read: (args) => {
      const flags = sessionFlagsOf(args);
      return flags && { duration: SESSION_DURATION.default, ...flags };
    },
  },
};

const defined = (o: object) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** The flags as the full CLI reads them: rewritten, then parsed by the command's own definitions. */
async function oclifFlags(id: string, args: readonly string[]): Promise<object> {
  const { command } = FAST[id]!;
  const [, ...normalized] = normalizeArgv([id, ...args]);
  return (await Parser.parse(normalized, { flags: command.flags ?? {}, args: command.args ?? {}, strict: command.strict })).flags;
}

describe('the fast paths of anwbis roles, tui, assume, credential-process, exec and session', () => {
  it.each([
    'roles',
    'roles --json',
    'roles -P corp --json --refresh',
    'roles --profile=corp --region eu-west-1 -v',
    'roles --profile corp-session-corp',
    'tui',
    'tui --stdout --mfa-code 123456',
    'tui -P corp --json --duration 900 --region eu-west-1',
    'tui --mfa-process "pass otp aws" --mfa-serial arn:aws:iam::111111111111:mfa/ana',
    'tui -b firefox --isolate --destination s3',
    "tui --browser-command 'brave-browser --incognito {url}'",
    'tui --mfa_code 123456',
    'assume -p datalab -e dev -r admin',
    'assume -p datalab -e dev -r admin --mfa-code 123456 --refresh --stdout -v',
    'assume -p datalab -e dev -r contractor -c acme -ext acme-7f3a --account 222222222222',
    'assume -p datalab -e dev -r admin --iam_master_group g --iam_policy p --iam_delegated_role d -P corp --region eu-west-1',
    'assume -p datalab -e dev -r admin --nomfa --session-name ci --mfa-serial arn:aws:iam::111111111111:mfa/ana --mfa-process "pass otp"',
    'credential-process -p datalab -e dev -r admin',
    'credential-process --target datalab-dev-admin -P corp --region us-west-2 --externalid x --account 333333333333',
    'credential-process -p datalab -e dev -r admin --mfa-code 123456 --nomfa -v --iam_delegated_role d',
    'credential-process --external-id x -p datalab -e dev -r admin',
    'assume --profile corp-session-default -p datalab -e dev -r devops --nomfa',
    'exec -p datalab -e dev -r admin',
    'exec --target datalab-dev-admin -P corp --region us-west-2 -v',
    'exec -p datalab -e dev -r contractor -c acme -ext acme-7f3a --mfa-process "pass otp" --iam_master_group g',
    'assume -p datalab -e dev -r admin --mfa-code 123456 --source-identity auto --tag team=data',
    'assume -p datalab -e dev -r admin --tag team=data --tag=cost=4=2 --transitive-tag team --source_identity ana',
    'credential-process --target datalab-dev-admin --tag team=data --transitive-tag team --transitive-tag=cost',
    'exec -p datalab -e dev -r admin --source-identity ci-runner --tag "cost center=CC 42"',
    'exec --server -p datalab -e dev -r admin',
    'exec -p datalab -e dev -r admin --server --duration 900 -P corp -v',
    'exec --target datalab-dev-admin --server --duration=3600 --region eu-west-1 --tag team=data',
    'tui --stdout --source-identity auto --tag team=data --tag cost=42 --transitive-tag team',
    'assume -p datalab -e dev -r admin --get_session --refresh --stdout -P corp',
    'session',
    'session --mfa-code 123456 --stdout -v',
    'session -P corp --duration 43200 --refresh --region eu-west-1 --mfa-serial arn:aws:iam::111111111111:mfa/ana',
    'session --profile=corp --mfa_process "pass otp aws" --duration=900',
  ])('%s: what oclif reads', async (line) => {
    const [id, ...args] = splitCommandLine(line);
    const fast = FAST[id!]!.read(args);
    expect(fast).toBeDefined();
    expect(defined(fast!)).toEqual(defined(await oclifFlags(id!, args)));
  });

  it.each([
    ['roles --help', 'help'],
    ['roles -h', 'help'],
    ['roles --bogus', 'an unknown flag'],
    ['roles extra', 'an argument'],
    ['roles -P a -P b', 'a repeated flag'],
    ['roles --json=yes', 'a value for a boolean'],
    ['roles --profile', 'a missing value'],
    ['tui --stdout --json', 'exclusive flags'],
    ['tui --duration soon', 'a value that is not an integer'],
    ['tui -b netscape', 'a browser that is not a choice'],
    ['tui --mfa-process -x', 'a value that looks like a flag'],
    ['assume -p datalab -e dev', 'a missing required flag'],
    ['assume -p datalab -e dev -r admin --json', 'a flag the fast path leaves to the command'],
    ['assume -p datalab -e dev -r admin -b firefox', 'the console'],
    ['session --json', 'a flag the fast path leaves to the command'],
    ['session --help', 'help'],
    ['session -p datalab', 'a flag of another command'],
    ['session --duration 8h', 'a value that is not an integer'],
    ['assume -p datalab -e dev -r admin --duration 900', 'an integer flag'],
    ['credential-process -p datalab -e dev -r admin --refresh', 'an unknown flag'],
    ['exec -p datalab -e dev -r admin --duration 900', 'a flag of the server without it'],
    ['exec -p datalab -e dev -r admin --server --duration 600', 'a duration below the minimum'],
    ['exec -p datalab -e dev -r admin --server --mfa-code 123456', 'an MFA flag with the server'],
    ['exec -p datalab -e dev -r admin --server --nomfa', 'the other MFA flag with the server'],
    ['exec -p datalab -e dev -r admin --server=true', 'a value given to the server'],
    ['exec -p datalab -e dev -r admin aws', 'a command without --'],
    ['assume -p datalab -e dev -r admin --tag team=data cost=42', 'a second value after a tag'],
    ['assume -p datalab -e dev -r admin --source-identity a --source-identity b', 'a repeated source identity'],
    ['tui --tag -x=1', 'a tag that looks like a flag'],
    ['roles -Pcorp', 'a short flag with its value attached'],
    ['assume -p datalab -e dev -r admin --nomfa=true', 'a value given to a boolean'],
    ['credential-process -p datalab -e dev -r admin --', 'a lone --'],
    ['roles -vP corp', 'short flags grouped'],
  ])('%s: declined (%s), oclif decides', (line) => {
    const [id, ...args] = splitCommandLine(line);
    expect(FAST[id!]!.read(args)).toBeUndefined();
  });
});

describe('the flags of the commands with a fast path', () => {
  // oclif's definitions are built from flags/argv.ts's table (flags/flags.ts, the commands); a flag defined
  // there without it would be read one way by oclif and another by the fast readers.
  it.each(Object.keys(FAST))('%s spells every flag of the table as the table does', (id) => {
    const spellings: Readonly<Record<string, FlagSpelling>> = FLAG_SPELLINGS;
    for (const [name, flag] of Object.entries(FAST[id]!.command.flags ?? {})) {
      const spelling = spellings[name];
      if (!spelling) continue;
      const { char, aliases, multiple, type } = flag as { char?: string; aliases?: string[]; multiple?: boolean; type: string };
      expect({ name, char, aliases: aliases ?? [], multiple: multiple ?? false, boolean: type === 'boolean' }).toEqual({
        name,
        char: spelling.char,
        aliases: [...(spelling.aliases ?? [])],
        multiple: spelling.multiple ?? false,
        boolean: spelling.type === 'boolean',
      });
    }
  });
});
