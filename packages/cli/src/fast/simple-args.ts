import { parseArgs } from 'node:util';
import { normalizeArgv } from '../argv.js';
import { renderError } from '../render.js';

type Options = Readonly<Record<string, { readonly type: 'string' | 'boolean'; readonly short?: string; readonly multiple?: boolean }>>;
type Values<O extends Options> = { [K in keyof O]?: O[K]['type'] extends 'string' ? (O[K] extends { readonly multiple: true } ? string[] : string) : boolean };

/** The session tag flags (flags.ts's sessionTagFlags): repeatable, one value each, as oclif reads them. */
export const SESSION_TAG_OPTIONS = {
  'source-identity': { type: 'string' },
  tag: { type: 'string', multiple: true },
  'transitive-tag': { type: 'string', multiple: true },
} as const;

/** The target and source flags of `assume` and `credential-process` (flags.ts), for {@link simpleArgs}. */
export const TARGET_OPTIONS = {
  project: { type: 'string', short: 'p' },
  env: { type: 'string', short: 'e' },
  role: { type: 'string', short: 'r' },
  contractor: { type: 'string', short: 'c' },
  externalid: { type: 'string' },
  'iam-master-group': { type: 'string' },
  'iam-policy': { type: 'string' },
  'iam-delegated-role': { type: 'string' },
  account: { type: 'string' },
  profile: { type: 'string', short: 'P' },
  region: { type: 'string' },
  nomfa: { type: 'boolean' },
  'mfa-code': { type: 'string' },
  'mfa-process': { type: 'string' },
  'mfa-serial': { type: 'string' },
  verbose: { type: 'boolean', short: 'v' },
  ...SESSION_TAG_OPTIONS,
} as const;

/**
 * The flags of a command that takes the target and source flags and `--target` (flags.ts's
 * targetOrNameFlags and sourceFlags: `credential-process`, and `exec` before its `--`), with the
 * command's defaults; undefined as for {@link simpleArgs}.
 */
export function targetOrNameFlagsOf(command: string, args: readonly string[]) {
  const flags = simpleArgs(command, args, { ...TARGET_OPTIONS, target: { type: 'string' } } as const);
  return flags && { ...flags, nomfa: flags.nomfa ?? false, verbose: flags.verbose ?? false };
}

/**
 * A command's arguments read with Node's own parser, when they are only the given flags, each at
 * most once (a `multiple` one any number of times); undefined for anything else (--help, an unknown or repeated flag, an argument, a
 * value that looks like a flag), which the full CLI then parses, with oclif's messages. The
 * original tool's spellings are rewritten first, as for every command.
 */
export function simpleArgs<O extends Options>(command: string, args: readonly string[], options: O): Values<O> | undefined {
  const normalized = normalizeArgv([command, ...args]);
  if (normalized[0] !== command) return undefined;
  try {
    const { values, tokens } = parseArgs({ args: normalized.slice(1), options: options as never, strict: true, allowPositionals: false, tokens: true });
    const seen = new Set<string>();
    for (const token of tokens) {
      if (token.kind !== 'option') return undefined;
      if (seen.has(token.name) && !options[token.name]?.multiple) return undefined;
      seen.add(token.name);
    }
    return values as Values<O>;
  } catch {
    return undefined;
  }
}

/** Runs a command's work as the entry point would: its exit status, its error on stderr. */
export async function exitStatusOf(work: () => Promise<void>): Promise<number> {
  try {
    await work();
    return 0;
  } catch (error) {
    return renderError(error);
  }
}
