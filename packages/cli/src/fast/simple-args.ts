import { parseArgs } from 'node:util';
import { FLAG_GROUPS, FLAG_SPELLINGS, normalizeArgv, type FlagName, type FlagSpelling } from '../flags/argv.js';

type Spelling<N extends FlagName> = (typeof FLAG_SPELLINGS)[N];
type ValueOf<S> = S extends { readonly type: 'boolean' } ? boolean : S extends { readonly multiple: true } ? string[] : S extends { readonly type: 'integer' } ? number : string;

/** The flags read, by name, typed as oclif types them. */
export type FlagValues<N extends FlagName> = { [K in N]?: ValueOf<Spelling<K>> };

/** The target and source flags of `assume` and `credential-process` (flags/flags.ts's targetFlags, sourceFlags, sessionTagFlags). */
export const TARGET_AND_SOURCE = [...FLAG_GROUPS.target, ...FLAG_GROUPS.source, ...FLAG_GROUPS.sessionTags] as const;

/**
 * The flags of a command that takes the target and source flags and `--target` (flags/flags.ts's
 * targetOrNameFlags and sourceFlags: `credential-process`, and `exec` before its `--`), with the
 * command's defaults; undefined as for {@link readFlags}.
 */
export function targetOrNameFlagsOf(command: string, args: readonly string[]) {
  const flags = readFlags(command, args, [...TARGET_AND_SOURCE, 'target']);
  return flags && { ...flags, nomfa: flags.nomfa ?? false, verbose: flags.verbose ?? false };
}

/**
 * A command's arguments read as oclif reads them, with the spellings of flags/argv.ts's table (the
 * one oclif's definitions are built from), when they are only the flags `names`, each at most
 * once (a `multiple` one any number of times); undefined for anything else (--help, an unknown
 * or repeated flag, an argument, a value that looks like a flag, an integer that is none),
 * which the full CLI then parses, with oclif's messages. The original tool's spellings are
 * rewritten first, as for every command.
 */
export function readFlags<N extends FlagName>(command: string, args: readonly string[], names: readonly N[]): FlagValues<N> | undefined {
  const normalized = normalizeArgv([command, ...args]);
  if (normalized[0] !== command) return undefined;
  // Node's parser knows no aliases: each is an option of its own, read back under its flag's name.
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  const nameOf = new Map<string, N>();
  for (const name of names) {
    const spelling: FlagSpelling = FLAG_SPELLINGS[name];
    const option = { type: spelling.type === 'boolean' ? 'boolean' : 'string', ...(spelling.multiple ? { multiple: true } : {}) } as const;
    options[name] = { ...option, ...(spelling.char ? { short: spelling.char } : {}) };
    nameOf.set(name, name);
    for (const alias of spelling.aliases ?? []) {
      options[alias] = option;
      nameOf.set(alias, name);
    }
  }
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: normalized.slice(1), options, strict: true, allowPositionals: false, tokens: true });
  } catch {
    return undefined;
  }
  const spellings: Readonly<Record<FlagName, FlagSpelling>> = FLAG_SPELLINGS;
  const seen = new Set<N>();
  for (const token of parsed.tokens ?? []) {
    if (token.kind !== 'option') return undefined;
    const name = nameOf.get(token.name)!;
    if (seen.has(name) && !spellings[name].multiple) return undefined;
    seen.add(name);
  }
  const values: Record<string, unknown> = {};
  for (const [option, value] of Object.entries(parsed.values)) {
    const name = nameOf.get(option)!;
    if (spellings[name].type !== 'integer') values[name] = value;
    else if (typeof value === 'string' && /^-?\d+$/.test(value)) values[name] = Number(value);
    else return undefined;
  }
  return values as FlagValues<N>;
}
