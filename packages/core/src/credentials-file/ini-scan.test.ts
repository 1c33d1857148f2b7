import { describe, expect, it } from '@jest/globals';
import { getSection, iniError, parseAwsIni, setSection } from './ini-edit.js';
import { quickScan } from './ini-quick-scan.js';

/**
 * Tricky files, each read by the single-pass scanner, the section finder and the splicing editor,
 * against what the line-object parser and editor they replaced returned, recorded in the table:
 * - `parsed`: the parse (lines, sections) or the refusal with its line;
 * - `sections`: getSection for each section name, names that look like one, and a missing one;
 * - `edits`: setSection of each of those names with {@link EDIT} (the whole text, or the refusal);
 * - `finder`, where given: what getSection reads now in a file refused elsewhere. It reads only its
 *   section, and refuses only what concerns it (its lines, a second header of its name, the lines
 *   that decide whether an indented `[name]` is a header); the old one refused the whole file.
 */
type Parsed = { ok: true; ini: unknown } | { ok: false; line: number; reason: unknown };
type Sections = Record<string, Record<string, string> | null | { error: string }>;
type Edits = Record<string, string | { error: string }>;

const EDIT = { entries: [['aws_access_key_id', 'ASIANEW'], ['k', 'NEW']], removeKeys: ['j'] } as const;

const TABLE: ReadonlyArray<readonly [name: string, text: string, parsed: Parsed, sections: Sections, edits: Edits, finder?: Sections]> = [
  [
    "BOM, CRLF and LF mixed",
    "\ufeff[a]\r\nx = 1\r\ny=2\n\r\n[b]\r\nz : 3",
    {"ok":true,"ini":{"bom":"\ufeff","eol":"\r\n","lines":[{"raw":"[a]","eol":"\r\n","kind":"header","name":"a"},{"raw":"x = 1","eol":"\r\n","kind":"key","key":"x","value":"1","valueStart":4},{"raw":"y=2","eol":"\n","kind":"key","key":"y","value":"2","valueStart":2},{"raw":"","eol":"\r\n","kind":"blank"},{"raw":"[b]","eol":"\r\n","kind":"header","name":"b"},{"raw":"z : 3","eol":"","kind":"key","key":"z","value":"3","valueStart":4}],"sections":[{"name":"a","header":0,"end":4},{"name":"b","header":4,"end":6}]}},
    {"a":{"x":"1","y":"2"},"b":{"z":"3"},"missing":null},
    {"a":"\ufeff[a]\r\nx = 1\r\ny=2\naws_access_key_id = ASIANEW\r\nk = NEW\r\n\r\n[b]\r\nz : 3","b":"\ufeff[a]\r\nx = 1\r\ny=2\n\r\n[b]\r\nz : 3\r\naws_access_key_id = ASIANEW\r\nk = NEW\r\n","missing":"\ufeff[a]\r\nx = 1\r\ny=2\n\r\n[b]\r\nz : 3\r\n\r\n[missing]\r\naws_access_key_id = ASIANEW\r\nk = NEW\r\n"},
  ],
  [
    "continuations, a nested block and blank lines inside it",
    "[p]\ns3 =\n  max_concurrent_requests = 10\n\n  multipart_threshold = 64MB\nregion = eu-west-1\n\n# next\n[q]\nk = v\n",
    {"ok":true,"ini":{"bom":"","eol":"\n","lines":[{"raw":"[p]","eol":"\n","kind":"header","name":"p"},{"raw":"s3 =","eol":"\n","kind":"key","key":"s3","value":"","valueStart":4},{"raw":"  max_concurrent_requests = 10","eol":"\n","kind":"continuation","value":"max_concurrent_requests = 10"},{"raw":"","eol":"\n","kind":"blank"},{"raw":"  multipart_threshold = 64MB","eol":"\n","kind":"continuation","value":"multipart_threshold = 64MB"},{"raw":"region = eu-west-1","eol":"\n","kind":"key","key":"region","value":"eu-west-1","valueStart":9},{"raw":"","eol":"\n","kind":"blank"},{"raw":"# next","eol":"\n","kind":"comment"},{"raw":"[q]","eol":"\n","kind":"header","name":"q"},{"raw":"k = v","eol":"\n","kind":"key","key":"k","value":"v","valueStart":4}],"sections":[{"name":"p","header":0,"end":8},{"name":"q","header":8,"end":10}]}},
    {"p":{"s3":"\nmax_concurrent_requests = 10\n\nmultipart_threshold = 64MB","region":"eu-west-1"},"q":{"k":"v"},"missing":null},
    {"p":"[p]\ns3 =\n  max_concurrent_requests = 10\n\n  multipart_threshold = 64MB\nregion = eu-west-1\naws_access_key_id = ASIANEW\nk = NEW\n\n# next\n[q]\nk = v\n","q":"[p]\ns3 =\n  max_concurrent_requests = 10\n\n  multipart_threshold = 64MB\nregion = eu-west-1\n\n# next\n[q]\nk = NEW\naws_access_key_id = ASIANEW\n","missing":"[p]\ns3 =\n  max_concurrent_requests = 10\n\n  multipart_threshold = 64MB\nregion = eu-west-1\n\n# next\n[q]\nk = v\n\n[missing]\naws_access_key_id = ASIANEW\nk = NEW\n"},
  ],
  [
    "delimiters: colon first, equals in the value, empty value",
    "[d]\na:b = c\nurl = https://x/?a=b:c\nempty =\nspaced   =   v  \n",
    {"ok":true,"ini":{"bom":"","eol":"\n","lines":[{"raw":"[d]","eol":"\n","kind":"header","name":"d"},{"raw":"a:b = c","eol":"\n","kind":"key","key":"a","value":"b = c","valueStart":2},{"raw":"url = https://x/?a=b:c","eol":"\n","kind":"key","key":"url","value":"https://x/?a=b:c","valueStart":6},{"raw":"empty =","eol":"\n","kind":"key","key":"empty","value":"","valueStart":7},{"raw":"spaced   =   v  ","eol":"\n","kind":"key","key":"spaced","value":"v","valueStart":13}],"sections":[{"name":"d","header":0,"end":5}]}},
    {"d":{"a":"b = c","url":"https://x/?a=b:c","empty":"","spaced":"v"},"missing":null},
    {"d":"[d]\na:b = c\nurl = https://x/?a=b:c\nempty =\nspaced   =   v  \naws_access_key_id = ASIANEW\nk = NEW\n","missing":"[d]\na:b = c\nurl = https://x/?a=b:c\nempty =\nspaced   =   v  \n\n[missing]\naws_access_key_id = ASIANEW\nk = NEW\n"},
  ],
  [
    "Python spaces: tab, no-break, ideographic, line separator in a value",
    "[s]\n\tk\u00a0=\u3000v\u3000\nv2 = a\u2028b\n[t]\u00a0\nk = \ufeffz\n",
    {"ok":true,"ini":{"bom":"","eol":"\n","lines":[{"raw":"[s]","eol":"\n","kind":"header","name":"s"},{"raw":"\tk\u00a0=\u3000v\u3000","eol":"\n","kind":"key","key":"k","value":"v","valueStart":5},{"raw":"v2 = a\u2028b","eol":"\n","kind":"key","key":"v2","value":"a\u2028b","valueStart":5},{"raw":"[t]\u00a0","eol":"\n","kind":"header","name":"t"},{"raw":"k = \ufeffz","eol":"\n","kind":"key","key":"k","value":"\ufeffz","valueStart":4}],"sections":[{"name":"s","header":0,"end":3},{"name":"t","header":3,"end":5}]}},
    {"s":{"k":"v","v2":"a\u2028b"},"t":{"k":"\ufeffz"},"missing":null},
    {"s":"[s]\n\tk\u00a0=\u3000NEW\nv2 = a\u2028b\naws_access_key_id = ASIANEW\n[t]\u00a0\nk = \ufeffz\n","t":"[s]\n\tk\u00a0=\u3000v\u3000\nv2 = a\u2028b\n[t]\u00a0\nk = NEW\naws_access_key_id = ASIANEW\n","missing":"[s]\n\tk\u00a0=\u3000v\u3000\nv2 = a\u2028b\n[t]\u00a0\nk = \ufeffz\n\n[missing]\naws_access_key_id = ASIANEW\nk = NEW\n"},
  ],
  [
    "refused: a header indented after a key continues its value, so the next key is a repeat",
    "[s]\nk = v\n\u00a0[t]\nk = w\n",
    {"ok":false,"line":4,"reason":{"kind":"duplicate-key","section":"s","key":"k","firstLine":2}},
    {"a":{"error":"duplicate-key"},"s":{"error":"duplicate-key"},"t":{"error":"duplicate-key"},"missing":{"error":"duplicate-key"}},
    {"a":{"error":"duplicate-key"},"s":{"error":"duplicate-key"},"t":{"error":"duplicate-key"},"missing":{"error":"duplicate-key"}},
    {"a":null,"t":null,"missing":null},
  ],
  [
    "headers: trailing spaces, prefixed names",
    "[x]   \nk = 1\n\n[profile y]\nk = 2\n[sso-session corp]\nsso_region = us-east-1\n[services s]\ns3 =\n  endpoint_url = https://s3\n",
    {"ok":true,"ini":{"bom":"","eol":"\n","lines":[{"raw":"[x]   ","eol":"\n","kind":"header","name":"x"},{"raw":"k = 1","eol":"\n","kind":"key","key":"k","value":"1","valueStart":4},{"raw":"","eol":"\n","kind":"blank"},{"raw":"[profile y]","eol":"\n","kind":"header","name":"profile y"},{"raw":"k = 2","eol":"\n","kind":"key","key":"k","value":"2","valueStart":4},{"raw":"[sso-session corp]","eol":"\n","kind":"header","name":"sso-session corp"},{"raw":"sso_region = us-east-1","eol":"\n","kind":"key","key":"sso_region","value":"us-east-1","valueStart":13},{"raw":"[services s]","eol":"\n","kind":"header","name":"services s"},{"raw":"s3 =","eol":"\n","kind":"key","key":"s3","value":"","valueStart":4},{"raw":"  endpoint_url = https://s3","eol":"\n","kind":"continuation","value":"endpoint_url = https://s3"}],"sections":[{"name":"x","header":0,"end":3},{"name":"profile y","header":3,"end":5},{"name":"sso-session corp","header":5,"end":7},{"name":"services s","header":7,"end":10}]}},
    {"x":{"k":"1"},"profile y":{"k":"2"},"sso-session corp":{"sso_region":"us-east-1"},"services s":{"s3":"\nendpoint_url = https://s3"},"missing":null},
    {"x":"[x]   \nk = NEW\naws_access_key_id = ASIANEW\n\n[profile y]\nk = 2\n[sso-session corp]\nsso_region = us-east-1\n[services s]\ns3 =\n  endpoint_url = https://s3\n","profile y":"[x]   \nk = 1\n\n[profile y]\nk = NEW\naws_access_key_id = ASIANEW\n[sso-session corp]\nsso_region = us-east-1\n[services s]\ns3 =\n  endpoint_url = https://s3\n","sso-session corp":"[x]   \nk = 1\n\n[profile y]\nk = 2\n[sso-session corp]\nsso_region = us-east-1\naws_access_key_id = ASIANEW\nk = NEW\n[services s]\ns3 =\n  endpoint_url = https://s3\n","services s":"[x]   \nk = 1\n\n[profile y]\nk = 2\n[sso-session corp]\nsso_region = us-east-1\n[services s]\ns3 =\n  endpoint_url = https://s3\naws_access_key_id = ASIANEW\nk = NEW\n","missing":"[x]   \nk = 1\n\n[profile y]\nk = 2\n[sso-session corp]\nsso_region = us-east-1\n[services s]\ns3 =\n  endpoint_url = https://s3\n\n[missing]\naws_access_key_id = ASIANEW\nk = NEW\n"},
  ],
  [
    "comments everywhere, inline # kept in values",
    "# top\n; semi\n[c]\n  # indented comment\nk = v # not a comment\n;k2 = no\n",
    {"ok":true,"ini":{"bom":"","eol":"\n","lines":[{"raw":"# top","eol":"\n","kind":"comment"},{"raw":"; semi","eol":"\n","kind":"comment"},{"raw":"[c]","eol":"\n","kind":"header","name":"c"},{"raw":"  # indented comment","eol":"\n","kind":"comment"},{"raw":"k = v # not a comment","eol":"\n","kind":"key","key":"k","value":"v # not a comment","valueStart":4},{"raw":";k2 = no","eol":"\n","kind":"comment"}],"sections":[{"name":"c","header":2,"end":6}]}},
    {"c":{"k":"v # not a comment"},"missing":null},
    {"c":"# top\n; semi\n[c]\n  # indented comment\nk = NEW\naws_access_key_id = ASIANEW\n;k2 = no\n","missing":"# top\n; semi\n[c]\n  # indented comment\nk = v # not a comment\n;k2 = no\n\n[missing]\naws_access_key_id = ASIANEW\nk = NEW\n"},
  ],
  [
    "after a header, an indented line is a key, not a continuation",
    "[h]\n  a = 1\n    b = 2\nc = 3\n",
    {"ok":true,"ini":{"bom":"","eol":"\n","lines":[{"raw":"[h]","eol":"\n","kind":"header","name":"h"},{"raw":"  a = 1","eol":"\n","kind":"key","key":"a","value":"1","valueStart":6},{"raw":"    b = 2","eol":"\n","kind":"continuation","value":"b = 2"},{"raw":"c = 3","eol":"\n","kind":"key","key":"c","value":"3","valueStart":4}],"sections":[{"name":"h","header":0,"end":4}]}},
    {"h":{"a":"1\nb = 2","c":"3"},"missing":null},
    {"h":"[h]\n  a = 1\n    b = 2\nc = 3\naws_access_key_id = ASIANEW\nk = NEW\n","missing":"[h]\n  a = 1\n    b = 2\nc = 3\n\n[missing]\naws_access_key_id = ASIANEW\nk = NEW\n"},
  ],
  [
    "last line without an ending",
    "[e]\nk = v",
    {"ok":true,"ini":{"bom":"","eol":"\n","lines":[{"raw":"[e]","eol":"\n","kind":"header","name":"e"},{"raw":"k = v","eol":"","kind":"key","key":"k","value":"v","valueStart":4}],"sections":[{"name":"e","header":0,"end":2}]}},
    {"e":{"k":"v"},"missing":null},
    {"e":"[e]\nk = NEW\naws_access_key_id = ASIANEW\n","missing":"[e]\nk = v\n\n[missing]\naws_access_key_id = ASIANEW\nk = NEW\n"},
  ],
  [
    "only comments and blanks",
    "# a\n\n; b\n",
    {"ok":true,"ini":{"bom":"","eol":"\n","lines":[{"raw":"# a","eol":"\n","kind":"comment"},{"raw":"","eol":"\n","kind":"blank"},{"raw":"; b","eol":"\n","kind":"comment"}],"sections":[]}},
    {"missing":null},
    {"missing":"# a\n\n; b\n\n[missing]\naws_access_key_id = ASIANEW\nk = NEW\n"},
  ],
  [
    "empty file",
    "",
    {"ok":true,"ini":{"bom":"","eol":"\n","lines":[],"sections":[]}},
    {"missing":null},
    {"missing":"[missing]\naws_access_key_id = ASIANEW\nk = NEW\n"},
  ],
  [
    "a long run of spaces",
    "[l]\nk = a" + " ".repeat(5000) + "b\n" + " ".repeat(3000) + "\n",
    {"ok":true,"ini":{"bom":"","eol":"\n","lines":[{"raw":"[l]","eol":"\n","kind":"header","name":"l"},{"raw":"k = a" + " ".repeat(5000) + "b","eol":"\n","kind":"key","key":"k","value":"a" + " ".repeat(5000) + "b","valueStart":4},{"raw":" ".repeat(3000),"eol":"\n","kind":"blank"}],"sections":[{"name":"l","header":0,"end":3}]}},
    {"l":{"k":"a" + " ".repeat(5000) + "b"},"missing":null},
    {"l":"[l]\nk = NEW\naws_access_key_id = ASIANEW\n" + " ".repeat(3000) + "\n","missing":"[l]\nk = a" + " ".repeat(5000) + "b\n" + " ".repeat(3000) + "\n[missing]\naws_access_key_id = ASIANEW\nk = NEW\n"},
  ],
  [
    "refused: duplicate section",
    "[a]\nk = 1\n[b]\n[a]\n",
    {"ok":false,"line":4,"reason":{"kind":"duplicate-section","section":"a","firstLine":1}},
    {"a":{"error":"duplicate-section"},"b":{"error":"duplicate-section"},"missing":{"error":"duplicate-section"}},
    {"a":{"error":"duplicate-section"},"b":{"error":"duplicate-section"},"missing":{"error":"duplicate-section"}},
    {"b":{},"missing":null},
  ],
  [
    "refused: the same key in two spellings",
    "[a]\nKey = 1\nkey = 2\n",
    {"ok":false,"line":3,"reason":{"kind":"duplicate-key","section":"a","key":"key","firstLine":2}},
    {"a":{"error":"duplicate-key"},"missing":{"error":"duplicate-key"}},
    {"a":{"error":"duplicate-key"},"missing":{"error":"duplicate-key"}},
    {"missing":null},
  ],
  [
    "refused: a key before any section",
    "k = v\n[a]\n",
    {"ok":false,"line":1,"reason":{"kind":"key-before-section"}},
    {"a":{"error":"key-before-section"},"missing":{"error":"key-before-section"}},
    {"a":{"error":"key-before-section"},"missing":{"error":"key-before-section"}},
    {"a":{},"missing":null},
  ],
  [
    "refused: a line that is not a key",
    "[a]\njust words\n",
    {"ok":false,"line":2,"reason":{"kind":"not-a-key-value-line"}},
    {"a":{"error":"not-a-key-value-line"},"missing":{"error":"not-a-key-value-line"}},
    {"a":{"error":"not-a-key-value-line"},"missing":{"error":"not-a-key-value-line"}},
    {"missing":null},
  ],
  [
    "refused: a bare word before any section",
    "words\n",
    {"ok":false,"line":1,"reason":{"kind":"not-a-key-value-line"}},
    {"a":{"error":"not-a-key-value-line"},"missing":{"error":"not-a-key-value-line"}},
    {"a":{"error":"not-a-key-value-line"},"missing":{"error":"not-a-key-value-line"}},
    {"a":null,"missing":null},
  ],
  [
    "refused: an empty key",
    "[a]\n = v\n",
    {"ok":false,"line":2,"reason":{"kind":"empty-key"}},
    {"a":{"error":"empty-key"},"missing":{"error":"empty-key"}},
    {"a":{"error":"empty-key"},"missing":{"error":"empty-key"}},
    {"missing":null},
  ],
  [
    "refused: a stray carriage return",
    "[a]\nk = v\rw\n",
    {"ok":false,"line":2,"reason":{"kind":"stray-carriage-return"}},
    {"a":{"error":"stray-carriage-return"},"missing":{"error":"stray-carriage-return"}},
    {"a":{"error":"stray-carriage-return"},"missing":{"error":"stray-carriage-return"}},
    {"missing":null},
  ],
  [
    "refused: a carriage return before CRLF",
    "[a]\nk = v\r\r\n",
    {"ok":false,"line":2,"reason":{"kind":"stray-carriage-return"}},
    {"a":{"error":"stray-carriage-return"},"missing":{"error":"stray-carriage-return"}},
    {"a":{"error":"stray-carriage-return"},"missing":{"error":"stray-carriage-return"}},
    {"missing":null},
  ],
  [
    "refused: a header with text after it",
    "[a] b\n",
    {"ok":false,"line":1,"reason":{"kind":"malformed-header"}},
    {"a":{"error":"malformed-header"},"missing":{"error":"malformed-header"}},
    {"a":{"error":"malformed-header"},"missing":{"error":"malformed-header"}},
    {"a":null,"missing":null},
  ],
  [
    "refused: brackets inside a header",
    "[a[b]\n",
    {"ok":false,"line":1,"reason":{"kind":"malformed-header"}},
    {"a":{"error":"malformed-header"},"missing":{"error":"malformed-header"}},
    {"a":{"error":"malformed-header"},"missing":{"error":"malformed-header"}},
    {"a":null,"missing":null},
  ],
  [
    "refused: an empty header",
    "[]\n",
    {"ok":false,"line":1,"reason":{"kind":"malformed-header"}},
    {"a":{"error":"malformed-header"},"missing":{"error":"malformed-header"}},
    {"a":{"error":"malformed-header"},"missing":{"error":"malformed-header"}},
    {"a":null,"missing":null},
  ],
  [
    "refused: a header not closed",
    "[abc\n",
    {"ok":false,"line":1,"reason":{"kind":"malformed-header"}},
    {"a":{"error":"malformed-header"},"missing":{"error":"malformed-header"}},
    {"a":{"error":"malformed-header"},"missing":{"error":"malformed-header"}},
    {"a":null,"missing":null},
  ],
  [
    "a [name] line indented under a key is part of its value, even with the section's own name",
    "[a]\nk = v\n  [b]\n\t[a]\nj = w\n[c]\nz = 1\n",
    {"ok":true,"ini":{"bom":"","eol":"\n","lines":[{"raw":"[a]","eol":"\n","kind":"header","name":"a"},{"raw":"k = v","eol":"\n","kind":"key","key":"k","value":"v","valueStart":4},{"raw":"  [b]","eol":"\n","kind":"continuation","value":"[b]"},{"raw":"\t[a]","eol":"\n","kind":"continuation","value":"[a]"},{"raw":"j = w","eol":"\n","kind":"key","key":"j","value":"w","valueStart":4},{"raw":"[c]","eol":"\n","kind":"header","name":"c"},{"raw":"z = 1","eol":"\n","kind":"key","key":"z","value":"1","valueStart":4}],"sections":[{"name":"a","header":0,"end":5},{"name":"c","header":5,"end":7}]}},
    {"a":{"k":"v\n[b]\n[a]","j":"w"},"b":null,"c":{"z":"1"},"missing":null},
    {"a":"[a]\nk = NEW\naws_access_key_id = ASIANEW\n[c]\nz = 1\n","b":"[a]\nk = v\n  [b]\n\t[a]\nj = w\n[c]\nz = 1\n\n[b]\naws_access_key_id = ASIANEW\nk = NEW\n","c":"[a]\nk = v\n  [b]\n\t[a]\nj = w\n[c]\nz = 1\naws_access_key_id = ASIANEW\nk = NEW\n","missing":"[a]\nk = v\n  [b]\n\t[a]\nj = w\n[c]\nz = 1\n\n[missing]\naws_access_key_id = ASIANEW\nk = NEW\n"},
  ],
  [
    "an indented [name] after a header, or no deeper than the key above, is a header",
    "  [a]\n  k = v\n  [b]\n  j = w\n\t\t[c]\n    [d]\nx = 1\n   [e]\n",
    {"ok":true,"ini":{"bom":"","eol":"\n","lines":[{"raw":"  [a]","eol":"\n","kind":"header","name":"a"},{"raw":"  k = v","eol":"\n","kind":"key","key":"k","value":"v","valueStart":6},{"raw":"  [b]","eol":"\n","kind":"header","name":"b"},{"raw":"  j = w","eol":"\n","kind":"key","key":"j","value":"w","valueStart":6},{"raw":"\t\t[c]","eol":"\n","kind":"header","name":"c"},{"raw":"    [d]","eol":"\n","kind":"header","name":"d"},{"raw":"x = 1","eol":"\n","kind":"key","key":"x","value":"1","valueStart":4},{"raw":"   [e]","eol":"\n","kind":"continuation","value":"[e]"}],"sections":[{"name":"a","header":0,"end":2},{"name":"b","header":2,"end":4},{"name":"c","header":4,"end":5},{"name":"d","header":5,"end":8}]}},
    {"a":{"k":"v"},"b":{"j":"w"},"c":{},"d":{"x":"1\n[e]"},"e":null,"missing":null},
    {"a":"  [a]\n  k = NEW\naws_access_key_id = ASIANEW\n  [b]\n  j = w\n\t\t[c]\n    [d]\nx = 1\n   [e]\n","b":"  [a]\n  k = v\n  [b]\naws_access_key_id = ASIANEW\nk = NEW\n\t\t[c]\n    [d]\nx = 1\n   [e]\n","c":"  [a]\n  k = v\n  [b]\n  j = w\n\t\t[c]\naws_access_key_id = ASIANEW\nk = NEW\n    [d]\nx = 1\n   [e]\n","d":"  [a]\n  k = v\n  [b]\n  j = w\n\t\t[c]\n    [d]\nx = 1\n   [e]\naws_access_key_id = ASIANEW\nk = NEW\n","e":"  [a]\n  k = v\n  [b]\n  j = w\n\t\t[c]\n    [d]\nx = 1\n   [e]\n\n[e]\naws_access_key_id = ASIANEW\nk = NEW\n","missing":"  [a]\n  k = v\n  [b]\n  j = w\n\t\t[c]\n    [d]\nx = 1\n   [e]\n\n[missing]\naws_access_key_id = ASIANEW\nk = NEW\n"},
  ],
  [
    "a [name] deeper than the key above continues it across comments and blank lines",
    "[a]\ns3 =\n# c\n\n  [b]\n",
    {"ok":true,"ini":{"bom":"","eol":"\n","lines":[{"raw":"[a]","eol":"\n","kind":"header","name":"a"},{"raw":"s3 =","eol":"\n","kind":"key","key":"s3","value":"","valueStart":4},{"raw":"# c","eol":"\n","kind":"comment"},{"raw":"","eol":"\n","kind":"blank"},{"raw":"  [b]","eol":"\n","kind":"continuation","value":"[b]"}],"sections":[{"name":"a","header":0,"end":5}]}},
    {"a":{"s3":"\n\n[b]"},"b":null,"missing":null},
    {"a":"[a]\ns3 =\n# c\n\n  [b]\naws_access_key_id = ASIANEW\nk = NEW\n","b":"[a]\ns3 =\n# c\n\n  [b]\n\n[b]\naws_access_key_id = ASIANEW\nk = NEW\n","missing":"[a]\ns3 =\n# c\n\n  [b]\n\n[missing]\naws_access_key_id = ASIANEW\nk = NEW\n"},
  ],
  [
    "CRLF, a BOM and a header on the first line",
    "\ufeff[a]\r\nk = 1\r\n\r\n[b]\r\nj = 2\r\n",
    {"ok":true,"ini":{"bom":"\ufeff","eol":"\r\n","lines":[{"raw":"[a]","eol":"\r\n","kind":"header","name":"a"},{"raw":"k = 1","eol":"\r\n","kind":"key","key":"k","value":"1","valueStart":4},{"raw":"","eol":"\r\n","kind":"blank"},{"raw":"[b]","eol":"\r\n","kind":"header","name":"b"},{"raw":"j = 2","eol":"\r\n","kind":"key","key":"j","value":"2","valueStart":4}],"sections":[{"name":"a","header":0,"end":3},{"name":"b","header":3,"end":5}]}},
    {"a":{"k":"1"},"b":{"j":"2"},"missing":null},
    {"a":"\ufeff[a]\r\nk = NEW\r\naws_access_key_id = ASIANEW\r\n\r\n[b]\r\nj = 2\r\n","b":"\ufeff[a]\r\nk = 1\r\n\r\n[b]\r\naws_access_key_id = ASIANEW\r\nk = NEW\r\n","missing":"\ufeff[a]\r\nk = 1\r\n\r\n[b]\r\nj = 2\r\n\r\n[missing]\r\naws_access_key_id = ASIANEW\r\nk = NEW\r\n"},
  ],
  [
    "spaces around a header, a BOM-less first line indented",
    "  [a]\u00a0 \nk = v\n\u3000[b]\t\n",
    {"ok":true,"ini":{"bom":"","eol":"\n","lines":[{"raw":"  [a]\u00a0 ","eol":"\n","kind":"header","name":"a"},{"raw":"k = v","eol":"\n","kind":"key","key":"k","value":"v","valueStart":4},{"raw":"\u3000[b]\t","eol":"\n","kind":"continuation","value":"[b]"}],"sections":[{"name":"a","header":0,"end":3}]}},
    {"a":{"k":"v\n[b]"},"b":null,"missing":null},
    {"a":"  [a]\u00a0 \nk = NEW\naws_access_key_id = ASIANEW\n","b":"  [a]\u00a0 \nk = v\n\u3000[b]\t\n\n[b]\naws_access_key_id = ASIANEW\nk = NEW\n","missing":"  [a]\u00a0 \nk = v\n\u3000[b]\t\n\n[missing]\naws_access_key_id = ASIANEW\nk = NEW\n"},
  ],
  [
    "[name] in comments and values is not a header",
    "# [a]\n; [a]\n[b]\nk = [a]\nurl = x[a]\n  ;[a]\n",
    {"ok":true,"ini":{"bom":"","eol":"\n","lines":[{"raw":"# [a]","eol":"\n","kind":"comment"},{"raw":"; [a]","eol":"\n","kind":"comment"},{"raw":"[b]","eol":"\n","kind":"header","name":"b"},{"raw":"k = [a]","eol":"\n","kind":"key","key":"k","value":"[a]","valueStart":4},{"raw":"url = x[a]","eol":"\n","kind":"key","key":"url","value":"x[a]","valueStart":6},{"raw":"  ;[a]","eol":"\n","kind":"comment"}],"sections":[{"name":"b","header":2,"end":6}]}},
    {"a":null,"b":{"k":"[a]","url":"x[a]"},"missing":null},
    {"a":"# [a]\n; [a]\n[b]\nk = [a]\nurl = x[a]\n  ;[a]\n\n[a]\naws_access_key_id = ASIANEW\nk = NEW\n","b":"# [a]\n; [a]\n[b]\nk = NEW\nurl = x[a]\naws_access_key_id = ASIANEW\n  ;[a]\n","missing":"# [a]\n; [a]\n[b]\nk = [a]\nurl = x[a]\n  ;[a]\n\n[missing]\naws_access_key_id = ASIANEW\nk = NEW\n"},
  ],
  [
    "whitespace inside the brackets names another section",
    "[ a ]\nk = 1\n[a]\nk = 2\n[profile  x]\nk = 3\n[profile x]\nk = 4\n",
    {"ok":true,"ini":{"bom":"","eol":"\n","lines":[{"raw":"[ a ]","eol":"\n","kind":"header","name":" a "},{"raw":"k = 1","eol":"\n","kind":"key","key":"k","value":"1","valueStart":4},{"raw":"[a]","eol":"\n","kind":"header","name":"a"},{"raw":"k = 2","eol":"\n","kind":"key","key":"k","value":"2","valueStart":4},{"raw":"[profile  x]","eol":"\n","kind":"header","name":"profile  x"},{"raw":"k = 3","eol":"\n","kind":"key","key":"k","value":"3","valueStart":4},{"raw":"[profile x]","eol":"\n","kind":"header","name":"profile x"},{"raw":"k = 4","eol":"\n","kind":"key","key":"k","value":"4","valueStart":4}],"sections":[{"name":" a ","header":0,"end":2},{"name":"a","header":2,"end":4},{"name":"profile  x","header":4,"end":6},{"name":"profile x","header":6,"end":8}]}},
    {" a ":{"k":"1"},"a":{"k":"2"},"profile  x":{"k":"3"},"profile x":{"k":"4"},"x":null,"missing":null},
    {" a ":{"error":"InvalidIniNameError"},"a":"[ a ]\nk = 1\n[a]\nk = NEW\naws_access_key_id = ASIANEW\n[profile  x]\nk = 3\n[profile x]\nk = 4\n","profile  x":"[ a ]\nk = 1\n[a]\nk = 2\n[profile  x]\nk = NEW\naws_access_key_id = ASIANEW\n[profile x]\nk = 4\n","profile x":"[ a ]\nk = 1\n[a]\nk = 2\n[profile  x]\nk = 3\n[profile x]\nk = NEW\naws_access_key_id = ASIANEW\n","x":"[ a ]\nk = 1\n[a]\nk = 2\n[profile  x]\nk = 3\n[profile x]\nk = 4\n\n[x]\naws_access_key_id = ASIANEW\nk = NEW\n","missing":"[ a ]\nk = 1\n[a]\nk = 2\n[profile  x]\nk = 3\n[profile x]\nk = 4\n\n[missing]\naws_access_key_id = ASIANEW\nk = NEW\n"},
  ],
  [
    "a config file: [default], [profile name], [sso-session name]",
    "[default]\nregion = us-east-1\n\n[profile dev]\nregion = eu-west-1\n[profile dev.admin@corp]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = dev\n[sso-session corp]\nsso_region = us-east-1\n",
    {"ok":true,"ini":{"bom":"","eol":"\n","lines":[{"raw":"[default]","eol":"\n","kind":"header","name":"default"},{"raw":"region = us-east-1","eol":"\n","kind":"key","key":"region","value":"us-east-1","valueStart":9},{"raw":"","eol":"\n","kind":"blank"},{"raw":"[profile dev]","eol":"\n","kind":"header","name":"profile dev"},{"raw":"region = eu-west-1","eol":"\n","kind":"key","key":"region","value":"eu-west-1","valueStart":9},{"raw":"[profile dev.admin@corp]","eol":"\n","kind":"header","name":"profile dev.admin@corp"},{"raw":"role_arn = arn:aws:iam::1:role/x","eol":"\n","kind":"key","key":"role_arn","value":"arn:aws:iam::1:role/x","valueStart":11},{"raw":"source_profile = dev","eol":"\n","kind":"key","key":"source_profile","value":"dev","valueStart":17},{"raw":"[sso-session corp]","eol":"\n","kind":"header","name":"sso-session corp"},{"raw":"sso_region = us-east-1","eol":"\n","kind":"key","key":"sso_region","value":"us-east-1","valueStart":13}],"sections":[{"name":"default","header":0,"end":3},{"name":"profile dev","header":3,"end":5},{"name":"profile dev.admin@corp","header":5,"end":8},{"name":"sso-session corp","header":8,"end":10}]}},
    {"default":{"region":"us-east-1"},"profile dev":{"region":"eu-west-1"},"profile dev.admin@corp":{"role_arn":"arn:aws:iam::1:role/x","source_profile":"dev"},"sso-session corp":{"sso_region":"us-east-1"},"dev":null,"profile dev.admin":null,"missing":null},
    {"default":"[default]\nregion = us-east-1\naws_access_key_id = ASIANEW\nk = NEW\n\n[profile dev]\nregion = eu-west-1\n[profile dev.admin@corp]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = dev\n[sso-session corp]\nsso_region = us-east-1\n","profile dev":"[default]\nregion = us-east-1\n\n[profile dev]\nregion = eu-west-1\naws_access_key_id = ASIANEW\nk = NEW\n[profile dev.admin@corp]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = dev\n[sso-session corp]\nsso_region = us-east-1\n","profile dev.admin@corp":"[default]\nregion = us-east-1\n\n[profile dev]\nregion = eu-west-1\n[profile dev.admin@corp]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = dev\naws_access_key_id = ASIANEW\nk = NEW\n[sso-session corp]\nsso_region = us-east-1\n","sso-session corp":"[default]\nregion = us-east-1\n\n[profile dev]\nregion = eu-west-1\n[profile dev.admin@corp]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = dev\n[sso-session corp]\nsso_region = us-east-1\naws_access_key_id = ASIANEW\nk = NEW\n","dev":"[default]\nregion = us-east-1\n\n[profile dev]\nregion = eu-west-1\n[profile dev.admin@corp]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = dev\n[sso-session corp]\nsso_region = us-east-1\n\n[dev]\naws_access_key_id = ASIANEW\nk = NEW\n","profile dev.admin":"[default]\nregion = us-east-1\n\n[profile dev]\nregion = eu-west-1\n[profile dev.admin@corp]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = dev\n[sso-session corp]\nsso_region = us-east-1\n\n[profile dev.admin]\naws_access_key_id = ASIANEW\nk = NEW\n","missing":"[default]\nregion = us-east-1\n\n[profile dev]\nregion = eu-west-1\n[profile dev.admin@corp]\nrole_arn = arn:aws:iam::1:role/x\nsource_profile = dev\n[sso-session corp]\nsso_region = us-east-1\n\n[missing]\naws_access_key_id = ASIANEW\nk = NEW\n"},
  ],
  [
    "names with regular-expression characters",
    "[profile a.b*c+(d)$]\nk = v\n[profile a-b]\n[^x|y]\nk = w\n",
    {"ok":true,"ini":{"bom":"","eol":"\n","lines":[{"raw":"[profile a.b*c+(d)$]","eol":"\n","kind":"header","name":"profile a.b*c+(d)$"},{"raw":"k = v","eol":"\n","kind":"key","key":"k","value":"v","valueStart":4},{"raw":"[profile a-b]","eol":"\n","kind":"header","name":"profile a-b"},{"raw":"[^x|y]","eol":"\n","kind":"header","name":"^x|y"},{"raw":"k = w","eol":"\n","kind":"key","key":"k","value":"w","valueStart":4}],"sections":[{"name":"profile a.b*c+(d)$","header":0,"end":2},{"name":"profile a-b","header":2,"end":3},{"name":"^x|y","header":3,"end":5}]}},
    {"profile a.b*c+(d)$":{"k":"v"},"profile a-b":{},"^x|y":{"k":"w"},"profile a":null,"missing":null},
    {"profile a.b*c+(d)$":"[profile a.b*c+(d)$]\nk = NEW\naws_access_key_id = ASIANEW\n[profile a-b]\n[^x|y]\nk = w\n","profile a-b":"[profile a.b*c+(d)$]\nk = v\n[profile a-b]\naws_access_key_id = ASIANEW\nk = NEW\n[^x|y]\nk = w\n","^x|y":"[profile a.b*c+(d)$]\nk = v\n[profile a-b]\n[^x|y]\nk = NEW\naws_access_key_id = ASIANEW\n","profile a":"[profile a.b*c+(d)$]\nk = v\n[profile a-b]\n[^x|y]\nk = w\n\n[profile a]\naws_access_key_id = ASIANEW\nk = NEW\n","missing":"[profile a.b*c+(d)$]\nk = v\n[profile a-b]\n[^x|y]\nk = w\n\n[missing]\naws_access_key_id = ASIANEW\nk = NEW\n"},
  ],
  [
    "the last section without a line ending, an empty one before it",
    "[a]\n[b]\nk = v",
    {"ok":true,"ini":{"bom":"","eol":"\n","lines":[{"raw":"[a]","eol":"\n","kind":"header","name":"a"},{"raw":"[b]","eol":"\n","kind":"header","name":"b"},{"raw":"k = v","eol":"","kind":"key","key":"k","value":"v","valueStart":4}],"sections":[{"name":"a","header":0,"end":1},{"name":"b","header":1,"end":3}]}},
    {"a":{},"b":{"k":"v"},"missing":null},
    {"a":"[a]\naws_access_key_id = ASIANEW\nk = NEW\n[b]\nk = v","b":"[a]\n[b]\nk = NEW\naws_access_key_id = ASIANEW\n","missing":"[a]\n[b]\nk = v\n\n[missing]\naws_access_key_id = ASIANEW\nk = NEW\n"},
  ],
  [
    "refused: a BOM that is not at the start makes a line that is not a key",
    "[a]\nk = v\n\ufeff[b]\n",
    {"ok":false,"line":3,"reason":{"kind":"not-a-key-value-line"}},
    {"a":{"error":"not-a-key-value-line"},"b":{"error":"not-a-key-value-line"},"missing":{"error":"not-a-key-value-line"}},
    {"a":{"error":"not-a-key-value-line"},"b":{"error":"not-a-key-value-line"},"missing":{"error":"not-a-key-value-line"}},
    {"b":null,"missing":null},
  ],
  [
    "refused: a duplicate section, the second indented after a header",
    "[a]\nk = 1\n[b]\n  [a]\n",
    {"ok":false,"line":4,"reason":{"kind":"duplicate-section","section":"a","firstLine":1}},
    {"a":{"error":"duplicate-section"},"b":{"error":"duplicate-section"},"missing":{"error":"duplicate-section"}},
    {"a":{"error":"duplicate-section"},"b":{"error":"duplicate-section"},"missing":{"error":"duplicate-section"}},
    {"b":{},"missing":null},
  ],
  [
    "refused: the same section twice, the first after other sections",
    "[x]\nk = 1\n\n[a]\nk = 2\n[y]\n[a]\nk = 3\n",
    {"ok":false,"line":7,"reason":{"kind":"duplicate-section","section":"a","firstLine":4}},
    {"a":{"error":"duplicate-section"},"x":{"error":"duplicate-section"},"y":{"error":"duplicate-section"},"missing":{"error":"duplicate-section"}},
    {"a":{"error":"duplicate-section"},"x":{"error":"duplicate-section"},"y":{"error":"duplicate-section"},"missing":{"error":"duplicate-section"}},
    {"x":{"k":"1"},"y":{},"missing":null},
  ],
  [
    "refused elsewhere: a stray carriage return in another section",
    "[a]\nk = v\n[b]\nj = 1\rx\n",
    {"ok":false,"line":4,"reason":{"kind":"stray-carriage-return"}},
    {"a":{"error":"stray-carriage-return"},"b":{"error":"stray-carriage-return"},"missing":{"error":"stray-carriage-return"}},
    {"a":{"error":"stray-carriage-return"},"b":{"error":"stray-carriage-return"},"missing":{"error":"stray-carriage-return"}},
    {"a":{"k":"v"},"missing":null},
  ],
  [
    "refused elsewhere: a repeated key in another section",
    "[a]\nk = 1\nK = 2\n[b]\nj = 1\n",
    {"ok":false,"line":3,"reason":{"kind":"duplicate-key","section":"a","key":"k","firstLine":2}},
    {"a":{"error":"duplicate-key"},"b":{"error":"duplicate-key"},"missing":{"error":"duplicate-key"}},
    {"a":{"error":"duplicate-key"},"b":{"error":"duplicate-key"},"missing":{"error":"duplicate-key"}},
    {"b":{"j":"1"},"missing":null},
  ],
  [
    "refused: a repeated key before an indented [name] that decides it",
    "[a]\nk = 1\nk = 2\n  [b]\nj = 1\n",
    {"ok":false,"line":3,"reason":{"kind":"duplicate-key","section":"a","key":"k","firstLine":2}},
    {"a":{"error":"duplicate-key"},"b":{"error":"duplicate-key"},"missing":{"error":"duplicate-key"}},
    {"a":{"error":"duplicate-key"},"b":{"error":"duplicate-key"},"missing":{"error":"duplicate-key"}},
    {"missing":null},
  ],
  [
    "refused elsewhere: a malformed header after the section",
    "[a]\nk = v\n[b\n[c]\nk = 2\n",
    {"ok":false,"line":3,"reason":{"kind":"malformed-header"}},
    {"a":{"error":"malformed-header"},"c":{"error":"malformed-header"},"missing":{"error":"malformed-header"}},
    {"a":{"error":"malformed-header"},"c":{"error":"malformed-header"},"missing":{"error":"malformed-header"}},
    {"a":{"k":"v"},"c":{"k":"2"},"missing":null},
  ],
  [
    "refused elsewhere: a key before any section",
    "k = v\n# c\n[a]\nj = w\n",
    {"ok":false,"line":1,"reason":{"kind":"key-before-section"}},
    {"a":{"error":"key-before-section"},"missing":{"error":"key-before-section"}},
    {"a":{"error":"key-before-section"},"missing":{"error":"key-before-section"}},
    {"a":{"j":"w"},"missing":null},
  ],
];

function refusal(error: unknown): { error: string } {
  const { reason, name } = error as { reason?: { kind: string }; name?: string };
  return { error: reason?.kind ?? name ?? String(error) };
}

function parsedOf(text: string): Parsed {
  const result = parseAwsIni(text);
  return result.ok ? { ok: true, ini: result.ini } : { ok: false, line: result.error.line, reason: result.error.reason };
}

function sectionOf(text: string, name: string): Sections[string] {
  try {
    return getSection(text, name) ?? null;
  } catch (error) {
    return refusal(error);
  }
}

function editOf(text: string, name: string): Edits[string] {
  try {
    return setSection(text, name, EDIT.entries, { removeKeys: EDIT.removeKeys });
  } catch (error) {
    return refusal(error);
  }
}

describe('the single-pass scanner reads tricky files as the line-object parser did', () => {
  it.each(TABLE)('%s', (_name, text, parsed) => {
    // Through JSON, as the expectations were recorded: the parse holds nothing else.
    expect(JSON.parse(JSON.stringify(parsedOf(text)))).toEqual(parsed);
    const error = iniError(text);
    expect(error === undefined ? { ok: true } : { ok: false, line: error.line, reason: error.reason }).toEqual(parsed.ok ? { ok: true } : { ok: false, line: parsed.line, reason: parsed.reason });
  });
});

describe('getSection finds and reads its section as the line-object parser read the whole file', () => {
  it.each(TABLE)('%s', (_name, text, _parsed, sections, _edits, finder = {}) => {
    for (const [name, section] of Object.entries({ ...sections, ...finder })) expect([name, sectionOf(text, name)]).toEqual([name, section]);
  });
});

describe('setSection splices its section into the text as the line-object editor rewrote the whole file', () => {
  it.each(TABLE)('%s', (_name, text, _parsed, _sections, edits) => {
    for (const [name, edited] of Object.entries(edits)) expect([name, editOf(text, name)]).toEqual([name, edited]);
  });
});

/** The 0-based line that starts at `offset`. */
function lineAt(text: string, offset: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * What quickScan says of `text`, in the parser's terms: undefined when it declines, else the
 * sections (name and header line, each ending where the next starts) and the line ending.
 */
function quickOf(text: string): { sections: { name: string; header: number }[]; eol: string } | undefined {
  const quick = quickScan(text, text.startsWith('\ufeff') ? 1 : 0);
  if (quick === undefined) return undefined;
  const ranges = quick.names.map((name) => quick.range(name)!);
  ranges.forEach((range, i) => expect(range.end).toBe(ranges[i + 1]?.start ?? text.length));
  expect(quick.range('not a section here')).toBeUndefined();
  return { sections: quick.names.map((name, i) => ({ name, header: lineAt(text, ranges[i]!.start) })), eol: quick.eol };
}

/** What the parser says of `text`, in the same terms; undefined when it refuses the file. */
function parsedShape(text: string): { sections: { name: string; header: number }[]; eol: string } | undefined {
  const result = parseAwsIni(text);
  return result.ok ? { sections: result.ini.sections.map(({ name, header }) => ({ name, header })), eol: result.ini.eol } : undefined;
}

/** Files the quick check must judge as the parser does, beyond the table: its own edges. */
const QUICK_EDGES: readonly string[] = [
  '[a]\nK = 1\nk = 2\n',
  '[a]\n\u212a = 1\nk = 2\n',
  '[a]\n\u0130 = 1\ni\u0307 = 2\n',
  '[a]\nk = 1\nk  = 2\n',
  '[a]\nk\t= 1\nK:2\n',
  '[a]\nk = 1\n  x = y\nj = 2\n# c\n\nK = 3\n',
  '[a]\nk = 1\nkk = 2\nk2 = 3\n[b]\nk = 1\n',
  '[a]\nk = 1\n  [a]\n\t[b]\nj = 2\n',
  '[a]\n\n  [b]\nk = 1\n',
  '[a]\n  k = 1\nj = 2\n',
  '[a] \r\nk = 1\r\n\r\n[b]\t\r\nj = 2\r\n',
  '[a]\nk = 1\r\nj = 2\r\n',
  '[a]\r\nk = 1\nj = 2\n',
  '[a]\nk = 1\r',
  '[a]\nk = 1\r\r\n',
  '\ufeff',
  '\ufeff[a]\nk = v',
  '\ufeff\n[a]\nk = v\n',
  '[a]\n]x = 1\n"q" = 2\n',
  '[a]\n=\n',
  '[a]\n:v\n',
  '[a]\n k\n',
  'k = v\n',
  '  # c\n; d\n\n[a]\n',
  '[profile x y]\nk = 1\n[ a ]\nk = 2\n[a]\nk = 3\n',
  '[a]\n[b]\nk = 1\n[a]\n',
  '[a]\nk = 1\n[b\n',
  '[a]\nk = 1\n[b] x\n',
  '[a]\nk = 1\n[[b]]\n',
  '[a]\nk = \u00a0v\n',
  '[a]\nk = v\u2028w\n',
  '[a]\n\u00a0k = v\n',
  '[a]\nk = v\n\u000bj = w\n',
  '[a]\nk#x = 1\nk;y = 2\nk[z] = 3\n',
  '[a]\nk = 1\n\tK = 2\n',
  '[a]\ns3 =\n  a = 1\n  A = 2\nS3 = x\n',
  '[a]\nk = 1\n[b]\nj = 1\n[c]\nk = 1\nK = 2\n',
  '[a]\nk = 1\n\n',
  '\n\n[a]\n\n',
  '[a]k = 1\n',
  '[a]\nk=\n',
  `[a]\n${Array.from({ length: 800 }, (_, i) => `k${i} = v`).join('\n')}\nk1 = w\n[b]\n`,
  `[a]\n${Array.from({ length: 300 }, (_, i) => `k${i} = v`).join('\n')}\n[b]\nk = 1\n`,
  '[a]\nk = 1\n[b]\n[missing]\n',
  `[a]\nk = ${'v'.repeat(5000)}\n[b]\nk = 1\n`,
];

describe('the quick check vouches only for files the parser accepts, and finds their sections as it does', () => {
  it.each([...TABLE.map(([name, text]) => [name, text] as const), ...QUICK_EDGES.map((text) => [JSON.stringify(text), text] as const)])('%s', (_name, text) => {
    const quick = quickOf(text);
    if (quick !== undefined) expect(quick).toEqual(parsedShape(text));
  });

  it('agrees with the parser on 20,000 small files made of tricky lines', () => {
    // A fixed seed: the same files on every run.
    let seed = 22;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const lines = [
      '[a]', '[A]', '[b]', '[profile a]', '[ a ]', ' [a]', '\t[b]', '[a] ', '[a', '[]', '[a]x', '[[a]]', '[a]]',
      'k = 1', 'K=2', 'k:3', 'k2 = x', ' k = 1', '  j = 2', '\tk = 3', 'k =', '= v', 'k', 'k k = v', 'k\t= v', 'kk = 1',
      '\u212a = 1', '\u0130 = 2', 'i\u0307 = 3', '\u00fc = 4', 'a:b = c', '#k = v', ';x', '  # c', '', '   ', '\u00a0', '\u3000k = v',
      '  max = 10', 'j = [a]', ']k = 1', 'k = v\rw', 'k = v\u2028', '\ufeff[a]',
    ];
    const endings = ['\n', '\n', '\n', '\r\n', '\r'];
    let vouched = 0;
    for (let file = 0; file < 20_000; file++) {
      let text = random(10) === 0 ? '\ufeff' : '';
      const count = 1 + random(8);
      for (let i = 0; i < count; i++) text += lines[random(lines.length)]! + (i === count - 1 && random(3) === 0 ? '' : endings[random(endings.length)]!);
      const quick = quickOf(text);
      if (quick === undefined) continue;
      vouched++;
      expect([text, quick]).toEqual([text, parsedShape(text)]);
    }
    // Most of these files are refused or of a shape left to the scanner; enough are vouched for.
    expect(vouched).toBeGreaterThan(1_000);
  });

  it.each([
    ['credentials', '# corp\n[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = abc/def+ghi==\n\n[corp-session-default]\naws_access_key_id = ASIAEXAMPLE\naws_secret_access_key = x\naws_session_token = IQoJb3JpZ2luX2VjEJr//////////wEaCXVzLWVhc3QtMSJHMEUCIQ==\n'],
    ['config', '[default]\nregion = eu-west-1\noutput = json\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n\n; a team\n[profile dev]\nsso_session = corp\nregion = us-west-2\ns3 =\n  max_concurrent_requests = 20\n  multipart_threshold = 64MB\n\n[services local]\nsts =\n  endpoint_url = http://127.0.0.1:5000\n'],
    ['config with CRLF and a BOM', '\ufeff[default]\r\nregion = eu-west-1\r\n\r\n[profile dev]\r\nrole_arn = arn:aws:iam::1:role/x\r\nsource_profile = default\r\n'],
  ])('vouches for a common %s file, so a long one is checked without the scanner', (_name, text) => {
    expect(quickOf(text)).toEqual(parsedShape(text));
    expect(quickOf(text)).toBeDefined();
  });
});
