import { describe, it, expect } from '@jest/globals';
import { jsonForTerminal, sanitizeRemoteText } from './sanitize.js';

describe('sanitizeRemoteText', () => {
  it.each<[string, string, string]>([
    ['plain text', 'User: arn:aws:iam::1:user/alice is not authorized', 'User: arn:aws:iam::1:user/alice is not authorized'],
    ['an ANSI clear-screen', 'denied\x1b[2J\x1b[H', 'denied\\x1b[2J\\x1b[H'],
    ['an OSC 52 clipboard write ended by BEL', 'r\x1b]52;c;cHduZWQ=\x07', 'r\\x1b]52;c;cHduZWQ=\\x07'],
    ['a window-title OSC ended by ST', '\x1b]0;pwned\x1b\\ok', '\\x1b]0;pwned\\x1b\\ok'],
    ['an 8-bit CSI (C1)', 'a\u009b2Jb', 'a\\x9b2Jb'],
    ['DEL and NUL', 'a\x7fb\x00c', 'a\\x7fb\\x00c'],
    ['line breaks and tabs, by name', 'one\r\ntwo\tthree', 'one\\r\\ntwo\\tthree'],
    ['vertical tab and form feed', 'a\vb\fc', 'a\\x0bb\\x0cc'],
    ['a right-to-left override', 'file\u202Etxt.exe', 'file\\u202etxt.exe'],
    ['every bidi embedding, override and isolate', '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069x', '\\u202a\\u202b\\u202c\\u202d\\u202e\\u2066\\u2067\\u2068\\u2069x'],
    ['bidi marks', 'a\u200eb\u200fc\u061cd', 'a\\u200eb\\u200fc\\u061cd'],
    ['zero-width space, joiners and the byte order mark', 'a\u200bb\u200dc\ufeffd\u2060e', 'a\\u200bb\\u200dc\\ufeffd\\u2060e'],
    ['soft hyphen and a Hangul filler', 'ad\u00admin\u3164', 'ad\\xadmin\\u3164'],
    ['line and paragraph separators', 'a\u2028b\u2029c', 'a\\u2028b\\u2029c'],
    ['a tag character (astral)', 'x\u{e0041}', 'x\\u{e0041}'],
    ['a lone surrogate', 'a\ud800b', 'a\\ud800b'],
    ['unicode that is printable', 'Zürich – ☃ 雪 😀 é', 'Zürich – ☃ 雪 😀 é'],
  ])('%s', (_name, input, expected) => {
    expect(sanitizeRemoteText(input)).toBe(expected);
  });

  it('escaping twice changes nothing more', () => {
    const once = sanitizeRemoteText('a\x1b[2J\u202e\n\u009b');
    expect(sanitizeRemoteText(once)).toBe(once);
  });
});

describe('jsonForTerminal', () => {
  const hostile = { arn: 'arn:aws:iam::1:role/x\x1b]52;c;cHduZWQ=\x07\u009b2J\u202e\u2028\x7f\u{e0041}\ud800\n', n: 1 };

  it('reads back as exactly the original strings', () => {
    expect(JSON.parse(jsonForTerminal(hostile, 2))).toEqual(hostile);
  });

  it('has no character a terminal would act on or hide, but the line breaks of its layout', () => {
    const text = jsonForTerminal(hostile, 2);
    // eslint-disable-next-line no-control-regex -- finding control characters is the point
    expect(text).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f-\x9f\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u);
    expect(text).toContain('\\u009b2J\\u202e\\u2028\\u007f\\udb40\\udc41\\ud800\\n');
  });

  it('is JSON.stringify for printable data', () => {
    const plain = [{ role: 'admin', project: 'Zürich', n: null }];
    expect(jsonForTerminal(plain, 2)).toBe(JSON.stringify(plain, null, 2));
  });
});
