import { describe, it, expect } from '@jest/globals';
import { AnwbisError } from '../errors/errors.js';
import { DEFAULT_PATTERNS } from '../naming/patterns.js';
import { DEFAULT_SETTINGS, parseSettings, type Settings } from './settings.js';

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
      { naming: { ...DEFAULT_PATTERNS, group: 'grp-{project}-{role}', role: '{project}.{env}.{role}' }, refreshMarginSeconds: 300, keysBackend: 'keychain' },
    ],
    [
      'every naming key, padded',
      lines('[naming]', 'group =  g-{role} ', 'policy=P', 'role = r-{role}', 'profile = p-{role}', 'session = s-{profile}'),
      { naming: { group: 'g-{role}', policy: 'P', role: 'r-{role}', profile: 'p-{role}', session: 's-{profile}' }, refreshMarginSeconds: 300, keysBackend: 'keychain' },
    ],
    ['a margin', lines('[cache]', 'refresh_margin_seconds = 600'), { naming: DEFAULT_PATTERNS, refreshMarginSeconds: 600, keysBackend: 'keychain' }],
    ['a margin of 0', lines('[cache]', 'refresh_margin_seconds = 0'), { naming: DEFAULT_PATTERNS, refreshMarginSeconds: 0, keysBackend: 'keychain' }],
    ['a margin of 3600', lines('[cache]', 'refresh_margin_seconds = 3600'), { naming: DEFAULT_PATTERNS, refreshMarginSeconds: 3600, keysBackend: 'keychain' }],
    ['the encrypted key file as the keys backend', lines('[keys]', 'backend = file'), { ...DEFAULT_SETTINGS, keysBackend: 'file' }],
    ['a margin in CRLF', '[cache]\r\nrefresh_margin_seconds = 60\r\n', { naming: DEFAULT_PATTERNS, refreshMarginSeconds: 60, keysBackend: 'keychain' }],
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
  ])('refuses %s', (_name, text, why) => {
    const error = failure(text);
    expect(error.kind).toBe('config');
    expect(error.message).toBe(`${WHERE}: ${why}`);
    expect(error.next).toBe('fix the settings file (see "Configuration" in the README)');
  });
});
