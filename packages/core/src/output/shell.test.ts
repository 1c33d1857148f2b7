import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnwbisError } from '../errors/errors.js';
import { thrownAnwbisError } from '../testing/caught.js';
import { formatShellExports, type Shell } from './shell.js';

/** Values a hostile or merely unlucky credential source could hand back. */
const HOSTILE = [
  `it's`,
  `say "hi"`,
  '$(touch /tmp/anwbis-pwned)',
  '`id`',
  'back\\slash\\\\ and \\n and trailing\\',
  'line one\nline two\n',
  '\r\ncarriage',
  '!! !$ history',
  '100% %PATH% %s',
  '${HOME} $HOME $0 $$',
  '* ~ {a,b} [x] ?',
  "''\"\"\\'\\\"",
  '-n',
  '# not a comment; ; & | > <',
  'Zürich ☃ 雪 🔑',
  '\u2018left\u2019 right \u201Alow\u201B high',
  '\u00a0nbsp\ttab',
  '',
];
const VARS = HOSTILE.map((value, i): [string, string] => [`ANWBIS_T${i}`, value]);

/** The one real machine each generated shell is run by, and how its lines are fed to it the way users do. */
interface RealShell {
  readonly shell: Shell;
  readonly program: string;
  readonly args: (script: string) => string[];
  /** A line that writes the variable's value, byte for byte, to a file. */
  readonly dump: (name: string, file: string) => string;
}

/** fish reads this line as the POSIX shells do. */
const posixDump = (name: string, file: string) => `printf '%s' "$${name}" > '${file}'`;
const REAL_SHELLS: readonly RealShell[] = [
  // `eval "$(anwbis env)"`, as README tells bash and zsh users.
  { shell: 'bash', program: 'bash', args: (s) => ['--noprofile', '--norc', '-c', 'eval "$(cat "$1")"', 'bash', s], dump: posixDump },
  { shell: 'zsh', program: 'zsh', args: (s) => ['-f', '-c', 'eval "$(cat "$1")"', 'zsh', s], dump: posixDump },
  // `--stdout` lines (bash syntax) are POSIX: dash, Debian's sh, must read them the same.
  { shell: 'bash', program: 'sh', args: (s) => ['-c', 'eval "$(cat "$1")"', 'sh', s], dump: posixDump },
  // `anwbis env --shell fish | source`.
  { shell: 'fish', program: 'fish', args: (s) => ['--no-config', '-c', 'source $argv[1]', s], dump: posixDump },
  {
    shell: 'powershell',
    program: 'pwsh',
    args: (s) => ['-NoProfile', '-NonInteractive', '-Command', `Get-Content -Raw -LiteralPath '${s}' | Invoke-Expression`],
    dump: (name, file) => `[IO.File]::WriteAllText('${file}', $Env:${name})`,
  },
];

function installed(program: string): boolean {
  return spawnSync('sh', ['-c', 'command -v "$1"', 'sh', program]).status === 0;
}

/**
 * PowerShell cannot be installed from what this machine reaches: Debian has no `powershell`
 * package, and neither npm nor PyPI ships the binary; its quoting is checked against the
 * language specification below instead.
 */
const PWSH_MISSING = 'PowerShell (pwsh) is not installed and cannot be from Debian, npm or PyPI; its quoting is checked against the specification instead';

describe('formatShellExports through the real shells', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'anwbis-shell-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const real of REAL_SHELLS) {
    const skip = real.program === 'pwsh' && !installed('pwsh');
    const name = `${real.program} reads back every hostile value of --shell ${real.shell} byte for byte`;
    (skip ? it.skip : it)(skip ? `${name} (skipped: ${PWSH_MISSING})` : name, () => {
      // zsh and fish come from tools/setup.sh: a missing one is a broken machine, not a reason to skip.
      expect({ program: real.program, installed: installed(real.program) }).toEqual({ program: real.program, installed: true });
      const out = join(dir, real.program);
      mkdirSync(out);
      const script = join(dir, `${real.program}.script`);
      const dumps = VARS.map(([v], i) => real.dump(v, join(out, String(i))));
      writeFileSync(script, `${formatShellExports(VARS, real.shell)}${dumps.join('\n')}\n`);
      const res = spawnSync(real.program, real.args(script), { encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, LANG: 'C.UTF-8' } });
      expect({ status: res.status, stderr: res.stderr }).toEqual({ status: 0, stderr: '' });
      const back = VARS.map((_, i) => readFileSync(join(out, String(i)), 'utf8'));
      expect(back).toEqual(HOSTILE);
    });
  }
});

/**
 * A verbatim (single-quoted) string literal read as the PowerShell Language Specification 3.0,
 * §2.3.5.2 defines it: single-quote-character is any of U+0027, U+2018, U+2019, U+201A, U+201B;
 * inside, a verbatim-string-part is any character except a single-quote-character, or two
 * single-quote-characters in a row, which stand for one (the second, as PowerShell's tokenizer
 * keeps it). Returns the value, or undefined when the text is not exactly one such literal.
 */
function readVerbatimString(text: string): string | undefined {
  const isQuote = (c: string | undefined) => c !== undefined && /['\u2018-\u201b]/.test(c);
  if (!isQuote(text[0])) return undefined;
  let value = '';
  for (let i = 1; i < text.length; i++) {
    const c = text[i]!;
    if (!isQuote(c)) value += c;
    else if (isQuote(text[i + 1])) value += text[++i];
    else return i === text.length - 1 ? value : undefined;
  }
  return undefined;
}

describe('PowerShell quoting, by the language specification', () => {
  const literalOf = (value: string) => {
    const lines = formatShellExports([['V', value]], 'powershell');
    const [head, tail] = ['$Env:V = ', '\nRemove-Item Env:AWS_PROFILE -ErrorAction SilentlyContinue\n'];
    expect(lines.startsWith(head) && lines.endsWith(tail)).toBe(true);
    return lines.slice(head.length, -tail.length);
  };

  it.each<[string, string, string]>([
    ['plain', 'abc', `'abc'`],
    ['an apostrophe', `it's`, `'it''s'`],
    ['U+2018 left single quotation mark, which PowerShell takes as a quote too', 'a\u2018b', `'a\u2018\u2018b'`],
    ['U+2019 right single quotation mark, which PowerShell takes as a quote too', 'it\u2019s', `'it\u2019\u2019s'`],
    ['U+201A single low-9 quotation mark', 'a\u201Ab', `'a\u201A\u201Ab'`],
    ['U+201B single high-reversed-9 quotation mark', 'a\u201Bb', `'a\u201B\u201Bb'`],
    ['double quotes and $, which are plain in a verbatim string', '"$(x)" `n', `'"$(x)" \`n'`],
    ['U+201C, a double quotation mark, plain in a verbatim string', '\u201Cx\u201D', `'\u201Cx\u201D'`],
  ])('%s', (_name, value, literal) => {
    expect(literalOf(value)).toBe(literal);
    expect(readVerbatimString(literal)).toBe(value);
  });

  it.each(HOSTILE.map((v) => [JSON.stringify(v), v]))('the literal for %s reads back as the value', (_name, value) => {
    expect(readVerbatimString(literalOf(value!))).toBe(value);
  });
});

describe('formatShellExports', () => {
  it.each<[Shell, string]>([
    ['bash', "export A='x'\nunset AWS_PROFILE\n"],
    ['zsh', "export A='x'\nunset AWS_PROFILE\n"],
    ['fish', "set -gx A 'x';\nset -e AWS_PROFILE;\n"],
    ['powershell', "$Env:A = 'x'\nRemove-Item Env:AWS_PROFILE -ErrorAction SilentlyContinue\n"],
  ])('%s lines set the variables and unset AWS_PROFILE', (shell, expected) => {
    expect(formatShellExports([['A', 'x']], shell)).toBe(expected);
  });

  it.each<[Shell, string]>([
    ['bash', "export A='x'\nunset B\nunset C\n"],
    ['fish', "set -gx A 'x';\nset -e B;\nset -e C;\n"],
    ['powershell', "$Env:A = 'x'\nRemove-Item Env:B -ErrorAction SilentlyContinue\nRemove-Item Env:C -ErrorAction SilentlyContinue\n"],
  ])('%s lines unset the variables they are given instead of AWS_PROFILE', (shell, expected) => {
    expect(formatShellExports([['A', 'x']], shell, ['B', 'C'])).toBe(expected);
  });

  it('refuses an unknown shell', () => {
    const error = thrownAnwbisError(() => formatShellExports([['A', 'x']], 'tcsh' as Shell));
    expect(error).toBeInstanceOf(AnwbisError);
    expect(error.message).toBe('unknown shell "tcsh": use bash, zsh, fish, powershell');
  });
});
