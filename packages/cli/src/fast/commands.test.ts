import { describe, expect, it } from '@jest/globals';
import { Parser, type Command } from '@oclif/core';
import { splitCommandLine } from '@anwbis/core';
import { normalizeArgv } from '../argv.js';
import Roles from '../commands/roles.js';
import Tui from '../commands/tui.js';
import { rolesRequestOf } from './roles.js';
import { pickerRequestOf } from './tui.js';

/**
 * The fast paths of `roles` and `tui` read a command line as oclif does, or decline it (and oclif
 * then reads it, with its own messages): never a third meaning.
 */
const FAST: Readonly<Record<string, { command: Command.Class; read: (args: readonly string[]) => object | undefined }>> = {
  roles: { command: Roles, read: rolesRequestOf },
  tui: { command: Tui, read: pickerRequestOf },
};

const defined = (o: object) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/** The flags as the full CLI reads them: rewritten, then parsed by the command's own definitions. */
async function oclifFlags(id: string, args: readonly string[]): Promise<object> {
  const { command } = FAST[id]!;
  const [, ...normalized] = normalizeArgv([id, ...args]);
  return (await Parser.parse(normalized, { flags: command.flags ?? {}, args: command.args ?? {}, strict: command.strict })).flags;
}

describe('the fast paths of anwbis roles and anwbis tui', () => {
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
  ])('%s: declined (%s), oclif decides', (line) => {
    const [id, ...args] = splitCommandLine(line);
    expect(FAST[id!]!.read(args)).toBeUndefined();
  });
});
