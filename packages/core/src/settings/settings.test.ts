import { describe, it, expect } from '@jest/globals';
import { AnwbisError } from '../errors/errors.js';
import { DEFAULT_PATTERNS } from '../naming/patterns.js';
import { NO_SESSION_TAGGING } from '../session-tags/session-tags.js';
import { DEFAULT_SETTINGS, parseDaemonSettings, parseSettings, type Settings } from './settings.js';

const WHERE = '/home/alice/.local/state/anwbis/config';
const lines = (...text: string[]): string => text.map((line) => `${line}\n`).join('');

function failure(text: string): AnwbisError {
  try {
    parseSettings(text, WHERE);
  } catch (error) {
    if (error instanceof AnwbisError) return error;
    throw error;
  }
  throw new Error('parseSettings accepted the file');
}

describe('parseSettings', () => {
  it.each<[string, string, Settings]>([
    ['an empty file', '', DEFAULT_SETTINGS],
    ['comments only', lines('# anwbis settings', '; nothing yet'), DEFAULT_SETTINGS],
    ['an empty [naming]', lines('[naming]'), DEFAULT_SETTINGS],
    ['other sections', lines('[other]', 'x = 1'), DEFAULT_SETTINGS],
    [
      'custom naming',
      lines('[naming]', 'group = grp-{project}-{role}', 'role = {project}.{env}.{role}'),
      { naming: { ...DEFAULT_PATTERNS, group: 'grp-{project}-{role}', role: '{project}.{env}.{role}' }, refreshMarginSeconds: 300, assume: NO_SESSION_TAGGING, keysBackend: 'keychain' },
    ],
    [
      'every naming key, padded',
      lines('[naming]', 'group =  g-{role} ', 'policy=P', 'role = r-{role}', 'profile = p-{role}', 'session = s-{profile}'),
      { naming: { group: 'g-{role}', policy: 'P', role: 'r-{role}', profile: 'p-{role}', session: 's-{profile}' }, refreshMarginSeconds: 300, assume: NO_SESSION_TAGGING, keysBackend: 'keychain' },
    ],
    ['a margin', lines('[cache]', 'refresh_margin_seconds = 600'), { naming: DEFAULT_PATTERNS, refreshMarginSeconds: 600, assume: NO_SESSION_TAGGING, keysBackend: 'keychain' }],
    ['a margin of 0', lines('[cache]', 'refresh_margin_seconds = 0'), { naming: DEFAULT_PATTERNS, refreshMarginSeconds: 0, assume: NO_SESSION_TAGGING, keysBackend: 'keychain' }],
    ['a margin of 3600', lines('[cache]', 'refresh_margin_seconds = 3600'), { naming: DEFAULT_PATTERNS, refreshMarginSeconds: 3600, assume: NO_SESSION_TAGGING, keysBackend: 'keychain' }],
    ['a margin in CRLF', '[cache]\r\nrefresh_margin_seconds = 60\r\n', { naming: DEFAULT_PATTERNS, refreshMarginSeconds: 60, assume: NO_SESSION_TAGGING, keysBackend: 'keychain' }],
    ['an empty [assume]', lines('[assume]'), DEFAULT_SETTINGS],
    [
      'source identity and tags',
      lines('[assume]', 'source_identity = auto', 'tags = team=data, cost=42 ,, empty=', 'transitive_tags = team'),
      {
        ...DEFAULT_SETTINGS,
        assume: { sourceIdentity: 'auto', tags: [{ key: 'team', value: 'data' }, { key: 'cost', value: '42' }, { key: 'empty', value: '' }], transitiveTagKeys: ['team'] },
      },
    ],
    ['a named source identity', lines('[assume]', 'source_identity = ana@example.com'), { ...DEFAULT_SETTINGS, assume: { sourceIdentity: 'ana@example.com', tags: [], transitiveTagKeys: [] } }],
    ['a tag value with = and spaces', lines('[assume]', 'tags = path=a=b/c, project=Data Lab'), { ...DEFAULT_SETTINGS, assume: { tags: [{ key: 'path', value: 'a=b/c' }, { key: 'project', value: 'Data Lab' }], transitiveTagKeys: [] } }],
    ['the encrypted key file as the keys backend', lines('[keys]', 'backend = file'), { ...DEFAULT_SETTINGS, keysBackend: 'file' }],
  ])('reads %s', (_name, text, expected) => {
    expect(parseSettings(text, WHERE)).toEqual(expected);
  });

  it('does not change the defaults it starts from', () => {
    parseSettings(lines('[naming]', 'group = changed'), WHERE);
    expect(DEFAULT_PATTERNS.group).toBe('corp-{project}-master-{role}');
    expect(DEFAULT_SETTINGS.naming.group).toBe('corp-{project}-master-{role}');
  });

  it.each<[string, string, string]>([
    ['an unknown naming key', lines('[naming]', 'grp = x'), 'unknown key "grp" in [naming]; known: group, policy, role, profile, session'],
    ['an empty pattern', lines('[naming]', 'group ='), '[naming] group must be a non-empty pattern'],
    ['a blank pattern', lines('[naming]', 'group =   '), '[naming] group must be a non-empty pattern'],
    ['a pattern ini reads as a boolean', lines('[naming]', 'policy = true'), '[naming] policy must be a non-empty pattern'],
    ['a pattern ini reads as a list', lines('[naming]', 'group[] = a'), '[naming] group must be a non-empty pattern'],
    ['naming as a value', lines('naming = x'), '[naming] is not a section'],
    ['an unknown keys backend', lines('[keys]', 'backend = plaintext'), '[keys] backend must be one of keychain, file'],
    ['a negative margin', lines('[cache]', 'refresh_margin_seconds = -1'), '[cache] refresh_margin_seconds must be a whole number from 0 to 3600'],
    ['a margin over an hour', lines('[cache]', 'refresh_margin_seconds = 3601'), '[cache] refresh_margin_seconds must be a whole number from 0 to 3600'],
    ['a fractional margin', lines('[cache]', 'refresh_margin_seconds = 1.5'), '[cache] refresh_margin_seconds must be a whole number from 0 to 3600'],
    ['a margin in words', lines('[cache]', 'refresh_margin_seconds = five'), '[cache] refresh_margin_seconds must be a whole number from 0 to 3600'],
    ['an empty margin', lines('[cache]', 'refresh_margin_seconds ='), '[cache] refresh_margin_seconds must be a whole number from 0 to 3600'],
    ['a boolean margin', lines('[cache]', 'refresh_margin_seconds = true'), '[cache] refresh_margin_seconds must be a whole number from 0 to 3600'],
    ['a hexadecimal margin', lines('[cache]', 'refresh_margin_seconds = 0x10'), '[cache] refresh_margin_seconds must be a whole number from 0 to 3600'],
    ['an exponent margin', lines('[cache]', 'refresh_margin_seconds = 1e2'), '[cache] refresh_margin_seconds must be a whole number from 0 to 3600'],
    ['an unknown [assume] key', lines('[assume]', 'session_tags = a=b'), 'unknown key "session_tags" in [assume]; known: source_identity, tags, transitive_tags'],
    ['a one-letter source identity', lines('[assume]', 'source_identity = a'), 'invalid [assume] source_identity "a": 2 to 64 of letters, digits and _ + = , . @ -'],
    ['a source identity with a space', lines('[assume]', 'source_identity = ana maria'), 'invalid [assume] source_identity "ana maria": 2 to 64 of letters, digits and _ + = , . @ -'],
    ['a boolean source identity', lines('[assume]', 'source_identity = true'), '[assume] source_identity must be a name, or auto'],
    ['a tag without =', lines('[assume]', 'tags = team'), 'invalid [assume] tags "team": a tag is KEY=VALUE'],
    ['a tag with ;', lines('[assume]', 'tags = "team=a;b"'), 'invalid [assume] tags value "a;b" of "team": 0 to 256 of letters, digits, spaces and _ . : / = + - @'],
    ['a reserved tag key', lines('[assume]', 'tags = aws:team=data'), 'invalid [assume] tags key "aws:team": keys starting with aws: are reserved by AWS'],
    ['a tag twice', lines('[assume]', 'tags = team=a, Team=b'), '[assume]: the session tag "Team" is given twice (AWS does not tell keys apart by case)'],
    ['a transitive key without its tag', lines('[assume]', 'tags = team=a', 'transitive_tags = cost'), '[assume]: the transitive tag "cost" is not one of the session tags'],
    ['tags as a list', lines('[assume]', 'tags[] = a=b'), '[assume] tags must be a comma-separated list'],
    ['assume as a value', lines('assume = x'), '[assume] is not a section'],
  ])('refuses %s', (_name, text, why) => {
    const error = failure(text);
    expect(error.kind).toBe('config');
    expect(error.message).toBe(`${WHERE}: ${why}`);
    expect(error.next).toBe('fix the settings file (see "Configuration" in the README)');
  });
});

describe('parseDaemonSettings', () => {
  it.each([
    ['', { refreshBeforeSeconds: undefined, notifications: true }],
    ['[naming]\nprofile = {project}-{env}-{role}\n', { refreshBeforeSeconds: undefined, notifications: true }],
    ['[daemon]\nrefresh_before_seconds = 600\nnotifications = false\n', { refreshBeforeSeconds: 600, notifications: false }],
  ])('%j', (text, expected) => {
    expect(parseDaemonSettings(text, 'config')).toEqual(expected);
  });

  it.each([
    ['[daemon]\nrefresh_before_seconds = soon\n', /refresh_before_seconds must be a whole number/],
    ['[daemon]\nrefresh_before_seconds = 0\n', /from 1 to 43200/],
    ['[daemon]\nnotifications = maybe\n', /notifications must be true or false/],
    ['[daemon]\nrefresh = 1\n', /unknown key "refresh"/],
  ])('refuses %j', (text, message) => {
    expect(() => parseDaemonSettings(text, 'config')).toThrow(message);
  });

  it('a mistake in [daemon] stops no other command', () => {
    expect(parseSettings('[daemon]\nrefresh = 1\n', WHERE)).toEqual(DEFAULT_SETTINGS);
  });
});
