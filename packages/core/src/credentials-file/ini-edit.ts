/**
 * Byte-preserving reader and editor for AWS shared credentials and config files.
 *
 * The parser follows Python's `configparser.RawConfigParser` as botocore configures it, so
 * that anwbis and the AWS CLI agree on what every line means. Anything botocore would refuse
 * (or that we cannot be sure to read the same way) is reported instead of guessed at, because
 * an edit built on a misreading would corrupt someone else's credentials.
 */
import { IniParseError, InvalidIniNameError, type IniParseReason } from './errors.js';
import { quickScan, searchableHeaderName, type QuickScan, type SectionRange } from './ini-quick-scan.js';

/** A line ending as found in the file; `''` only on a last line without one. */
export type Eol = '' | '\n' | '\r\n';

interface LineText {
  /** The line without its ending. */
  readonly raw: string;
  readonly eol: Eol;
}

/** One physical line of an AWS file, classified the way botocore reads it. */
export type IniLine =
  | (LineText & { readonly kind: 'blank' | 'comment' })
  | (LineText & { readonly kind: 'header'; readonly name: string })
  | (LineText & {
      readonly kind: 'key';
      /** The key as written; botocore compares keys case-insensitively. */
      readonly key: string;
      readonly value: string;
      /** Offset in `raw` where the value starts, so it can be replaced without touching the rest. */
      readonly valueStart: number;
    })
  | (LineText & { readonly kind: 'continuation'; readonly value: string });

/** A section: its header line and the lines up to the next header. */
export interface IniSection {
  readonly name: string;
  /** Index in `lines` of the `[name]` line. */
  readonly header: number;
  /** Index in `lines` one past the section's last line. */
  readonly end: number;
}

/** A parsed AWS file; joining `bom` and every line's `raw + eol` gives back the input exactly. */
export interface ParsedIni {
  /** `'\ufeff'` when the file starts with a byte order mark, else `''`. */
  readonly bom: string;
  /** The ending used for new lines: whichever the file uses most (LF for a tie or no lines). */
  readonly eol: '\n' | '\r\n';
  readonly lines: readonly IniLine[];
  readonly sections: readonly IniSection[];
}

/** Outcome of {@link parseAwsIni}. */
export type ParseIniResult =
  | { readonly ok: true; readonly ini: ParsedIni }
  | { readonly ok: false; readonly error: IniParseError };

/** Options for {@link setSection}. */
export interface SetSectionOptions {
  /**
   * Keys to drop from the section if present (for example a stale `aws_session_token`).
   * A key that is also in the entries is set, not removed.
   */
  readonly removeKeys?: readonly string[];
}

// Python's str.isspace() set, which configparser's strip() and \s use; it differs from
// JavaScript's \s (no U+FEFF, but U+001C–U+001F and U+0085).
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const EDGE_SPACE = new RegExp(`^[${PY_SPACE}\\ufeff]|[${PY_SPACE}\\ufeff]$`);

const BOM = '\ufeff';

/** Where a file's text starts, past its byte order mark if it has one. */
const bomLength = (text: string) => (text.startsWith(BOM) ? BOM.length : 0);

// Anything some line reader might take for a line break, plus the other controls, which have
// no business in a profile name, key or secret.
function hasControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c <= 0x1f || c === 0x7f || c === 0x85 || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}

// The same set as PY_SPACE, tested by code point. Stripping and splitting by hand rather than
// with `[…]*$`-style regexes keeps parsing linear: a backtracking engine retries such a pattern
// at every position of a long run of spaces, which made one line quadratic.
function isPySpace(c: number): boolean {
  return (
    (c >= 0x09 && c <= 0x0d) ||
    (c >= 0x1c && c <= 0x20) ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

// The first `=` or `:` of a line, found natively rather than a character at a time.
const DELIMITER = /[=:\n]/g;

// isPySpace behind a test most characters of a line fail at once (printable ASCII), so a long
// file's scan mostly skips the call.
function mayBeSpace(c: number): boolean {
  return (c <= 0x20 || c >= 0x85) && isPySpace(c);
}

function indentOf(s: string): number {
  let start = 0;
  while (start < s.length && isPySpace(s.charCodeAt(start))) start++;
  return start;
}

function pyStripEnd(s: string): string {
  let end = s.length;
  while (end > 0 && isPySpace(s.charCodeAt(end - 1))) end--;
  return s.slice(0, end);
}

function pyStrip(s: string): string {
  return pyStripEnd(s.slice(indentOf(s)));
}

/** What {@link scanAwsIni} hands its visitor for each line; offsets index the whole text. */
interface ScannedLine {
  kind: IniLine['kind'];
  /** The line without its ending: `text.slice(start, end)`. */
  start: number;
  end: number;
  eol: Eol;
  /** The header's name or the key as written; `''` for other lines. */
  name: string;
  /** The value (of a key or continuation line): `text.slice(valueFrom, valueTo)`. */
  valueFrom: number;
  valueTo: number;
}

/**
 * The one reading of the format, shared by {@link parseAwsIni} and {@link getSection}: classifies
 * every line of `text` (from `from`, past any byte order mark) and checks the whole file, handing
 * each line to `visit` as offsets so a reader that wants one section builds nothing for the rest.
 * The record passed to `visit` is reused: read it, do not keep it. A 20,000-line file costs one
 * pass with no per-line objects, where splitting it into line objects first cost several times more.
 * A scan from a header's offset up to the next header's (`to`) reads that one section as the
 * whole scan does, since a header resets every state the scan carries.
 *
 * A visitor that returns `'stop'` ends the scan after that line, as if the text ended there.
 *
 * @returns the first refusal, or undefined when the file reads as botocore reads it. Its line
 *   numbers count from `from`: see {@link scanPart} for a scan that starts mid-file.
 */
function scanAwsIni(text: string, from: number, visit: (line: ScannedLine) => void | 'stop', to = text.length): IniParseError | undefined {
  const sectionLines = new Map<string, number>();
  let sectionName: string | undefined;
  // Each key's last line, over the whole scan: one small map rather than one per section (there
  // are thousands), as a key seen since the section's header is a repeat.
  const keys = new Map<string, number>();
  let headerLine = 0;
  // Indent of the last header or key line; a deeper line after a key continues its value.
  let indentLevel = 0;
  let inOption = false;
  let nextCr = text.indexOf('\r', from);
  const line: ScannedLine = { kind: 'blank', start: 0, end: 0, eol: '', name: '', valueFrom: 0, valueTo: 0 };
  const fail = (index: number, reason: IniParseReason) => new IniParseError(index + 1, reason);

  for (let pos = from, index = 0; pos < to; index++) {
    const newline = text.indexOf('\n', pos);
    let end = newline === -1 ? text.length : newline;
    const next = newline === -1 ? text.length : newline + 1;
    line.eol = newline === -1 ? '' : '\n';
    if (newline !== -1 && end > pos && text.charCodeAt(end - 1) === 0x0d) {
      end--;
      line.eol = '\r\n';
    }
    if (nextCr !== -1 && nextCr < pos) nextCr = text.indexOf('\r', pos);
    if (nextCr !== -1 && nextCr < end) return fail(index, { kind: 'stray-carriage-return' });
    line.start = pos;
    line.end = end;
    line.name = '';
    pos = next;

    let s = line.start;
    while (s < end && mayBeSpace(text.charCodeAt(s))) s++;
    let e = end;
    while (e > s && mayBeSpace(text.charCodeAt(e - 1))) e--;
    line.valueFrom = s;
    line.valueTo = e;
    const first = text.charCodeAt(s);
    if (s === e) line.kind = 'blank';
    else if (first === 0x23 || first === 0x3b) line.kind = 'comment';
    else if (sectionName !== undefined && inOption && s - line.start > indentLevel) line.kind = 'continuation';
    else {
      indentLevel = s - line.start;
      if (first === 0x5b) {
        // `^\[([^[\]]+)\]$` on the stripped line.
        const name = text.slice(s + 1, e - 1);
        if (name === '' || text.charCodeAt(e - 1) !== 0x5d || name.includes('[') || name.includes(']')) return fail(index, { kind: 'malformed-header' });
        const firstLine = sectionLines.get(name);
        if (firstLine !== undefined) return fail(index, { kind: 'duplicate-section', section: name, firstLine });
        sectionLines.set(name, index + 1);
        sectionName = name;
        headerLine = index + 1;
        inOption = false;
        line.kind = 'header';
        line.name = name;
      } else {
        // configparser's OPTCRE with its default delimiters (`(.*?)\s*([=:])\s*(.*)$`): the first
        // `=` or `:` splits, the key loses the spaces before it and the value those after it.
        DELIMITER.lastIndex = s;
        const at = DELIMITER.test(text) && DELIMITER.lastIndex <= e ? DELIMITER.lastIndex - 1 : e;
        if (sectionName === undefined) return fail(index, { kind: at === e ? 'not-a-key-value-line' : 'key-before-section' });
        if (at === e) return fail(index, { kind: 'not-a-key-value-line' });
        let keyEnd = at;
        while (keyEnd > s && mayBeSpace(text.charCodeAt(keyEnd - 1))) keyEnd--;
        if (keyEnd === s) return fail(index, { kind: 'empty-key' });
        const key = text.slice(s, keyEnd);
        const folded = key.toLowerCase();
        const firstLine = keys.get(folded);
        if (firstLine !== undefined && firstLine > headerLine) return fail(index, { kind: 'duplicate-key', section: sectionName, key: folded, firstLine });
        keys.set(folded, index + 1);
        inOption = true;
        let value = at + 1;
        while (value < e && mayBeSpace(text.charCodeAt(value))) value++;
        line.kind = 'key';
        line.name = key;
        line.valueFrom = value;
      }
    }
    if (visit(line) === 'stop') return undefined;
  }
  return undefined;
}

/** The 0-based index of the line that starts at `offset`. */
function lineIndexAt(text: string, offset: number): number {
  let index = 0;
  for (let newline = text.indexOf('\n'); newline !== -1 && newline < offset; newline = text.indexOf('\n', newline + 1)) index++;
  return index;
}

/**
 * {@link scanAwsIni} from `from`, the start of a line where the scan's state is known (a header,
 * which resets it all, or the file's start), that throws its refusal with the line numbers of
 * the whole file. Only a refusal pays for counting the lines before `from`.
 */
function scanPart(text: string, from: number, visit: (line: ScannedLine) => void | 'stop', to = text.length): void {
  const error = scanAwsIni(text, from, visit, to);
  if (error === undefined) return;
  const before = lineIndexAt(text, from);
  const { reason } = error;
  throw new IniParseError(
    error.line + before,
    reason.kind === 'duplicate-key' || reason.kind === 'duplicate-section' ? { ...reason, firstLine: reason.firstLine + before } : reason,
  );
}

/**
 * Parses an AWS shared credentials or config file.
 *
 * Refuses, with the 1-based line number, what botocore refuses (a key before any section,
 * a line that is neither blank, comment, `[header]` nor `key = value`, the same section or
 * the same key in a section twice) and what it might read differently from us (a malformed
 * header, a carriage return that does not end a line).
 */
export function parseAwsIni(text: string): ParseIniResult {
  const bom = text.startsWith(BOM) ? BOM : '';
  const lines: IniLine[] = [];
  const sections: IniSection[] = [];
  let current: { name: string; header: number } | undefined;
  let crlf = 0;
  let lf = 0;

  const error = scanAwsIni(text, bom.length, (line) => {
    if (line.eol === '\r\n') crlf++;
    else if (line.eol === '\n') lf++;
    const raw = text.slice(line.start, line.end);
    switch (line.kind) {
      case 'blank':
      case 'comment':
        lines.push({ raw, eol: line.eol, kind: line.kind });
        break;
      case 'continuation':
        lines.push({ raw, eol: line.eol, kind: 'continuation', value: text.slice(line.valueFrom, line.valueTo) });
        break;
      case 'header':
        if (current !== undefined) sections.push({ name: current.name, header: current.header, end: lines.length });
        current = { name: line.name, header: lines.length };
        lines.push({ raw, eol: line.eol, kind: 'header', name: line.name });
        break;
      case 'key':
        lines.push({ raw, eol: line.eol, kind: 'key', key: line.name, value: text.slice(line.valueFrom, line.valueTo), valueStart: line.valueFrom - line.start });
        break;
    }
  });
  if (error !== undefined) return { ok: false, error };
  if (current !== undefined) sections.push({ name: current.name, header: current.header, end: lines.length });

  return { ok: true, ini: { bom, eol: crlf > lf ? '\r\n' : '\n', lines, sections } };
}

/** What one scan of a file tells the readers: its refusal, or its sections and line ending. */
interface IniIndex extends QuickScan {
  readonly error: IniParseError | undefined;
}

// One command reads the same file several times (the checks before an edit, the corp keys, the
// region, the profile it wrote); the last texts scanned, two since the credentials file and the
// config alternate, are not scanned again. The comparison of equal texts is a memory compare.
const indexed: { text: string; index: IniIndex }[] = [];

function indexAwsIni(text: string): IniIndex {
  const known = indexed.find((entry) => entry.text === text);
  if (known) return known.index;
  const from = bomLength(text);
  const quick = quickScan(text, from);
  const index = quick ? { error: undefined, ...quick } : scanIndex(text, from);
  indexed.unshift({ text, index });
  indexed.length = Math.min(indexed.length, 2);
  return index;
}

/** The index by the general scanner: for a file {@link quickScan} declines, and the refusal. */
function scanIndex(text: string, from: number): IniIndex {
  const sections = new Map<string, { start: number; end: number }>();
  let last: { start: number; end: number } | undefined;
  let crlf = 0;
  let lf = 0;
  const error = scanAwsIni(text, from, (line) => {
    if (line.eol === '\r\n') crlf++;
    else if (line.eol === '\n') lf++;
    if (line.kind !== 'header') return;
    if (last) last.end = line.start;
    last = { start: line.start, end: text.length };
    sections.set(line.name, last);
  });
  return { error, names: [...sections.keys()], range: (name: string): SectionRange | undefined => sections.get(name), eol: crlf > lf ? '\r\n' : '\n' };
}

/**
 * Why {@link parseAwsIni} would refuse `text`, without building its lines: the check before an
 * edit of a file that may hold many thousand.
 *
 * @returns the refusal, or undefined when the file parses.
 */
export function iniError(text: string): IniParseError | undefined {
  return indexAwsIni(text).error;
}

/**
 * The sections whose names `keep` accepts, each from its header to the next header, byte for
 * byte and in file order (a last section without a final line ending gets one), and nothing else.
 *
 * @returns undefined when the file cannot be parsed.
 */
export function sectionsOnly(text: string, keep: (name: string) => boolean): string | undefined {
  const { error, names, range } = indexAwsIni(text);
  if (error !== undefined) return undefined;
  let kept = '';
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    if (!keep(name)) continue;
    const { start, end } = range(name)!;
    const section = text.slice(start, end);
    kept += section.endsWith('\n') ? section : `${section}\n`;
  }
  return kept;
}

function parseOrThrow(text: string): ParsedIni {
  const result = parseAwsIni(text);
  if (!result.ok) throw result.error;
  return result.ini;
}

function serialize(bom: string, lines: readonly LineText[]): string {
  return bom + lines.map((line) => line.raw + line.eol).join('');
}

function isContent(line: IniLine): boolean {
  return line.kind === 'key' || line.kind === 'continuation';
}

/** Index of the section's last key or continuation line, or of its header when it has none. */
function lastContentLine(ini: ParsedIni, section: IniSection): number {
  for (let i = section.end - 1; i > section.header; i--) {
    const line = ini.lines[i];
    if (line !== undefined && isContent(line)) return i;
  }
  return section.header;
}

function findSection(ini: ParsedIni, name: string): IniSection | undefined {
  return ini.sections.find((section) => section.name === name);
}

/**
 * The start of the line that holds the `[name]` found at `at` (`length` long), when that line is
 * nothing else but spaces around it, as the parser strips them; else undefined.
 */
function bareHeaderLine(text: string, at: number, length: number, bom: number): number | undefined {
  for (let i = at + length; i < text.length && text.charCodeAt(i) !== 0x0a; i++) if (!isPySpace(text.charCodeAt(i))) return undefined;
  let start = at;
  for (; start > bom && text.charCodeAt(start - 1) !== 0x0a; start--) if (!isPySpace(text.charCodeAt(start - 1))) return undefined;
  return start;
}

/**
 * Whether the scan reads the bare `[…]` line at `start` (its bracket at `at`) as a header: an
 * indented one continues the value above it when that value's key is less indented.
 *
 * @throws {@link IniParseError} when the lines that decide it cannot be parsed.
 */
function readsAsHeader(text: string, start: number, at: number, bom: number): boolean {
  // Nothing at the start of its line continues a value.
  if (at === start) return true;
  // The lines from the last header at the start of its line (or from the file's start) decide,
  // since a header resets every state the scan carries.
  const anchor = start - bom >= 2 ? text.lastIndexOf('\n[', start - 2) : -1;
  let kind: IniLine['kind'] | undefined;
  scanPart(
    text,
    anchor === -1 ? bom : anchor + 1,
    (line) => {
      kind = line.kind;
    },
    start + 1,
  );
  return kind === 'header';
}

/**
 * The start of the `[name]` header line, found by native search rather than by scanning the
 * file: reading one profile of a 20,000-line file costs about as much as of a small one.
 * The header is found as the full parser finds it (an indented `[name]` that continues a value
 * is none); lines elsewhere in the file are not checked (see {@link getSection}).
 *
 * @returns undefined when the file has no such section.
 * @throws {@link IniParseError} when it has two, or when the lines that decide whether a
 *   `[name]` line is a header cannot be parsed.
 */
function findHeader(text: string, name: string): number | undefined {
  if (!searchableHeaderName(name)) return undefined;
  const bom = bomLength(text);
  const needle = `[${name}]`;
  let found: number | undefined;
  // The name holds no bracket, so one match cannot start inside another.
  for (let at = text.indexOf(needle, bom); at !== -1; at = text.indexOf(needle, at + needle.length)) {
    const start = bareHeaderLine(text, at, needle.length, bom);
    if (start === undefined || !readsAsHeader(text, start, at, bom)) continue;
    if (found !== undefined) {
      throw new IniParseError(lineIndexAt(text, start) + 1, { kind: 'duplicate-section', section: name, firstLine: lineIndexAt(text, found) + 1 });
    }
    found = start;
  }
  return found;
}

/**
 * Reads one section as botocore would: keys lower-cased, values trimmed, continuation lines
 * joined with `\n` (so a nested block such as `s3 =` reads as `"\nmax_concurrent_requests = 10"`).
 *
 * Only the section is read: its header is found by native search and its lines are parsed up to
 * the next header, so the cost does not grow with the rest of the file. For a file the parser
 * accepts this is exactly what parsing it whole gives. Refused are the section's own lines, a
 * second header of the same name, and the lines that decide whether an indented `[name]` is a
 * header; a refusal elsewhere in the file is left to {@link iniError}, which the writers check
 * before any edit.
 *
 * @returns `undefined` when the section is absent.
 * @throws {@link IniParseError} when the section cannot be read as botocore reads it.
 */
export function getSection(text: string, name: string): Record<string, string> | undefined {
  const start = findHeader(text, name);
  if (start === undefined) return undefined;
  const values = new Map<string, string[]>();
  let parts: string[] | undefined;
  // The next header at the start of its line bounds the scan; an indented one may end it sooner.
  const next = text.indexOf('\n[', start);
  scanPart(
    text,
    start,
    (line) => {
      if (line.kind === 'header') return line.start === start ? undefined : 'stop';
      if (line.kind === 'key') {
        parts = [text.slice(line.valueFrom, line.valueTo)];
        values.set(line.name.toLowerCase(), parts);
      } else if (line.kind === 'continuation') {
        parts?.push(text.slice(line.valueFrom, line.valueTo));
      } else if (line.kind === 'blank') {
        // configparser keeps blank lines inside a multi-line value, then trims the end.
        parts?.push('');
      }
      return undefined;
    },
    next === -1 ? text.length : next + 1,
  );
  return Object.fromEntries([...values].map(([key, p]) => [key, pyStripEnd(p.join('\n'))]));
}

/**
 * The value of one key (compared case-insensitively, trimmed) in every section that holds it,
 * by section name, from one parse of the file.
 *
 * @returns `undefined` when the text holds no section at all.
 * @throws {@link IniParseError} when the file cannot be parsed.
 */
export function keyInEachSection(text: string, key: string): Map<string, string> | undefined {
  const { lines, sections } = parseOrThrow(text);
  if (sections.length === 0) return undefined;
  const wanted = key.toLowerCase();
  const found = new Map<string, string>();
  for (const section of sections) {
    for (let i = section.header + 1; i < section.end; i++) {
      const line = lines[i]!;
      if (line.kind === 'key' && line.key.toLowerCase() === wanted) found.set(section.name, line.value.trim());
    }
  }
  return found;
}

function refuse(role: 'section' | 'key' | 'value', why: string): never {
  throw new InvalidIniNameError(role, why);
}

/** Refuses a section name that could break out of its `[ ]` header or its line. */
export function assertSectionName(name: string): void {
  const shown = JSON.stringify(name);
  if (name === '') refuse('section', 'the section name is empty');
  if (hasControl(name)) refuse('section', `section name ${shown} contains a line break or control character`);
  if (/[[\]]/.test(name)) refuse('section', `section name ${shown} contains [ or ]`);
  if (EDGE_SPACE.test(name)) refuse('section', `section name ${shown} starts or ends with whitespace`);
}

/** Refuses a key that could break out of its line or be read as something else. */
export function assertKey(key: string): void {
  const shown = JSON.stringify(key);
  if (key === '') refuse('key', 'the key is empty');
  if (hasControl(key)) refuse('key', `key ${shown} contains a line break or control character`);
  if (/[[\]=:]/.test(key)) refuse('key', `key ${shown} contains one of [ ] = :`);
  if (key.startsWith('#') || key.startsWith(';')) refuse('key', `key ${shown} would read as a comment`);
  if (EDGE_SPACE.test(key)) refuse('key', `key ${shown} starts or ends with whitespace`);
}

/** Refuses a value that could break out of its line or lose bytes when read back. Never echoes it: it may be a secret. */
export function assertValue(key: string, value: string): void {
  if (hasControl(value)) refuse('value', `the value for ${key} contains a line break or control character`);
  if (EDGE_SPACE.test(value)) refuse('value', `the value for ${key} starts or ends with whitespace`);
}

function replaceValue(line: Extract<IniLine, { kind: 'key' }>, value: string): LineText {
  let prefix = line.raw.slice(0, line.valueStart);
  // `key =` with nothing after it: keep the file's `key = value` spacing rather than `key =value`.
  if (line.value === '' && /\s[=:]$/.test(prefix)) prefix += ' ';
  return { raw: prefix + value, eol: line.eol };
}

/**
 * Sets keys in one section and leaves every other byte of the file as it was.
 *
 * Existing keys (matched case-insensitively, as botocore does) get the new value in place,
 * keeping their spelling and spacing; a replaced key's continuation lines go with its old
 * value. Missing keys are added after the section's last key, before any blank lines or
 * comments that lead into the next section. Keys not mentioned are kept unless named in
 * `options.removeKeys`. An absent section is appended at the end of the file, after a blank
 * line. New lines use the file's dominant line ending. Values are never quoted.
 *
 * @param sectionName the name between the brackets, e.g. `my-profile` or `profile my-profile`.
 * @throws {@link InvalidIniNameError} for a name, key or value that could break out of its line.
 * @throws {@link IniParseError} when the file cannot be parsed; nothing should then be written.
 */
export function setSection(
  text: string,
  sectionName: string,
  entries: ReadonlyArray<readonly [key: string, value: string]>,
  options: SetSectionOptions = {},
): string {
  assertSectionName(sectionName);
  const wanted = new Map<string, { key: string; value: string }>();
  for (const [key, value] of entries) {
    assertKey(key);
    assertValue(key, value);
    const folded = key.toLowerCase();
    if (wanted.has(folded)) refuse('key', `key ${JSON.stringify(key)} is given twice`);
    wanted.set(folded, { key, value });
  }
  const removed = new Set<string>();
  for (const key of options.removeKeys ?? []) {
    assertKey(key);
    if (!wanted.has(key.toLowerCase())) removed.add(key.toLowerCase());
  }

  // The whole file is checked (one scan, shared with the check before the edit), but only the
  // section's lines are parsed and rewritten: the rest is copied as one string.
  const { error, range: rangeOf, eol } = indexAwsIni(text);
  if (error !== undefined) throw error;
  const newLine = (raw: string): LineText => ({ raw, eol });
  const range = rangeOf(sectionName);
  if (range === undefined) return appendSection(text, eol, [`[${sectionName}]`, ...[...wanted.values()].map(({ key, value }) => `${key} = ${value}`)]);

  const [first, ...lines] = parseOrThrow(text.slice(range.start, range.end)).lines;
  let header: LineText = first!;
  const body: LineText[] = [];
  const pending = new Map(wanted);
  // Where new keys go: just after the last key or continuation line we keep.
  let insertAt = 0;
  let droppingContinuation = false;

  for (const line of lines) {
    if (line.kind === 'key') {
      const folded = line.key.toLowerCase();
      const entry = pending.get(folded);
      droppingContinuation = entry !== undefined || removed.has(folded);
      if (entry !== undefined) {
        pending.delete(folded);
        body.push(replaceValue(line, entry.value));
        insertAt = body.length;
      } else if (!removed.has(folded)) {
        body.push(line);
        insertAt = body.length;
      }
    } else if (line.kind === 'continuation') {
      if (!droppingContinuation) {
        body.push(line);
        insertAt = body.length;
      }
    } else {
      body.push(line);
    }
  }

  if (pending.size > 0) {
    const added = [...pending.values()].map(({ key, value }) => newLine(`${key} = ${value}`));
    if (insertAt === 0) {
      if (header.eol === '') header = { ...header, eol };
    } else {
      const line = body[insertAt - 1]!;
      if (line.eol === '') body[insertAt - 1] = { ...line, eol };
    }
    body.splice(insertAt, 0, ...added);
  }

  return text.slice(0, range.start) + serialize('', [header, ...body]) + text.slice(range.end);
}

/**
 * `lines` appended to a file that parses, each with the file's line ending `eol`, after the
 * last line's missing ending and a blank line unless the last line is blank.
 */
function appendSection(text: string, eol: string, lines: readonly string[]): string {
  const bom = bomLength(text);
  let head = text;
  if (text.length > bom) {
    const ended = text.endsWith('\n');
    const last = text.slice(Math.max(text.lastIndexOf('\n', text.length - (ended ? 2 : 1)) + 1, bom), ended ? -1 : undefined);
    if (!ended) head += eol;
    if (pyStrip(last) !== '') head += eol;
  }
  return head + lines.map((line) => line + eol).join('');
}

/** What a section holds besides some keys: see {@link sectionExtras}. */
export interface SectionExtras {
  /** The other keys, as written. */
  readonly keys: readonly string[];
  /** Comment lines between the header and the last key. */
  readonly comments: number;
}

/**
 * The lines of a section other than `keys` (matched case-insensitively, as botocore does):
 * the other keys, and the comments among its keys, which {@link removeSection} would take with
 * it. Comments after the last key are not counted: they stay, as the next section's.
 *
 * @returns `undefined` when the section is absent.
 * @throws {@link IniParseError} when the file cannot be parsed.
 */
export function sectionExtras(text: string, sectionName: string, keys: readonly string[]): SectionExtras | undefined {
  const ini = parseOrThrow(text);
  const section = findSection(ini, sectionName);
  if (section === undefined) return undefined;
  const known = new Set(keys.map((key) => key.toLowerCase()));
  const others: string[] = [];
  let comments = 0;
  for (const line of ini.lines.slice(section.header + 1, lastContentLine(ini, section) + 1)) {
    if (line.kind === 'key' && !known.has(line.key.toLowerCase())) others.push(line.key);
    else if (line.kind === 'comment') comments++;
  }
  return { keys: others, comments };
}

/**
 * Removes the named keys (matched case-insensitively, as botocore does) from every section,
 * each with its continuation lines, and leaves every other byte as it was.
 *
 * @throws {@link IniParseError} when the file cannot be parsed.
 */
export function removeKeysEverywhere(text: string, keys: readonly string[]): string {
  const ini = parseOrThrow(text);
  const removed = new Set(keys.map((k) => k.toLowerCase()));
  let dropping = false;
  const kept = ini.lines.filter((line) => {
    if (line.kind === 'header') dropping = false;
    else if (line.kind === 'key') dropping = removed.has(line.key.toLowerCase());
    else if (line.kind !== 'continuation') return true;
    return !dropping;
  });
  return serialize(ini.bom, kept);
}

/**
 * Removes a section: its header, its keys and the comments between them, plus the blank
 * lines that separated it from what follows (or, for the last section, from what precedes).
 * Comments after its last key are kept, since they usually introduce the next section.
 *
 * @returns the text unchanged when the section is absent.
 * @throws {@link IniParseError} when the file cannot be parsed.
 */
export function removeSection(text: string, sectionName: string): string {
  const ini = parseOrThrow(text);
  const section = findSection(ini, sectionName);
  if (section === undefined) return text;

  let from = section.header;
  let to = lastContentLine(ini, section) + 1;
  while (to < ini.lines.length && ini.lines[to]?.kind === 'blank') to++;
  if (to === ini.lines.length) {
    while (from > 0 && ini.lines[from - 1]?.kind === 'blank') from--;
  }
  return serialize(ini.bom, [...ini.lines.slice(0, from), ...ini.lines.slice(to)]);
}
