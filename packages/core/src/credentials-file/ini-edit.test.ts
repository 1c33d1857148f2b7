import { describe, it, expect } from '@jest/globals';
import { IniParseError, InvalidIniNameError, type IniParseReason } from './errors.js';
import { getSection, keyInEachSection, parseAwsIni, removeKeysEverywhere, removeSection, sectionExtras, setSection } from './ini-edit.js';

const lf = (...lines: string[]): string => lines.map((line) => `${line}\n`).join('');

const CREDENTIALS_BEFORE = [
  '# written by hand, keep this comment',
  '; and this one',
  '',
  '[default]',
  'aws_access_key_id = AKIADEFAULT',
  'aws_secret_access_key = abc/def+ghi==',
  '',
  '  # indented comment about other-tool',
  '[other-tool]',
  'aws_access_key_id=AKIAOTHER',
  'aws_secret_access_key=x=y=z',
  '',
];
const PROFILE_OLD = [
  '[datalab-dev-admin]',
  'aws_access_key_id = AKIAOLD',
  'aws_secret_access_key = old/secret+key=',
  'aws_security_token = oldtoken',
  'aws_session_token = oldtoken',
];
const PROFILE_NEW = [
  '[datalab-dev-admin]',
  'aws_access_key_id = ASIANEW',
  'aws_secret_access_key = n3w/s3cr3t+k3y==',
  'aws_session_token = FwoG/token+with=signs==',
];
const CREDENTIALS_AFTER = ['', '# the next section belongs to sso', '[sso-thing]', 'sso_start_url = https://example.awsapps.com/start#/'];
const NEW_ENTRIES = [
  ['aws_access_key_id', 'ASIANEW'],
  ['aws_secret_access_key', 'n3w/s3cr3t+k3y=='],
  ['aws_session_token', 'FwoG/token+with=signs=='],
] as const;

describe('setSection keeps every byte outside the section', () => {
  it.each([
    { name: 'LF', eol: '\n', bom: '' },
    { name: 'CRLF', eol: '\r\n', bom: '' },
    { name: 'LF with BOM', eol: '\n', bom: '\ufeff' },
    { name: 'CRLF with BOM', eol: '\r\n', bom: '\ufeff' },
  ])('$name', ({ eol, bom }) => {
    const join = (lines: string[]): string => lines.map((line) => line + eol).join('');
    const prefix = bom + join(CREDENTIALS_BEFORE);
    const suffix = join(CREDENTIALS_AFTER);
    const text = prefix + join(PROFILE_OLD) + suffix;

    const result = setSection(text, 'datalab-dev-admin', NEW_ENTRIES, { removeKeys: ['aws_security_token'] });

    expect(result.startsWith(prefix)).toBe(true);
    expect(result.endsWith(suffix)).toBe(true);
    expect(result).toBe(prefix + join(PROFILE_NEW) + suffix);
    expect(getSection(result, 'datalab-dev-admin')).toEqual(Object.fromEntries(NEW_ENTRIES));
    expect(getSection(result, 'other-tool')).toEqual({ aws_access_key_id: 'AKIAOTHER', aws_secret_access_key: 'x=y=z' });
  });

  it('keeps an unmentioned key unless asked to remove it', () => {
    const text = lf('[p]', 'aws_access_key_id = A', 'aws_security_token = stale', 'region = eu-west-1');
    expect(setSection(text, 'p', [['aws_access_key_id', 'B']])).toBe(
      lf('[p]', 'aws_access_key_id = B', 'aws_security_token = stale', 'region = eu-west-1'),
    );
    expect(setSection(text, 'p', [['aws_access_key_id', 'B']], { removeKeys: ['AWS_SECURITY_TOKEN'] })).toBe(
      lf('[p]', 'aws_access_key_id = B', 'region = eu-west-1'),
    );
  });

  it('sets rather than removes a key that is both given and listed for removal', () => {
    const text = lf('[p]', 'aws_session_token = old');
    expect(setSection(text, 'p', [['aws_session_token', 'new']], { removeKeys: ['aws_session_token'] })).toBe(
      lf('[p]', 'aws_session_token = new'),
    );
  });

  it('returns the text unchanged when the values are already there', () => {
    const text = lf('[p]', 'k=v', '; note', 'j :  w');
    expect(setSection(text, 'p', [['k', 'v'], ['j', 'w']])).toBe(text);
  });
});

describe('setSection replaces a value in place, keeping the line style', () => {
  it.each([
    { line: 'aws_access_key_id=OLD', expected: 'aws_access_key_id=NEW' },
    { line: 'aws_access_key_id = OLD', expected: 'aws_access_key_id = NEW' },
    { line: 'aws_access_key_id   =   OLD   ', expected: 'aws_access_key_id   =   NEW' },
    { line: 'AWS_Access_Key_ID = OLD', expected: 'AWS_Access_Key_ID = NEW' },
    { line: 'aws_access_key_id: OLD', expected: 'aws_access_key_id: NEW' },
    { line: '  aws_access_key_id = OLD', expected: '  aws_access_key_id = NEW' },
    { line: 'aws_access_key_id =', expected: 'aws_access_key_id = NEW' },
    { line: 'aws_access_key_id=', expected: 'aws_access_key_id=NEW' },
    { line: 'aws_access_key_id = a=b:c', expected: 'aws_access_key_id = NEW' },
  ])('$line', ({ line, expected }) => {
    expect(setSection(lf('[p]', line, 'region = x'), 'p', [['aws_access_key_id', 'NEW']])).toBe(lf('[p]', expected, 'region = x'));
  });
});

describe('setSection adds missing keys after the last key of the section', () => {
  it.each([
    {
      name: 'before blank lines and the comment leading into the next section',
      text: lf('[p]', 'a = 1', '# about a', 'b = 2', '', '# next', '', '[q]', 'c = 3'),
      expected: lf('[p]', 'a = 1', '# about a', 'b = 2', 'new = v', '', '# next', '', '[q]', 'c = 3'),
    },
    { name: 'right after a header with no keys', text: lf('[p]', '', '[q]'), expected: lf('[p]', 'new = v', '', '[q]') },
    { name: 'at the end of a file without a final newline', text: '[p]\na = 1', expected: lf('[p]', 'a = 1', 'new = v') },
    { name: 'after a lone header without a final newline', text: '[p]', expected: lf('[p]', 'new = v') },
    { name: 'in CRLF style in a CRLF file', text: '[p]\r\na = 1\r\n\r\n[q]\r\n', expected: '[p]\r\na = 1\r\nnew = v\r\n\r\n[q]\r\n' },
    {
      name: 'in the dominant style of a mixed file, untouched lines as they were',
      text: '[p]\r\na = 1\n\r\n[q]\r\n',
      expected: '[p]\r\na = 1\nnew = v\r\n\r\n[q]\r\n',
    },
  ])('$name', ({ text, expected }) => {
    expect(setSection(text, 'p', [['new', 'v']])).toBe(expected);
  });
});

describe('setSection appends a missing section at the end of the file', () => {
  const added = lf('[profile p]', 'region = eu-west-1', 'output = json');
  it.each([
    { name: 'empty file', text: '', expected: added },
    { name: 'BOM only', text: '\ufeff', expected: `\ufeff${added}` },
    { name: 'no final newline', text: '[a]\nk = 1', expected: lf('[a]', 'k = 1', '') + added },
    { name: 'final newline', text: lf('[a]', 'k = 1'), expected: lf('[a]', 'k = 1', '') + added },
    { name: 'already ends with a blank line', text: lf('[a]', 'k = 1', ''), expected: lf('[a]', 'k = 1', '') + added },
    { name: 'ends with a whitespace-only line without newline', text: '[a]\nk = 1\n  ', expected: lf('[a]', 'k = 1', '  ') + added },
    { name: 'comment only', text: lf('# hi'), expected: lf('# hi', '') + added },
    { name: 'CRLF', text: '[a]\r\nk = 1\r\n', expected: '[a]\r\nk = 1\r\n\r\n' + added.replaceAll('\n', '\r\n') },
  ])('$name', ({ text, expected }) => {
    expect(setSection(text, 'profile p', [['region', 'eu-west-1'], ['output', 'json']])).toBe(expected);
  });
});

describe('config files with nested blocks', () => {
  const config = lf(
    '[default]',
    'region = us-east-1',
    's3 =',
    '    max_concurrent_requests = 10',
    '',
    '    max_queue_size = 1000',
    '',
    '[profile x]',
    'region = eu-west-1',
    's3 =',
    '  # a comment inside the block',
    '  max_concurrent_requests = 20',
    '',
  );

  it('keeps continuation lines of other keys and adds new keys after them', () => {
    const result = setSection(config, 'profile x', [['region', 'eu-central-1'], ['output', 'json']]);
    expect(result).toBe(config.replace('region = eu-west-1', 'region = eu-central-1').replace('max_concurrent_requests = 20\n', 'max_concurrent_requests = 20\noutput = json\n'));
    expect(getSection(result, 'profile x')).toEqual({ region: 'eu-central-1', s3: '\nmax_concurrent_requests = 20', output: 'json' });
  });

  it('reads nested values the way configparser joins them', () => {
    expect(getSection(config, 'default')).toEqual({ region: 'us-east-1', s3: '\nmax_concurrent_requests = 10\n\nmax_queue_size = 1000' });
  });

  it('drops the continuation lines of a replaced key but keeps comments', () => {
    expect(setSection(config, 'profile x', [['s3', 'flat']])).toBe(
      config.replace('s3 =\n  # a comment inside the block\n  max_concurrent_requests = 20\n', 's3 = flat\n  # a comment inside the block\n'),
    );
  });
});

describe('parseAwsIni refuses what botocore refuses, naming the line', () => {
  // sectionA: what getSection reads of [a] when the refusal is not in that section (else it throws).
  it.each<{ name: string; text: string; line: number; reason: IniParseReason; sectionA?: Record<string, string> | undefined }>([
    { name: 'key before any section', text: lf('# c', 'k = v', '[a]'), line: 2, reason: { kind: 'key-before-section' }, sectionA: {} },
    { name: 'garbage before any section', text: lf('hello'), line: 1, reason: { kind: 'not-a-key-value-line' }, sectionA: undefined },
    { name: 'line without = or :', text: lf('[a]', 'k = v', 'aws_secret_access_key abc'), line: 3, reason: { kind: 'not-a-key-value-line' } },
    { name: 'unclosed header', text: lf('[a]', 'k = v', '[b', 'k = v'), line: 3, reason: { kind: 'malformed-header' }, sectionA: { k: 'v' } },
    { name: 'empty header', text: lf('[]'), line: 1, reason: { kind: 'malformed-header' }, sectionA: undefined },
    { name: 'nested brackets', text: lf('[a]]'), line: 1, reason: { kind: 'malformed-header' }, sectionA: undefined },
    { name: 'text after header', text: lf('[a] x'), line: 1, reason: { kind: 'malformed-header' }, sectionA: undefined },
    { name: 'key with no name', text: lf('[a]', ' = v'), line: 2, reason: { kind: 'empty-key' } },
    {
      name: 'duplicate section',
      text: lf('[a]', 'k = 1', '', '[b]', '[a]', 'j = 2'),
      line: 5,
      reason: { kind: 'duplicate-section', section: 'a', firstLine: 1 },
    },
    {
      name: 'duplicate key, any case',
      text: lf('[a]', 'k = 1', 'K = 2'),
      line: 3,
      reason: { kind: 'duplicate-key', section: 'a', key: 'k', firstLine: 2 },
    },
    { name: 'lone carriage return', text: '[a]\nk = 1\rj = 2\n', line: 2, reason: { kind: 'stray-carriage-return' } },
  ])('$name', ({ text, line, reason, ...expected }) => {
    const result = parseAwsIni(text);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(IniParseError);
    expect(result.error.line).toBe(line);
    expect(result.error.reason).toEqual(reason);
    expect(result.error.message).toContain(`line ${line}:`);
    expect(result.error.next).toBe('the file was left unchanged — fix it by hand and run again');
    expect(() => setSection(text, 'a', [['k', 'v']])).toThrow(IniParseError);
    if ('sectionA' in expected) expect(getSection(text, 'a')).toEqual(expected.sectionA);
    else expect(() => getSection(text, 'a')).toThrow(IniParseError);
    expect(() => removeSection(text, 'a')).toThrow(IniParseError);
  });

  it('never quotes the offending line, which may hold a secret', () => {
    const result = parseAwsIni(lf('[a]', 'aws_secret_access_key wJalrXUtnFEMI'));
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.message).toBe(
        'cannot parse the AWS file line 2: not a "key = value" line, a comment or a [section] header',
      );
      expect(result.error.inFile('~/.aws/credentials').message).toMatch(/^cannot parse ~\/\.aws\/credentials line 2: /);
    }
  });

  it('reads an indented header after a key as part of that key, as configparser does', () => {
    const text = lf('[a]', 'k = v', '  [b]', 'j = w');
    expect(getSection(text, 'a')).toEqual({ k: 'v\n[b]', j: 'w' });
    expect(getSection(text, 'b')).toBeUndefined();
  });

  it.each([
    { name: 'indented comments and keys', text: lf('  ; c', '[a]', '  k = v', '  # c', '  j = w') },
    { name: 'colon delimiter', text: lf('[a]', 'role_arn: arn:aws:iam::123456789012:role/x') },
    { name: 'continuation after comments and blank lines', text: lf('[a]', 's3 =', '# c', '', '  x = 1') },
    { name: 'indented header right after a header', text: lf('[a]', '  [b]', 'k = v') },
    { name: 'tabs', text: lf('[a]', 'k\t=\tv') },
    { name: 'empty', text: '' },
  ])('accepts $name', ({ text }) => {
    expect(parseAwsIni(text).ok).toBe(true);
  });
});

describe('hostile names and values are refused before anything is written', () => {
  const text = lf('[p]', 'aws_access_key_id = A');
  it.each<{ name: string; section?: string; key?: string; value?: string; removeKeys?: string[] }>([
    { name: 'section breaking into a new line', section: 'x]\naws_access_key_id=EVIL' },
    { name: 'section with CRLF', section: 'a\r\nb' },
    { name: 'section with [', section: 'a[b' },
    { name: 'section with ]', section: 'a]b' },
    { name: 'empty section', section: '' },
    { name: 'section with surrounding space', section: ' p' },
    { name: 'section with NUL', section: 'p\u0000' },
    { name: 'key with CRLF', key: 'a\r\nb' },
    { name: 'key with =', key: 'a=b' },
    { name: 'key with :', key: 'a:b' },
    { name: 'key with [', key: '[p]' },
    { name: 'key read as comment', key: '#k' },
    { name: 'key with trailing space', key: 'k ' },
    { name: 'empty key', key: '' },
    { name: 'value with CRLF', value: 'a\r\nb' },
    { name: 'value with LF', value: 'x\n[evil]\naws_access_key_id=EVIL' },
    { name: 'value with lone CR', value: 'a\rb' },
    { name: 'value with line separator', value: 'a\u2028b' },
    { name: 'value with NEL', value: 'a\u0085b' },
    { name: 'value with leading space', value: ' a' },
    { name: 'value with trailing tab', value: 'a\t' },
    { name: 'value with trailing no-break space', value: 'a\u00a0' },
    { name: 'removeKeys with newline', removeKeys: ['a\nb'] },
  ])('$name', ({ section = 'p', key = 'aws_access_key_id', value = 'B', removeKeys }) => {
    expect(() => setSection(text, section, [[key, value]], removeKeys ? { removeKeys } : {})).toThrow(InvalidIniNameError);
  });

  it('refuses the same key twice', () => {
    expect(() => setSection(text, 'p', [['k', '1'], ['K', '2']])).toThrow(InvalidIniNameError);
  });

  it('does not echo a refused value', () => {
    expect(() => setSection(text, 'p', [['aws_secret_access_key', 'SECRET\nx']])).toThrow(
      /^refusing to write this value to an AWS file: the value for aws_secret_access_key contains a line break/,
    );
    expect(() => setSection(text, 'p', [['aws_secret_access_key', 'SECRET\nx']])).not.toThrow(/SECRET/);
  });

  it.each(['abc/def+ghi==', 'a=b=c', 'arn:aws:iam::123456789012:mfa/me', '#not-a-comment', ';x', '[x]', 'with inner space', ''])(
    'round-trips the value %j',
    (value) => {
      expect(getSection(setSection(text, 'p', [['v', value]]), 'p')).toEqual({ aws_access_key_id: 'A', v: value });
    },
  );
});

describe('removeSection', () => {
  it.each([
    {
      name: 'a middle section with the blank line after it',
      text: lf('[a]', 'k = 1', '', '[p]', 'k = 2', '# inside', 'j = 3', '', '[c]', 'k = 4'),
      expected: lf('[a]', 'k = 1', '', '[c]', 'k = 4'),
    },
    {
      name: 'a middle section, keeping the comment that introduces the next one',
      text: lf('[a]', 'k = 1', '', '[p]', 'k = 2', '', '# about c', '[c]'),
      expected: lf('[a]', 'k = 1', '', '# about c', '[c]'),
    },
    {
      name: 'the last section with the blank lines before it',
      text: lf('[a]', 'k = 1', '', '', '[p]', 'k = 2', ''),
      expected: lf('[a]', 'k = 1'),
    },
    { name: 'the only section', text: '\ufeff[p]\r\nk = 2\r\n', expected: '\ufeff' },
    { name: 'the first section', text: lf('# top', '[p]', 'k = 2', '', '[a]'), expected: lf('# top', '[a]') },
    { name: 'an absent section', text: lf('[a]', 'k = 1'), expected: lf('[a]', 'k = 1') },
    {
      name: 'a section with a nested block',
      text: lf('[profile p]', 's3 =', '  x = 1', '[profile q]', 'region = r'),
      expected: lf('[profile q]', 'region = r'),
    },
  ])('$name', ({ text, expected }) => {
    const name = text.includes('[profile p]') ? 'profile p' : 'p';
    expect(removeSection(text, name)).toBe(expected);
  });
});

describe('sectionExtras', () => {
  const KEYS = ['aws_access_key_id', 'aws_secret_access_key', 'aws_session_token'];
  it.each([
    ['only the keys', '[p]\naws_access_key_id = A\naws_secret_access_key = S\n', { keys: [], comments: 0 }],
    ['keys matched ignoring case', '[p]\nAWS_Access_Key_Id = A\n', { keys: [], comments: 0 }],
    ['a key added by hand, and a comment among the keys', '[p]\naws_access_key_id = A\n; mine\nRegion = eu-west-1\naws_session_token = T\n', { keys: ['Region'], comments: 1 }],
    ['a comment after the last key introduces the next section', '[p]\naws_access_key_id = A\n\n# next\n[q]\nx = 1\n', { keys: [], comments: 0 }],
    ['CRLF and a comment right under the header', '[p]\r\n# mine\r\naws_access_key_id = A\r\n', { keys: [], comments: 1 }],
    ['absent', '[q]\nx = 1\n', undefined],
  ])('%s', (_name, text, expected) => {
    expect(sectionExtras(text, 'p', KEYS)).toEqual(expected);
  });
});

describe('removeKeysEverywhere', () => {
  it.each([
    ['from every section, whatever the case', '[default]\nregion = eu-west-1\nAWS_Access_Key_Id = AKIA1\n\n[profile x]\naws_access_key_id = AKIA2\noutput = json\n', '[default]\nregion = eu-west-1\n\n[profile x]\noutput = json\n'],
    ['with its continuation lines, keeping comments and nested blocks', '[default]\ncredential_process = a\n  b\n; why\ns3 =\n  max_concurrent_requests = 10\n', '[default]\n; why\ns3 =\n  max_concurrent_requests = 10\n'],
    ['keeping CRLF and a last line without an ending', '[default]\r\nregion = us-east-1\r\naws_secret_access_key = s', '[default]\r\nregion = us-east-1\r\n'],
    ['leaving a file without them as it was', '# top\n[default]\nregion = us-east-1\n', '# top\n[default]\nregion = us-east-1\n'],
  ])('removes keys %s', (_what, text, expected) => {
    expect(removeKeysEverywhere(text, ['aws_access_key_id', 'aws_secret_access_key', 'credential_process'])).toBe(expected);
  });

  it('refuses a file it cannot parse', () => {
    expect(() => removeKeysEverywhere('aws_access_key_id = AKIA1\n', ['aws_access_key_id'])).toThrow(IniParseError);
  });
});

describe('getSection', () => {
  it('lower-cases keys and returns undefined for an absent section', () => {
    const text = lf('[p]', 'AWS_Access_Key_ID = A', 'region:eu-west-1');
    expect(getSection(text, 'p')).toEqual({ aws_access_key_id: 'A', region: 'eu-west-1' });
    expect(getSection(text, 'q')).toBeUndefined();
    expect(getSection(text, 'P')).toBeUndefined();
  });

  // #22: reading one profile of a 20,000-line credentials file scanned all of it (30 ms a reuse).
  it('reads its section of a long file without parsing the rest: a line refused elsewhere does not stop it', () => {
    const many = Array.from({ length: 5000 }, (_, n) => lf(`[p${n}]`, `aws_access_key_id = AKIA${n}`)).join('');
    const text = lf('not a line botocore reads') + many + lf('[p]', 'aws_access_key_id = A', '[after]', 'this neither');
    expect(parseAwsIni(text).ok).toBe(false);
    expect(getSection(text, 'p')).toEqual({ aws_access_key_id: 'A' });
    expect(getSection(text, 'p4999')).toEqual({ aws_access_key_id: 'AKIA4999' });
  });

  it('names the lines of the whole file when it refuses its section', () => {
    const before = lf('[x]', 'k = v', '', '# c');
    const duplicateKey = before + lf('[p]', 'k = 1', 'K = 2');
    expect(() => getSection(duplicateKey, 'p')).toThrow(expect.objectContaining({ line: 7, reason: { kind: 'duplicate-key', section: 'p', key: 'k', firstLine: 6 } }));
    const duplicateSection = before + lf('[p]', 'k = 1', '[y]', '\t[p]');
    expect(() => getSection(duplicateSection, 'p')).toThrow(expect.objectContaining({ line: 8, reason: { kind: 'duplicate-section', section: 'p', firstLine: 5 } }));
    const strayReturn = before + lf('[p]', 'k = 1\r2');
    expect(() => getSection(strayReturn, 'p')).toThrow(expect.objectContaining({ line: 6, reason: { kind: 'stray-carriage-return' } }));
    // The same refusals, on the same lines, as parsing the whole file.
    for (const text of [duplicateKey, duplicateSection, strayReturn]) {
      const whole = parseAwsIni(text) as { error: IniParseError };
      expect(() => getSection(text, 'p')).toThrow(whole.error.message);
    }
  });
});

describe('setSection edits only its section of the text', () => {
  it('gives new lines the ending most lines of the whole file have, not only the section', () => {
    const text = '[a]\r\nk = 1\r\n[b]\r\nk = 2\r\n[p]\nk = 3\n';
    expect(setSection(text, 'p', [['j', '4']])).toBe('[a]\r\nk = 1\r\n[b]\r\nk = 2\r\n[p]\nk = 3\nj = 4\r\n');
    expect(setSection(text, 'q', [['j', '4']])).toBe(`${text}\r\n[q]\r\nj = 4\r\n`);
  });

  it('still refuses a file that cannot be parsed anywhere, before editing it', () => {
    const text = lf('[p]', 'k = 1', '[q]', 'not a line botocore reads');
    expect(() => setSection(text, 'p', [['k', '2']])).toThrow(expect.objectContaining({ line: 4, reason: { kind: 'not-a-key-value-line' } }));
  });
});

describe('keyInEachSection', () => {
  it('reads one key of every section, case-insensitively and trimmed, by section name', () => {
    const text = lf('# top', '[a]', 'AWS_Access_Key_Id =  AKIAA  ', 'region = x', '[b]', 'region = y', '[c]', 'aws_access_key_id = AKIAC');
    expect(keyInEachSection(text, 'aws_access_key_id')).toEqual(new Map([['a', 'AKIAA'], ['c', 'AKIAC']]));
  });

  it('is undefined for a file with no section at all, and empty for sections without the key', () => {
    expect(keyInEachSection('', 'aws_access_key_id')).toBeUndefined();
    expect(keyInEachSection(lf('# only a comment'), 'aws_access_key_id')).toBeUndefined();
    expect(keyInEachSection(lf('[a]', 'region = x'), 'aws_access_key_id')).toEqual(new Map());
  });

  it('throws what the parser refuses', () => {
    expect(() => keyInEachSection(lf('key = before any section'), 'key')).toThrow(IniParseError);
  });
});

describe('parsing is linear on long runs of spaces', () => {
  // The backtracking `[\s]*$` and `(.*?)\s*[=:]` patterns used to retry at every position of a
  // run of spaces: a line botocore reads at once (`note = a` + spaces + `b`) took quadratic time.
  const spaces = ' '.repeat(20_000);
  const hostile = lf('[p]', `note = a${spaces}b`, `  a${spaces}b`, `other = x${spaces}`, `key${spaces}= v`, `tail =${spaces}t`);
  let plain = lf('[p]');
  for (let n = 0; plain.length < hostile.length; n++) plain += lf(`key${n} = value${n}`);

  const fastest = (text: string): number => {
    let best = Infinity;
    for (let round = 0; round < 5; round++) {
      const start = performance.now();
      parseAwsIni(text);
      getSection(text, 'p');
      best = Math.min(best, performance.now() - start);
    }
    return best;
  };

  it('reads such lines as configparser does', () => {
    expect(getSection(hostile, 'p')).toEqual({ note: `a${spaces}b\na${spaces}b`, other: 'x', key: 'v', tail: 't' });
  });

  it('takes no more than a small multiple of the time for a plain file of the same size', () => {
    fastest(plain);
    // A complexity bound, not a speed target: the quadratic parser was thousands of times slower.
    expect(fastest(hostile) / Math.max(fastest(plain), 0.05)).toBeLessThan(20);
  });
});
