/**
 * The whole-file check before an edit, made cheap for the common file. A command runs the
 * check once per file, before V8 has compiled the general scanner's loop: run line by line in
 * the interpreter, it cost 30–60 ms for a 20,000-line file. Here native regular expressions
 * read the lines, and JavaScript runs only once per section and once per key.
 *
 * It decides nothing the general scanner would not: it vouches only for a file that scanner
 * accepts, and declines (returns undefined) on anything else, a file refused as well as a file
 * it leaves to that scanner, which then gives the verdict and its reason. It reads the common
 * shape: headers and keys at the start of their lines, ASCII keys, LF or CRLF. Only tab and space
 * may stand where the scanner strips spaces (an indent, around a header, before a delimiter): the
 * other Python spaces, which it strips too, are left to it there, and elsewhere are content.
 */

/** Where one section's lines are: its header line's start, and the next header's (or the end). */
export interface SectionRange {
  readonly start: number;
  readonly end: number;
}

/** What the general scanner would find in a file it accepts. */
export interface QuickScan {
  /** The section names, in file order. */
  readonly names: readonly string[];
  /** Where the named section's lines are; undefined when the file has no such section. */
  range(name: string): SectionRange | undefined;
  /** The file's dominant line ending (LF for a tie or none). */
  readonly eol: '\n' | '\r\n';
}

// A carriage return that does not end a line: refused.
const STRAY_CR = /\r(?!\n)/;
const LF_ONLY = /(?<!\r)\n/g;

const END = String.raw`(?:\n|$)`;
// A key's first character: printable ASCII, not a space, `#`, `;`, `[`, `=` or `:`.
const KEY_FIRST = String.raw`[\x21\x22\x24-\x39\x3c\x3e-\x5a\x5c-\x7e]`;
// The rest of a key: tab, and printable ASCII but `=` and `:`, the delimiters.
const KEY_REST = String.raw`[\t\x20-\x39\x3b\x3c\x3e-\x7e]`;
/** A blank line or a comment, at any indent: the scanner skips them in every state. */
const SKIPPED = String.raw`[ \t]*(?:[#;][^\n]*)?\r?${END}`;
const HEADER = String.raw`\[[^[\]\n]+\][ \t]*\r?${END}`;
const KEY = String.raw`${KEY_FIRST}${KEY_REST}*[=:][^\n]*${END}`;
/**
 * After a key at the start of its line: another such key, a blank line or comment there, or an
 * indented line, which continues the value (or is blank, or a comment) since it is deeper.
 */
const AFTER_KEY = String.raw`(?:[ \t][^\n]*${END}|(?:[#;][^\n]*)?\r?${END}|${KEY})`;
/**
 * The whole file, from where it is set to start: lines skipped before the first header, then
 * sections, each a header, lines skipped, and a key followed by what may follow a key. An
 * indented line before a section's first key (a key or header the indent decides) is declined.
 */
const SHAPE = new RegExp(String.raw`(?:${SKIPPED})*(?:${HEADER}(?:${SKIPPED})*(?:${KEY}${AFTER_KEY}*)?)*$`, 'y');
// A key's last character, before the spaces that end it.
const KEY_LAST = String.raw`[\x21-\x39\x3b\x3c\x3e-\x7e]`;
/**
 * A header line's `[name`, or a key as the scanner cuts it (before the delimiter, without the
 * spaces), at the start of a line after the first: each match starts with its line's `\n`,
 * which the engine finds far faster than `^` at every position.
 */
const HEADER_OR_KEY = new RegExp(String.raw`\n(?:\[[^\]\n]*|${KEY_FIRST}(?:${KEY_REST}*${KEY_LAST})?(?=[ \t]*[=:]))`, 'g');
// In those lines joined, each header's `\n[name`.
const HEADER_LINE = /\n\[[^\n]*/g;
/**
 * In the lines `\n[name` and `\nkey` of {@link HEADER_OR_KEY}, a key that comes again before the
 * next header. Each key is compared with those after it in its section.
 */
const REPEATED_KEY = /\n([^[\n][^\n]*)(?:\n[^[\n][^\n]*)*?\n\1(?![^\n])/;

/**
 * In the lines of {@link HEADER_OR_KEY}, a section of this many keys (the first, then any other):
 * such a file is left to the scanner, whose cost is linear, since {@link REPEATED_KEY} compares a
 * section's keys pairwise. A profile holds a handful. Each search starts only at a section's start.
 */
const MANY_KEYS = [/^(?:\n[^[\n][^\n]*){256}/, /\n\[[^\n]*(?:\n[^[\n][^\n]*){256}/];

function hasShape(text: string, from: number): boolean {
  SHAPE.lastIndex = from;
  try {
    return SHAPE.test(text);
  } catch {
    // The engine's backtracking stack is bounded: a file too long for it goes to the scanner.
    return false;
  }
}

/**
 * The sections of `text` (read from `from`, past any byte order mark) when the general scanner
 * would accept it, found without that scanner.
 *
 * @returns undefined for a file it does not vouch for: refused (which it does not report), or of
 *   a shape it leaves to the general scanner (an indented header or key, a key that is not
 *   printable ASCII, a Python space other than tab and space where the scanner strips spaces, a
 *   section of {@link MANY_KEYS}).
 */
export function quickScan(text: string, from: number): QuickScan | undefined {
  let crlf = 0;
  if (text.includes('\r')) {
    if (STRAY_CR.test(text)) return undefined;
    for (let cr = text.indexOf('\r'); cr !== -1; cr = text.indexOf('\r', cr + 1)) crlf++;
  }
  if (!hasShape(text, from)) return undefined;

  // In a file of that shape, every line that starts with `[` is a header, and only those; the
  // lines that start with a key's first character are keys.
  const lines = text.match(HEADER_OR_KEY)?.join('') ?? '';
  // The names, from `\n[a\n[b…` split at its `\n[`, whose first piece is empty.
  const names = (lines.match(HEADER_LINE) ?? []).join('').split('\n[');
  if (text.startsWith('[', from)) names[0] = text.slice(from + 1, text.indexOf(']', from));
  else names.shift();
  if (new Set(names).size !== names.length || MANY_KEYS.some((many) => many.test(lines))) return undefined;
  // Keys are ASCII here, so lower-casing the lines changes no key but by case.
  if (REPEATED_KEY.test(lines.toLowerCase())) return undefined;

  const lf = crlf === 0 ? 0 : (text.match(LF_ONLY)?.length ?? 0);
  return { names, range: (name) => sectionRange(text, from, name), eol: crlf > lf ? '\r\n' : '\n' };
}

/**
 * Whether `name` can be a header's name the parser reads, and so be searched for as `[name]`:
 * one that is empty or holds a bracket or a newline is none, and a search for it could match
 * across lines or inside another match.
 */
export function searchableHeaderName(name: string): boolean {
  return name !== '' && !/[[\]\n]/.test(name);
}

/** Where section `name`'s lines are in `text`, a file of {@link SHAPE} with no name twice: a native search. */
function sectionRange(text: string, from: number, name: string): SectionRange | undefined {
  if (!searchableHeaderName(name)) return undefined;
  const header = `[${name}]`;
  let start = from;
  if (!text.startsWith(header, from)) {
    const newline = text.indexOf(`\n${header}`, from);
    if (newline === -1) return undefined;
    start = newline + 1;
  }
  const next = text.indexOf('\n[', start);
  return { start, end: next === -1 ? text.length : next + 1 };
}
