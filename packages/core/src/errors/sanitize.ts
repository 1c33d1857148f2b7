/**
 * Characters a terminal acts on, or shows as nothing, instead of showing them: the controls
 * (C0 with ESC, BEL, CR and LF; DEL; C1 with the 8-bit CSI), the format characters (bidi
 * embeddings, overrides, isolates and marks, zero-width spaces and joiners, the byte order
 * mark, tags), the other default-ignorable ones (soft hyphen, variation selectors, Hangul
 * fillers), the line and paragraph separators, and lone surrogates.
 */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Default_Ignorable_Code_Point}]/gu;
const NAMED: Readonly<Record<string, string>> = { '\t': '\\t', '\n': '\\n', '\r': '\\r' };

function escaped(ch: string): string {
  const named = NAMED[ch];
  if (named !== undefined) return named;
  const code = ch.codePointAt(0)!;
  const hex = code.toString(16);
  if (code <= 0xff) return `\\x${hex.padStart(2, '0')}`;
  return code <= 0xffff ? `\\u${hex.padStart(4, '0')}` : `\\u{${hex}}`;
}

/**
 * Text from outside (a role ARN from a policy, an AWS error message, a server's answer) made
 * safe to show on a terminal: whoever wrote it must not be able to move the cursor, clear the
 * screen, set the window title or the clipboard, start a line of their own or reorder what
 * the user reads. Each such character is written out as an escape (`\x1b`, `\n`, `\u202e`),
 * so nothing is hidden either. Printable text, Unicode included, is kept as it is, and
 * escaping twice changes nothing more. Data output (`--json`, files) keeps the original.
 */
export function sanitizeRemoteText(text: string): string {
  return text.replace(UNPRINTABLE, escaped);
}

// What JSON.stringify leaves as it is inside strings (it escapes C0 controls and lone
// surrogates itself) of the characters above.
const UNPRINTABLE_IN_JSON = /[\u007f-\u009f\p{Cf}\p{Zl}\p{Zp}\p{Default_Ignorable_Code_Point}]/gu;

/**
 * `JSON.stringify(value, null, space)`, with the characters a terminal would act on or hide
 * written as `\uXXXX` escapes: a parser reads back exactly the original strings, and the JSON
 * is as safe to print on a terminal as {@link sanitizeRemoteText}'s text.
 */
export function jsonForTerminal(value: unknown, space?: number): string {
  // Per UTF-16 unit: an astral character (a tag) is written as its surrogate pair.
  const units = (ch: string) => Array.from({ length: ch.length }, (_, i) => `\\u${ch.charCodeAt(i).toString(16).padStart(4, '0')}`).join('');
  return JSON.stringify(value, null, space).replace(UNPRINTABLE_IN_JSON, units);
}
