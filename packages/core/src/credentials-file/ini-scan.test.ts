import { describe, expect, it } from '@jest/globals';
import { getSection, iniError, parseAwsIni } from './ini-edit.js';

/**
 * The single-pass scanner behind parseAwsIni and getSection reads every file of this table as
 * the line-object parser it replaced did: each expectation below is what that parser returned
 * (lines, sections, or the refusal with its line), and what its getSection returned for every
 * section, a missing one, or the refusal.
 */
type Parsed = { ok: true; ini: unknown } | { ok: false; line: number; reason: unknown };
type Sections = Record<string, Record<string, string> | null | { error: string }>;

const TABLE: ReadonlyArray<readonly [name: string, text: string, parsed: Parsed, sections: Sections]> = [
  [
    "BOM, CRLF and LF mixed",
    "\ufeff[a]\r\nx = 1\r\ny=2\n\r\n[b]\r\nz : 3",
    {"ok":true,"ini":{"bom":"\ufeff","eol":"\r\n","lines":[{"raw":"[a]","eol":"\r\n","kind":"header","name":"a"},{"raw":"x = 1","eol":"\r\n","kind":"key","key":"x","value":"1","valueStart":4},{"raw":"y=2","eol":"\n","kind":"key","key":"y","value":"2","valueStart":2},{"raw":"","eol":"\r\n","kind":"blank"},{"raw":"[b]","eol":"\r\n","kind":"header","name":"b"},{"raw":"z : 3","eol":"","kind":"key","key":"z","value":"3","valueStart":4}],"sections":[{"name":"a","header":0,"end":4},{"name":"b","header":4,"end":6}]}},
    {"a":{"x":"1","y":"2"},"b":{"z":"3"},"missing":null},
  ],
  [
    "continuations, a nested block and blank lines inside it",
    "[p]\ns3 =\n  max_concurrent_requests = 10\n\n  multipart_threshold = 64MB\nregion = eu-west-1\n\n# next\n[q]\nk = v\n",
    {"ok":true,"ini":{"bom":"","eol":"\n","lines":[{"raw":"[p]","eol":"\n","kind":"header","name":"p"},{"raw":"s3 =","eol":"\n","kind":"key","key":"s3","value":"","valueStart":4},{"raw":"  max_concurrent_requests = 10","eol":"\n","kind":"continuation","value":"max_concurrent_requests = 10"},{"raw":"","eol":"\n","kind":"blank"},{"raw":"  multipart_threshold = 64MB","eol":"\n","kind":"continuation","value":"multipart_threshold = 64MB"},{"raw":"region = eu-west-1","eol":"\n","kind":"key","key":"region","value":"eu-west-1","valueStart":9},{"raw":"","eol":"\n","kind":"blank"},{"raw":"# next","eol":"\n","kind":"comment"},{"raw":"[q]","eol":"\n","kind":"header","name":"q"},{"raw":"k = v","eol":"\n","kind":"key","key":"k","value":"v","valueStart":4}],"sections":[{"name":"p","header":0,"end":8},{"name":"q","header":8,"end":10}]}},
    {"p":{"s3":"\nmax_concurrent_requests = 10\n\nmultipart_threshold = 64MB","region":"eu-west-1"},"q":{"k":"v"},"missing":null},
  ],
  [
    "delimiters: colon first, equals in the value, empty value",
    "[d]\na:b = c\nurl = https://x/?a=b:c\nempty =\nspaced   =   v  \n",
    {"ok":true,"ini":{"bom":"","eol":"\n","lines":[{"raw":"[d]","eol":"\n","kind":"header","name":"d"},{"raw":"a:b = c","eol":"\n","kind":"key","key":"a","value":"b = c","valueStart":2},{"raw":"url = https://x/?a=b:c","eol":"\n","kind":"key","key":"url","value":"https://x/?a=b:c","valueStart":6},{"raw":"empty =","eol":"\n","kind":"key","key":"empty","value":"","valueStart":7},{"raw":"spaced   =   v  ","eol":"\n","kind":"key","key":"spaced","value":"v","valueStart":13}],"sections":[{"name":"d","header":0,"end":5}]}},
    {"d":{"a":"b = c","url":"https://x/?a=b:c","empty":"","spaced":"v"},"missing":null},
  ],
  [
    "Python spaces: tab, no-break, ideographic, line separator in a value",
    "[s]\n\tk\u00a0=\u3000v\u3000\nv2 = a\u2028b\n[t]\u00a0\nk = \ufeffz\n",
    {"ok":true,"ini":{"bom":"","eol":"\n","lines":[{"raw":"[s]","eol":"\n","kind":"header","name":"s"},{"raw":"\tk\u00a0=\u3000v\u3000","eol":"\n","kind":"key","key":"k","value":"v","valueStart":5},{"raw":"v2 = a\u2028b","eol":"\n","kind":"key","key":"v2","value":"a\u2028b","valueStart":5},{"raw":"[t]\u00a0","eol":"\n","kind":"header","name":"t"},{"raw":"k = \ufeffz","eol":"\n","kind":"key","key":"k","value":"\ufeffz","valueStart":4}],"sections":[{"name":"s","header":0,"end":3},{"name":"t","header":3,"end":5}]}},
    {"s":{"k":"v","v2":"a\u2028b"},"t":{"k":"\ufeffz"},"missing":null},
  ],
  [
    "refused: a header indented after a key continues its value, so the next key is a repeat",
    "[s]\nk = v\n\u00a0[t]\nk = w\n",
    {"ok":false,"line":4,"reason":{"kind":"duplicate-key","section":"s","key":"k","firstLine":2}},
    {"a":{"error":"duplicate-key"}},
  ],
  [
    "headers: trailing spaces, prefixed names",
    "[x]   \nk = 1\n\n[profile y]\nk = 2\n[sso-session corp]\nsso_region = us-east-1\n[services s]\ns3 =\n  endpoint_url = https://s3\n",
    {"ok":true,"ini":{"bom":"","eol":"\n","lines":[{"raw":"[x]   ","eol":"\n","kind":"header","name":"x"},{"raw":"k = 1","eol":"\n","kind":"key","key":"k","value":"1","valueStart":4},{"raw":"","eol":"\n","kind":"blank"},{"raw":"[profile y]","eol":"\n","kind":"header","name":"profile y"},{"raw":"k = 2","eol":"\n","kind":"key","key":"k","value":"2","valueStart":4},{"raw":"[sso-session corp]","eol":"\n","kind":"header","name":"sso-session corp"},{"raw":"sso_region = us-east-1","eol":"\n","kind":"key","key":"sso_region","value":"us-east-1","valueStart":13},{"raw":"[services s]","eol":"\n","kind":"header","name":"services s"},{"raw":"s3 =","eol":"\n","kind":"key","key":"s3","value":"","valueStart":4},{"raw":"  endpoint_url = https://s3","eol":"\n","kind":"continuation","value":"endpoint_url = https://s3"}],"sections":[{"name":"x","header":0,"end":3},{"name":"profile y","header":3,"end":5},{"name":"sso-session corp","header":5,"end":7},{"name":"services s","header":7,"end":10}]}},
    {"x":{"k":"1"},"profile y":{"k":"2"},"sso-session corp":{"sso_region":"us-east-1"},"services s":{"s3":"\nendpoint_url = https://s3"},"missing":null},
  ],
  [
    "comments everywhere, inline # kept in values",
    "# top\n; semi\n[c]\n  # indented comment\nk = v # not a comment\n;k2 = no\n",
    {"ok":true,"ini":{"bom":"","eol":"\n","lines":[{"raw":"# top","eol":"\n","kind":"comment"},{"raw":"; semi","eol":"\n","kind":"comment"},{"raw":"[c]","eol":"\n","kind":"header","name":"c"},{"raw":"  # indented comment","eol":"\n","kind":"comment"},{"raw":"k = v # not a comment","eol":"\n","kind":"key","key":"k","value":"v # not a comment","valueStart":4},{"raw":";k2 = no","eol":"\n","kind":"comment"}],"sections":[{"name":"c","header":2,"end":6}]}},
    {"c":{"k":"v # not a comment"},"missing":null},
  ],
  [
    "after a header, an indented line is a key, not a continuation",
    "[h]\n  a = 1\n    b = 2\nc = 3\n",
    {"ok":true,"ini":{"bom":"","eol":"\n","lines":[{"raw":"[h]","eol":"\n","kind":"header","name":"h"},{"raw":"  a = 1","eol":"\n","kind":"key","key":"a","value":"1","valueStart":6},{"raw":"    b = 2","eol":"\n","kind":"continuation","value":"b = 2"},{"raw":"c = 3","eol":"\n","kind":"key","key":"c","value":"3","valueStart":4}],"sections":[{"name":"h","header":0,"end":4}]}},
    {"h":{"a":"1\nb = 2","c":"3"},"missing":null},
  ],
  [
    "last line without an ending",
    "[e]\nk = v",
    {"ok":true,"ini":{"bom":"","eol":"\n","lines":[{"raw":"[e]","eol":"\n","kind":"header","name":"e"},{"raw":"k = v","eol":"","kind":"key","key":"k","value":"v","valueStart":4}],"sections":[{"name":"e","header":0,"end":2}]}},
    {"e":{"k":"v"},"missing":null},
  ],
  [
    "only comments and blanks",
    "# a\n\n; b\n",
    {"ok":true,"ini":{"bom":"","eol":"\n","lines":[{"raw":"# a","eol":"\n","kind":"comment"},{"raw":"","eol":"\n","kind":"blank"},{"raw":"; b","eol":"\n","kind":"comment"}],"sections":[]}},
    {"missing":null},
  ],
  [
    "empty file",
    "",
    {"ok":true,"ini":{"bom":"","eol":"\n","lines":[],"sections":[]}},
    {"missing":null},
  ],
  [
    "a long run of spaces",
    "[l]\nk = a" + " ".repeat(5000) + "b\n" + " ".repeat(3000) + "\n",
    {"ok":true,"ini":{"bom":"","eol":"\n","lines":[{"raw":"[l]","eol":"\n","kind":"header","name":"l"},{"raw":"k = a" + " ".repeat(5000) + "b","eol":"\n","kind":"key","key":"k","value":"a" + " ".repeat(5000) + "b","valueStart":4},{"raw":"" + " ".repeat(3000) + "","eol":"\n","kind":"blank"}],"sections":[{"name":"l","header":0,"end":3}]}},
    {"l":{"k":"a" + " ".repeat(5000) + "b"},"missing":null},
  ],
  [
    "refused: duplicate section",
    "[a]\nk = 1\n[b]\n[a]\n",
    {"ok":false,"line":4,"reason":{"kind":"duplicate-section","section":"a","firstLine":1}},
    {"a":{"error":"duplicate-section"}},
  ],
  [
    "refused: the same key in two spellings",
    "[a]\nKey = 1\nkey = 2\n",
    {"ok":false,"line":3,"reason":{"kind":"duplicate-key","section":"a","key":"key","firstLine":2}},
    {"a":{"error":"duplicate-key"}},
  ],
  [
    "refused: a key before any section",
    "k = v\n[a]\n",
    {"ok":false,"line":1,"reason":{"kind":"key-before-section"}},
    {"a":{"error":"key-before-section"}},
  ],
  [
    "refused: a line that is not a key",
    "[a]\njust words\n",
    {"ok":false,"line":2,"reason":{"kind":"not-a-key-value-line"}},
    {"a":{"error":"not-a-key-value-line"}},
  ],
  [
    "refused: a bare word before any section",
    "words\n",
    {"ok":false,"line":1,"reason":{"kind":"not-a-key-value-line"}},
    {"a":{"error":"not-a-key-value-line"}},
  ],
  [
    "refused: an empty key",
    "[a]\n = v\n",
    {"ok":false,"line":2,"reason":{"kind":"empty-key"}},
    {"a":{"error":"empty-key"}},
  ],
  [
    "refused: a stray carriage return",
    "[a]\nk = v\rw\n",
    {"ok":false,"line":2,"reason":{"kind":"stray-carriage-return"}},
    {"a":{"error":"stray-carriage-return"}},
  ],
  [
    "refused: a carriage return before CRLF",
    "[a]\nk = v\r\r\n",
    {"ok":false,"line":2,"reason":{"kind":"stray-carriage-return"}},
    {"a":{"error":"stray-carriage-return"}},
  ],
  [
    "refused: a header with text after it",
    "[a] b\n",
    {"ok":false,"line":1,"reason":{"kind":"malformed-header"}},
    {"a":{"error":"malformed-header"}},
  ],
  [
    "refused: brackets inside a header",
    "[a[b]\n",
    {"ok":false,"line":1,"reason":{"kind":"malformed-header"}},
    {"a":{"error":"malformed-header"}},
  ],
  [
    "refused: an empty header",
    "[]\n",
    {"ok":false,"line":1,"reason":{"kind":"malformed-header"}},
    {"a":{"error":"malformed-header"}},
  ],
  [
    "refused: a header not closed",
    "[abc\n",
    {"ok":false,"line":1,"reason":{"kind":"malformed-header"}},
    {"a":{"error":"malformed-header"}},
  ],
];

function parsedOf(text: string): Parsed {
  const result = parseAwsIni(text);
  return result.ok ? { ok: true, ini: result.ini } : { ok: false, line: result.error.line, reason: result.error.reason };
}

function sectionOf(text: string, name: string): Sections[string] {
  try {
    return getSection(text, name) ?? null;
  } catch (error) {
    return { error: (error as { reason?: { kind: string } }).reason?.kind ?? String(error) };
  }
}

describe('the single-pass scanner reads tricky files as the line-object parser did', () => {
  it.each(TABLE)('%s', (_name, text, parsed, sections) => {
    // Through JSON, as the expectations were recorded: the parse holds nothing else.
    expect(JSON.parse(JSON.stringify(parsedOf(text)))).toEqual(parsed);
    for (const [name, section] of Object.entries(sections)) expect(sectionOf(text, name)).toEqual(section);
    const error = iniError(text);
    expect(error === undefined ? { ok: true } : { ok: false, line: error.line, reason: error.reason }).toEqual(parsed.ok ? { ok: true } : { ok: false, line: parsed.line, reason: parsed.reason });
  });
});
