/**
 * Byte-preserving reader and editor for AWS shared credentials and config files.
 *
 * The parser follows Python's `configparser.RawConfigParser` as botocore configures it, so
 * that anwbis and the AWS CLI agree on what every line means. Anything botocore would refuse
 * (or that we cannot be sure to read the same way) is reported instead of guessed at, because
 * an edit built on a misreading would corrupt someone else's credentials.
 */
import { IniParseError, InvalidIniNameError, type IniParseReason } from './errors.js';

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
const HEADER_LINE = /^\[([^[\]]+)\]$/;
const EDGE_SPACE = new RegExp(`^[${PY_SPACE}\\ufeff]|[${PY_SPACE}\\ufeff]$`);

const BOM = '\ufeff';

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

/**
 * configparser's OPTCRE with its default delimiters (`(.*?)\s*([=:])\s*(.*)$`): the first `=`
 * or `:` splits, the key loses the spaces before it and the value those after it.
 */
function splitOption(stripped: string): { key: string; value: string } | undefined {
  const eq = stripped.indexOf('=');
  const colon = stripped.indexOf(':');
  const at = eq === -1 ? colon : colon === -1 ? eq : Math.min(eq, colon);
  if (at === -1) return undefined;
  const rest = stripped.slice(at + 1);
  return { key: pyStripEnd(stripped.slice(0, at)), value: rest.slice(indentOf(rest)) };
}

function splitLines(body: string): LineText[] {
  const lines: LineText[] = [];
  let start = 0;
  for (const m of body.matchAll(/\r?\n/g)) {
    lines.push({ raw: body.slice(start, m.index), eol: m[0] === '\n' ? '\n' : '\r\n' });
    start = m.index + m[0].length;
  }
  if (start < body.length) lines.push({ raw: body.slice(start), eol: '' });
  return lines;
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
  const physical = splitLines(text.slice(bom.length));
  const lines: IniLine[] = [];
  const sections: IniSection[] = [];
  const sectionLines = new Map<string, number>();
  let current: { name: string; header: number; keys: Map<string, number> } | undefined;
  // Indent of the last header or key line; a deeper line after a key continues its value.
  let indentLevel = 0;
  let inOption = false;
  let crlf = 0;
  let lf = 0;

  const fail = (index: number, reason: IniParseReason): ParseIniResult => ({
    ok: false,
    error: new IniParseError(index + 1, reason),
  });

  for (const [index, line] of physical.entries()) {
    if (line.eol === '\r\n') crlf++;
    else if (line.eol === '\n') lf++;
    if (line.raw.includes('\r')) return fail(index, { kind: 'stray-carriage-return' });

    const stripped = pyStrip(line.raw);
    if (stripped === '') {
      lines.push({ ...line, kind: 'blank' });
      continue;
    }
    if (stripped.startsWith('#') || stripped.startsWith(';')) {
      lines.push({ ...line, kind: 'comment' });
      continue;
    }

    const indent = indentOf(line.raw);
    if (current !== undefined && inOption && indent > indentLevel) {
      lines.push({ ...line, kind: 'continuation', value: stripped });
      continue;
    }
    indentLevel = indent;

    if (stripped.startsWith('[')) {
      const header = HEADER_LINE.exec(stripped);
      if (header?.[1] === undefined) return fail(index, { kind: 'malformed-header' });
      const name = header[1];
      const firstLine = sectionLines.get(name);
      if (firstLine !== undefined) return fail(index, { kind: 'duplicate-section', section: name, firstLine });
      sectionLines.set(name, index + 1);
      if (current !== undefined) sections.push({ name: current.name, header: current.header, end: lines.length });
      current = { name, header: lines.length, keys: new Map() };
      inOption = false;
      lines.push({ ...line, kind: 'header', name });
      continue;
    }

    const option = splitOption(stripped);
    if (current === undefined) {
      return fail(index, { kind: option === undefined ? 'not-a-key-value-line' : 'key-before-section' });
    }
    if (option === undefined) return fail(index, { kind: 'not-a-key-value-line' });
    const { key, value } = option;
    if (key === '') return fail(index, { kind: 'empty-key' });
    const folded = key.toLowerCase();
    const firstLine = current.keys.get(folded);
    if (firstLine !== undefined) {
      return fail(index, { kind: 'duplicate-key', section: current.name, key: folded, firstLine });
    }
    current.keys.set(folded, index + 1);
    inOption = true;
    lines.push({ ...line, kind: 'key', key, value, valueStart: indent + stripped.length - value.length });
  }
  if (current !== undefined) sections.push({ name: current.name, header: current.header, end: lines.length });

  return { ok: true, ini: { bom, eol: crlf > lf ? '\r\n' : '\n', lines, sections } };
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
 * Reads one section as botocore would: keys lower-cased, values trimmed, continuation lines
 * joined with `\n` (so a nested block such as `s3 =` reads as `"\nmax_concurrent_requests = 10"`).
 *
 * @returns `undefined` when the section is absent.
 * @throws {@link IniParseError} when the file cannot be parsed.
 */
export function getSection(text: string, name: string): Record<string, string> | undefined {
  const ini = parseOrThrow(text);
  const section = findSection(ini, name);
  if (section === undefined) return undefined;

  const values = new Map<string, string[]>();
  let parts: string[] | undefined;
  for (const line of ini.lines.slice(section.header + 1, section.end)) {
    if (line.kind === 'key') {
      parts = [line.value];
      values.set(line.key.toLowerCase(), parts);
    } else if (line.kind === 'continuation') {
      parts?.push(line.value);
    } else if (line.kind === 'blank') {
      // configparser keeps blank lines inside a multi-line value, then trims the end.
      parts?.push('');
    }
  }
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

  const ini = parseOrThrow(text);
  const newLine = (raw: string): LineText => ({ raw, eol: ini.eol });
  const section = findSection(ini, sectionName);

  if (section === undefined) {
    const lines: LineText[] = [...ini.lines];
    const last = lines.at(-1);
    if (last !== undefined) {
      if (last.eol === '') lines[lines.length - 1] = { raw: last.raw, eol: ini.eol };
      if (pyStrip(last.raw) !== '') lines.push(newLine(''));
    }
    lines.push(newLine(`[${sectionName}]`));
    for (const { key, value } of wanted.values()) lines.push(newLine(`${key} = ${value}`));
    return serialize(ini.bom, lines);
  }

  const before = ini.lines.slice(0, section.header + 1);
  const body: LineText[] = [];
  const after = ini.lines.slice(section.end);
  const pending = new Map(wanted);
  // Where new keys go: just after the last key or continuation line we keep.
  let insertAt = 0;
  let droppingContinuation = false;

  for (const line of ini.lines.slice(section.header + 1, section.end)) {
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
    const previous = insertAt === 0 ? before.length - 1 : undefined;
    if (previous !== undefined) {
      const header = before[previous];
      if (header !== undefined && header.eol === '') before[previous] = { ...header, eol: ini.eol };
    } else {
      const line = body[insertAt - 1];
      if (line !== undefined && line.eol === '') body[insertAt - 1] = { ...line, eol: ini.eol };
    }
    body.splice(insertAt, 0, ...added);
  }

  return serialize(ini.bom, [...before, ...body, ...after]);
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
