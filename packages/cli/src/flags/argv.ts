/*
 * How flags are spelled on the command line, in one place: the table below is what oclif's flag
 * definitions (flags/flags.ts and the commands) and the fast paths' readers (fast/simple-args.ts) are
 * both built from, and the original tool's spellings are rewritten here for both. Plain data:
 * the fast bundles load it without oclif.
 */

type Letter = 'a' | 'b' | 'c' | 'd' | 'e' | 'f' | 'g' | 'h' | 'i' | 'j' | 'k' | 'l' | 'm' | 'n' | 'o' | 'p' | 'q' | 'r' | 's' | 't' | 'u' | 'v' | 'w' | 'x' | 'y' | 'z';

/** How one flag is spelled and what it takes. */
export interface FlagSpelling {
  /** `boolean` takes no value; `integer` one whole number; `string` one word. */
  readonly type: 'string' | 'boolean' | 'integer';
  readonly char?: Letter | Uppercase<Letter>;
  readonly aliases?: readonly string[];
  /** Repeatable, one value each (`--tag a --tag b`). */
  readonly multiple?: true;
  /** The original tool's single-dash spelling, rewritten to this flag's (`-ext`). */
  readonly seedSpelling?: `-${string}`;
}

/** Every flag a fast path reads, by name; the same name is spelled the same in every command. */
export const FLAG_SPELLINGS = {
  project: { type: 'string', char: 'p' },
  env: { type: 'string', char: 'e' },
  role: { type: 'string', char: 'r' },
  contractor: { type: 'string', char: 'c' },
  externalid: { type: 'string', aliases: ['external-id'], seedSpelling: '-ext' },
  'iam-master-group': { type: 'string' },
  'iam-policy': { type: 'string' },
  'iam-delegated-role': { type: 'string' },
  account: { type: 'string' },
  target: { type: 'string' },
  profile: { type: 'string', char: 'P' },
  region: { type: 'string' },
  nomfa: { type: 'boolean' },
  'mfa-code': { type: 'string' },
  'mfa-process': { type: 'string' },
  'mfa-serial': { type: 'string' },
  verbose: { type: 'boolean', char: 'v' },
  'source-identity': { type: 'string' },
  tag: { type: 'string', multiple: true },
  'transitive-tag': { type: 'string', multiple: true },
  browser: { type: 'string', char: 'b' },
  'browser-command': { type: 'string' },
  destination: { type: 'string' },
  isolate: { type: 'boolean' },
  duration: { type: 'integer' },
  server: { type: 'boolean' },
  refresh: { type: 'boolean' },
  stdout: { type: 'boolean' },
  json: { type: 'boolean' },
  'session-name': { type: 'string' },
  'get-session': { type: 'boolean' },
} as const satisfies Readonly<Record<string, FlagSpelling>>;

export type FlagName = keyof typeof FLAG_SPELLINGS;

/** The flags flags/flags.ts groups (targetFlags, sourceFlags, …), named for the fast readers of the same commands. */
export const FLAG_GROUPS = {
  target: ['project', 'env', 'role', 'contractor', 'externalid', 'iam-master-group', 'iam-policy', 'iam-delegated-role', 'account'],
  source: ['profile', 'region', 'nomfa', 'mfa-code', 'mfa-process', 'mfa-serial', 'verbose'],
  sessionTags: ['source-identity', 'tag', 'transitive-tag'],
  console: ['browser', 'browser-command', 'destination', 'isolate'],
} as const satisfies Readonly<Record<string, readonly FlagName[]>>;

/** The part of a spelling that oclif's flag options take, as oclif types it. */
type OclifSpelling<S> = { -readonly [K in keyof S as K extends 'type' | 'seedSpelling' ? never : K]: S[K] extends readonly string[] ? string[] : S[K] };

/** A flag's spelling as oclif's flag options take it (char, aliases, multiple), for flags/flags.ts and the commands. */
export function spelled<N extends FlagName>(name: N): OclifSpelling<(typeof FLAG_SPELLINGS)[N]> {
  const { char, aliases, multiple } = FLAG_SPELLINGS[name] as FlagSpelling;
  return { ...(char ? { char } : {}), ...(aliases ? { aliases: [...aliases] } : {}), ...(multiple ? { multiple } : {}) } as OclifSpelling<(typeof FLAG_SPELLINGS)[N]>;
}

/** Flags that the original anwbis spelled with a single dash and several letters. */
const LONG_SINGLE_DASH: ReadonlyMap<string, string> = new Map(
  Object.entries(FLAG_SPELLINGS as Readonly<Record<string, FlagSpelling>>).flatMap(([name, s]) => (s.seedSpelling ? [[s.seedSpelling, `--${name}`] as const] : [])),
);

const ROOT_FLAGS = new Set(['--help', '-h', '--version']);

/**
 * Rewrites a command line of the original anwbis into this CLI's form, so every command line
 * in its README runs as written:
 * - no subcommand (`anwbis -p datalab -e dev -r admin`) means `assume`;
 * - `-ext ID` is `--externalid ID`;
 * - underscore spellings (`--iam_master_group`, `--get_session`) are the dash ones.
 * Everything after `--` is left alone (it belongs to a child command).
 */
export function normalizeArgv(argv: readonly string[]): string[] {
  const end = argv.indexOf('--');
  const head = (end === -1 ? argv : argv.slice(0, end)).map(rewriteToken);
  const tail = end === -1 ? [] : argv.slice(end);
  const first = head[0];
  if (first === '-h') head[0] = '--help';
  else if (first !== undefined && first.startsWith('-') && !ROOT_FLAGS.has(first)) head.unshift('assume');
  return [...head, ...tail];
}

function rewriteToken(token: string): string {
  const [name, ...rest] = token.split('=');
  const value = rest.length > 0 ? `=${rest.join('=')}` : '';
  const long = name === undefined ? undefined : LONG_SINGLE_DASH.get(name);
  if (long !== undefined) return long + value;
  if (name !== undefined && /^--[a-z0-9]+(_[a-z0-9]+)+$/.test(name)) return name.replace(/_/g, '-') + value;
  return token;
}
