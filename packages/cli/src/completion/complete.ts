import type { RoleCandidate } from '@anwbis/core';

/** What completion needs to know of a flag (a subset of oclif's manifest entry). */
export interface FlagSpec {
  readonly name: string;
  readonly char?: string | undefined;
  readonly type: 'boolean' | 'option';
  readonly options?: readonly string[] | undefined;
  readonly hidden?: boolean | undefined;
}

/** What completion needs to know of a command. */
export interface CommandSpec {
  readonly id: string;
  readonly hidden?: boolean | undefined;
  readonly flags: Readonly<Record<string, FlagSpec>>;
}

// The command a line without one runs (see flags/argv.ts).
const DEFAULT_COMMAND = 'assume';
const ROLE_FLAGS = new Set(['project', 'env', 'role']);

function findFlag(command: CommandSpec | undefined, word: string): FlagSpec | undefined {
  if (!command) return undefined;
  const flags = Object.values(command.flags);
  if (word.startsWith('--')) {
    // The original's underscore spellings (--iam_master_group) are the dash ones.
    const name = word.slice(2).replace(/_/g, '-');
    return flags.find((f) => f.name === name);
  }
  if (word === '-ext') return flags.find((f) => f.name === 'externalid');
  if (/^-[^-]$/.test(word)) return flags.find((f) => f.char === word.slice(1));
  return undefined;
}

/** The values already given for -p/-e/-r, to narrow the others to roles that exist. */
function givenRoleParts(command: CommandSpec | undefined, words: readonly string[]): Partial<Record<'project' | 'env' | 'role', string>> {
  const given: Partial<Record<'project' | 'env' | 'role', string>> = {};
  for (let i = 0; i < words.length - 1; i++) {
    const word = words[i]!;
    const [head, inline] = word.includes('=') ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)] : [word, undefined];
    const flag = findFlag(command, head);
    if (!flag || flag.type !== 'option') continue;
    const value = inline ?? (i + 1 < words.length - 1 ? words[i + 1] : undefined);
    if (value !== undefined && ROLE_FLAGS.has(flag.name)) given[flag.name as 'project' | 'env' | 'role'] = value;
  }
  return given;
}

function flagValues(flag: FlagSpec, command: CommandSpec | undefined, words: readonly string[], roles: readonly RoleCandidate[]): string[] {
  if (flag.options) return [...flag.options];
  if (!ROLE_FLAGS.has(flag.name)) return [];
  const name = flag.name as 'project' | 'env' | 'role';
  const given = givenRoleParts(command, words);
  const matching = roles.filter((r) => (['project', 'env', 'role'] as const).every((part) => part === name || given[part] === undefined || r[part] === given[part]));
  return [...new Set(matching.map((r) => r[name]))].sort();
}

/** The command a line names: with oclif's space separator, `daemon start` is the command daemon:start. */
function commandOf(words: readonly string[], commands: readonly CommandSpec[]): CommandSpec | undefined {
  let found: CommandSpec | undefined;
  for (let length = 1; length <= words.length && !words[length - 1]!.startsWith('-'); length++) {
    const id = words.slice(0, length).join(':');
    found = commands.find((c) => c.id === id) ?? found;
    if (!commands.some((c) => c.id.startsWith(`${id}:`))) break;
  }
  return found;
}

/** The words that may follow `path` (the words typed so far) in a command id: commands, topics and subcommands. */
function nextCommandWords(path: readonly string[], commands: readonly CommandSpec[]): string[] {
  const prefix = path.length === 0 ? '' : `${path.join(':')}:`;
  const next = commands.filter((c) => !c.hidden && c.id.startsWith(prefix)).map((c) => c.id.slice(prefix.length).split(':')[0]!);
  return [...new Set(next)].sort();
}

/**
 * Completions for a command line. `words` are the words after `anwbis`, the last one being the
 * (possibly empty) word under the cursor; the result is every candidate that starts with it.
 * Commands come first (topics such as `daemon`, then their subcommands), then flags of the
 * command (the default command when the line starts with a flag), then values: a flag's fixed
 * options, and for -p, -e and -r the known roles, narrowed by the other two when they are given.
 */
export function complete(words: readonly string[], commands: readonly CommandSpec[], roles: readonly RoleCandidate[]): string[] {
  const current = words.at(-1) ?? '';
  const typed = words.slice(0, -1);
  const first = words[0] ?? '';
  if (!current.startsWith('-') && typed.every((w) => !w.startsWith('-'))) {
    const next = nextCommandWords(typed, commands).filter((w) => w.startsWith(current));
    if (typed.length === 0 || next.length > 0) return next;
  }

  const command = first.startsWith('-') ? commands.find((c) => c.id === DEFAULT_COMMAND) : commandOf(words, commands);
  // Everything after `--` belongs to another program (exec).
  if (words.slice(0, -1).includes('--')) return [];

  const previous = words.length >= 2 ? words[words.length - 2]! : undefined;
  const valueOf = previous !== undefined && !previous.includes('=') ? findFlag(command, previous) : undefined;
  if (valueOf?.type === 'option') return flagValues(valueOf, command, words, roles).filter((v) => v.startsWith(current));

  if (current.startsWith('--') && current.includes('=')) {
    const head = current.slice(0, current.indexOf('='));
    const flag = findFlag(command, head);
    if (flag?.type !== 'option') return [];
    return flagValues(flag, command, words, roles)
      .map((v) => `${head}=${v}`)
      .filter((v) => v.startsWith(current));
  }
  if (current.startsWith('-') && command) {
    const names = Object.values(command.flags)
      .filter((f) => !f.hidden)
      .map((f) => `--${f.name}`);
    return names.filter((n) => n.startsWith(current)).sort();
  }
  return [];
}
