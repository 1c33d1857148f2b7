import { describe, it, expect } from '@jest/globals';
import { sanitizeRemoteText } from './sanitize.js';

describe('sanitizeRemoteText', () => {
  it.each<[string, string, string]>([
    ['plain text', 'User: arn:aws:iam::1:user/alice is not authorized', 'User: arn:aws:iam::1:user/alice is not authorized'],
    ['an ANSI clear-screen', 'denied\x1b[2J\x1b[H', 'denied[2J[H'],
    ['a window-title OSC ended by BEL', '\x1b]0;pwned\x07ok', ']0;pwnedok'],
    ['an 8-bit CSI (C1)', 'a\u009b2Jb', 'a2Jb'],
    ['DEL and NUL', 'a\x7fb\x00c', 'abc'],
    ['a right-to-left override', 'file\u202Etxt.exe', 'filetxt.exe'],
    ['every bidi embedding, override and isolate', '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069x', 'x'],
    ['line breaks and tabs, as one space', 'one\r\ntwo\tthree\n\nfour', 'one two three four'],
    ['unicode that is printable', 'Zürich – ☃ 雪', 'Zürich – ☃ 雪'],
    ['a left-to-right mark, which overrides nothing', 'a\u200eb', 'a\u200eb'],
  ])('%s', (_name, input, expected) => {
    expect(sanitizeRemoteText(input)).toBe(expected);
  });
});
