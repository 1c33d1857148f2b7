/** Flags that the original anwbis spelled with a single dash and several letters. */
const LONG_SINGLE_DASH: Readonly<Record<string, string>> = { '-ext': '--externalid' };

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
  if (name !== undefined && LONG_SINGLE_DASH[name]) return LONG_SINGLE_DASH[name] + value;
  if (name !== undefined && /^--[a-z0-9]+(_[a-z0-9]+)+$/.test(name)) return name.replace(/_/g, '-') + value;
  return token;
}
