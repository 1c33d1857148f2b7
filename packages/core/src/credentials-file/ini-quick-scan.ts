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
  readonly name: string;
  readonly start: number;
  end: number;
}

/** The sections of a file the general scanner accepts, as it finds them. */
export interface QuickScan {
  readonly sections: Map<string, SectionRange>;
  /** The same, in file order. */
  readonly inOrder: SectionRange[];
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
 * A header's `[`, or a key as the scanner cuts it (before the delimiter, without the spaces), at
 * the start of a line after the first: each match starts with its line's `\n`, which the engine
 * finds far faster than `^` at every position.
 */
const HEADER_OR_KEY = new RegExp(String.raw`\n(?:\[|${KEY_FIRST}(?:${KEY_REST}*${KEY_LAST})?(?=[ \t]*[=:]))`, 'g');
/**
 * In the lines `\n[` and `\nkey` of {@link HEADER_OR_KEY}, a key that comes again before the next
 * `[`. Each key is compared with those after it in its section, so a section of many keys costs
 * their square: see {@link SECTION_MAX}.
 */
const REPEATED_KEY = /\n([^[\n][^\n]*)(?:\n[^[\n][^\n]*)*?\n\1(?![^\n])/;

/**
 * A section longer than this (a profile holds a few hundred bytes) is left to the scanner, whose
 * cost is linear, since comparing its keys pairwise could cost far more than its size.
 */
const SECTION_MAX = 4096;

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
 * Whether a key repeats within a section, compared lower-cased as the scanner does; a file of
 * {@link SHAPE} has no key on its first line, and no key before its first header.
 */
function repeatsKey(text: string): boolean {
  const found = text.match(HEADER_OR_KEY);
  // Keys are ASCII here, so lower-casing them all at once changes nothing else.
  return found !== null && REPEATED_KEY.test(found.join('').toLowerCase());
}

/**
 * The sections of `text` (read from `from`, past any byte order mark) when the general scanner
 * would accept it, found without that scanner.
 *
 * @returns undefined for a file it does not vouch for: refused (which it does not report), or of
 *   a shape it leaves to the general scanner (an indented header or key, a key that is not
 *   printable ASCII, a Python space other than tab and space where the scanner strips spaces, a
 *   section over {@link SECTION_MAX} characters).
 */
export function quickScan(text: string, from: number): QuickScan | undefined {
  let crlf = 0;
  if (text.includes('\r')) {
    if (STRAY_CR.test(text)) return undefined;
    for (let cr = text.indexOf('\r'); cr !== -1; cr = text.indexOf('\r', cr + 1)) crlf++;
  }
  if (!hasShape(text, from)) return undefined;

  // In a file of that shape, every line that starts with `[` is a header, and only those.
  const sections = new Map<string, SectionRange>();
  const inOrder: SectionRange[] = [];
  let last: SectionRange | undefined;
  const headerAfter = (offset: number) => {
    const newline = text.indexOf('\n[', offset);
    return newline === -1 ? -1 : newline + 1;
  };
  for (let at = text.startsWith('[', from) ? from : headerAfter(from); at !== -1; at = headerAfter(at)) {
    const name = text.slice(at + 1, text.indexOf(']', at + 1));
    if (sections.has(name)) return undefined;
    if (last !== undefined) {
      if (at - last.start > SECTION_MAX) return undefined;
      last.end = at;
    }
    last = { name, start: at, end: text.length };
    sections.set(name, last);
    inOrder.push(last);
  }
  if (last !== undefined && text.length - last.start > SECTION_MAX) return undefined;
  if (repeatsKey(text)) return undefined;

  const lf = crlf === 0 ? 0 : (text.match(LF_ONLY)?.length ?? 0);
  return { sections, inOrder, eol: crlf > lf ? '\r\n' : '\n' };
}
