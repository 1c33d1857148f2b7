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
 * command's defaults, and the command's `extra` flags; undefined as for {@link readFlags}.
 */
export function targetOrNameFlagsOf<E extends FlagName = never>(command: string, args: readonly string[], extra: readonly E[] = []) {
  const flags = readFlags(command, args, [...TARGET_AND_SOURCE, 'target', ...extra]);
  return flags && { ...flags, nomfa: flags.nomfa ?? false, verbose: flags.verbose ?? false };
}

/**
 * A command's arguments read as oclif reads them, with the spellings of flags/argv.ts's table (the
 * one oclif's definitions are built from), when they are only the flags `names`, each at most
 * once (a `multiple` one any number of times), as `--name value`, `--name=value` or `-c value`;
 * undefined for anything else (--help, an unknown or repeated flag, an argument, `--`, a value
 * that looks like a flag, a value given to a boolean, an integer that is none, a short flag
 * with its value attached), which the full CLI then parses, with oclif's messages. The
 * original tool's spellings are rewritten first, as for every command.
 *
 * Read by hand, not with node:util's parseArgs: its first call loads Node's argument parser,
 * about 1 ms of every cache-hit credential_process (bench:startup).
 */
export function readFlags<N extends FlagName>(command: string, args: readonly string[], names: readonly N[]): FlagValues<N> | undefined {
  const normalized = normalizeArgv([command, ...args]);
  if (normalized[0] !== command) return undefined;
  const spellings: Readonly<Record<FlagName, FlagSpelling>> = FLAG_SPELLINGS;
  const nameOf = new Map<string, N>();
  for (const name of names) {
    const spelling = spellings[name];
    nameOf.set(`--${name}`, name);
    if (spelling.char) nameOf.set(`-${spelling.char}`, name);
    for (const alias of spelling.aliases ?? []) nameOf.set(`--${alias}`, name);
  }
  const values: Record<string, unknown> = {};
  for (let i = 1; i < normalized.length; i++) {
    const token = normalized[i]!;
    const eq = token.startsWith('--') ? token.indexOf('=') : -1;
    const name = nameOf.get(eq === -1 ? token : token.slice(0, eq));
    if (name === undefined) return undefined;
    const spelling = spellings[name];
    let value: string | boolean;
    if (spelling.type === 'boolean') {
      if (eq !== -1) return undefined;
      value = true;
    } else if (eq !== -1) {
      value = token.slice(eq + 1);
    } else {
      const next = normalized[++i];
      if (next === undefined || next.startsWith('-')) return undefined;
      value = next;
    }
    if (spelling.multiple) {
      ((values[name] ??= []) as unknown[]).push(value);
      continue;
    }
    if (name in values) return undefined;
    if (spelling.type !== 'integer') values[name] = value;
    else if (typeof value === 'string' && /^-?\d+$/.test(value)) values[name] = Number(value);
    else return undefined;
  }
  return values as FlagValues<N>;
}
