import { describe, expect, it } from '@jest/globals';
import { thrownAnwbisError as failure } from '../testing/caught.js';
import { NO_SESSION_TAGGING, parseSessionTag, sessionTaggingOf, withSourceIdentityOf, type SessionTagging, type SessionTaggingFlags } from './session-tags.js';


const configured: SessionTagging = { sourceIdentity: 'auto', tags: [{ key: 'team', value: 'data' }, { key: 'cost', value: '42' }], transitiveTagKeys: ['team'] };

describe('parseSessionTag', () => {
  it.each<[string, { key: string; value: string }]>([
    ['team=data', { key: 'team', value: 'data' }],
    ['empty=', { key: 'empty', value: '' }],
    ['path=a=b', { key: 'path', value: 'a=b' }],
    ['Projekt=Datenübersicht', { key: 'Projekt', value: 'Datenübersicht' }],
    ['owner@corp=ana.gomez@example.com', { key: 'owner@corp', value: 'ana.gomez@example.com' }],
    ['cost center=CC 42/7:+_-.', { key: 'cost center', value: 'CC 42/7:+_-.' }],
    [`${'k'.repeat(128)}=${'v'.repeat(256)}`, { key: 'k'.repeat(128), value: 'v'.repeat(256) }],
  ])('reads %s', (text, tag) => {
    expect(parseSessionTag(text, '--tag')).toEqual(tag);
  });

  it.each<[string, string]>([
    ['team', 'invalid --tag "team": a tag is KEY=VALUE'],
    ['=data', 'invalid --tag key "": 1 to 128 of letters, digits, spaces and _ . : / = + - @'],
    [`${'k'.repeat(129)}=v`, `invalid --tag key "${'k'.repeat(129)}": 1 to 128 of letters, digits, spaces and _ . : / = + - @`],
    [`k=${'v'.repeat(257)}`, `invalid --tag value "${'v'.repeat(257)}" of "k": 0 to 256 of letters, digits, spaces and _ . : / = + - @`],
    ['team=a,b', 'invalid --tag value "a,b" of "team": 0 to 256 of letters, digits, spaces and _ . : / = + - @'],
    ['te"am=a', 'invalid --tag key "te\\"am": 1 to 128 of letters, digits, spaces and _ . : / = + - @'],
    ['team=a\nb', 'invalid --tag value "a\\nb" of "team": 0 to 256 of letters, digits, spaces and _ . : / = + - @'],
    ['aws:team=a', 'invalid --tag key "aws:team": keys starting with aws: are reserved by AWS'],
    ['AWS:team=a', 'invalid --tag key "AWS:team": keys starting with aws: are reserved by AWS'],
  ])('refuses %j', (text, message) => {
    const error = failure(() => parseSessionTag(text, '--tag'));
    expect(error).toMatchObject({ kind: 'usage', message });
    expect(error.next).toBeDefined();
  });
});

describe('sessionTaggingOf: the flags over [assume]', () => {
  it.each<[string, SessionTaggingFlags, SessionTagging, SessionTagging]>([
    ['nothing', {}, NO_SESSION_TAGGING, NO_SESSION_TAGGING],
    ['the settings alone', {}, configured, configured],
    ['a flag source identity over auto', { sourceIdentity: 'ana.gomez' }, configured, { ...configured, sourceIdentity: 'ana.gomez' }],
    ['auto from a flag', { sourceIdentity: 'auto' }, NO_SESSION_TAGGING, { sourceIdentity: 'auto', tags: [], transitiveTagKeys: [] }],
    [
      'a flag tag over the same key (any case), others added',
      { tags: ['TEAM=web', 'ticket=OPS-1'] },
      configured,
      { ...configured, tags: [{ key: 'cost', value: '42' }, { key: 'TEAM', value: 'web' }, { key: 'ticket', value: 'OPS-1' }] },
    ],
    ['a transitive flag naming a configured tag', { transitiveTags: ['cost'] }, configured, { ...configured, transitiveTagKeys: ['team', 'cost'] }],
    ['a transitive flag already configured', { transitiveTags: ['team'] }, configured, configured],
    ['tags and transitive from flags', { tags: ['team=data'], transitiveTags: ['team'] }, NO_SESSION_TAGGING, { tags: [{ key: 'team', value: 'data' }], transitiveTagKeys: ['team'] }],
    ['50 tags', { tags: Array.from({ length: 50 }, (_, i) => `k${i}=v`) }, NO_SESSION_TAGGING, { tags: Array.from({ length: 50 }, (_, i) => ({ key: `k${i}`, value: 'v' })), transitiveTagKeys: [] }],
  ])('%s', (_what, flags, settings, expected) => {
    expect(sessionTaggingOf(flags, settings)).toEqual(expected);
  });

  it.each<[string, SessionTaggingFlags, SessionTagging, string]>([
    ['a one-letter source identity', { sourceIdentity: 'a' }, NO_SESSION_TAGGING, 'invalid --source-identity "a": 2 to 64 of letters, digits and _ + = , . @ -'],
    ['a source identity of 65', { sourceIdentity: 'a'.repeat(65) }, NO_SESSION_TAGGING, `invalid --source-identity "${'a'.repeat(65)}": 2 to 64 of letters, digits and _ + = , . @ -`],
    ['a source identity with a space', { sourceIdentity: 'ana gomez' }, NO_SESSION_TAGGING, 'invalid --source-identity "ana gomez": 2 to 64 of letters, digits and _ + = , . @ -'],
    ['a source identity with a colon', { sourceIdentity: 'corp:ana' }, NO_SESSION_TAGGING, 'invalid --source-identity "corp:ana": 2 to 64 of letters, digits and _ + = , . @ -'],
    ['a tag twice', { tags: ['team=a', 'Team=b'] }, NO_SESSION_TAGGING, '--tag "Team" is given twice (AWS does not tell keys apart by case)'],
    ['a transitive key without a tag', { transitiveTags: ['owner'] }, configured, 'the flags and [assume] in ANWBIS_HOME/config: the transitive tag "owner" is not one of the session tags'],
    ['a transitive key twice', { tags: ['a=1'], transitiveTags: ['a', 'a'] }, NO_SESSION_TAGGING, 'the flags and [assume] in ANWBIS_HOME/config: the transitive tag "a" is given twice'],
    [
      '51 tags, flags and settings together',
      { tags: Array.from({ length: 49 }, (_, i) => `k${i}=v`) },
      configured,
      'the flags and [assume] in ANWBIS_HOME/config: 51 session tags, AWS takes at most 50',
    ],
  ])('refuses %s', (_what, flags, settings, message) => {
    const error = failure(() => sessionTaggingOf(flags, settings));
    expect(error).toMatchObject({ kind: 'usage', message });
    expect(error.next).toBeDefined();
  });
});

describe('withSourceIdentityOf: auto is the corp user name', () => {
  it('resolves auto and leaves a name as it is', () => {
    expect(withSourceIdentityOf(configured, 'luis.gonzalez')).toEqual({ ...configured, sourceIdentity: 'luis.gonzalez' });
    expect(withSourceIdentityOf({ ...configured, sourceIdentity: 'ana' }, 'luis.gonzalez').sourceIdentity).toBe('ana');
    expect(withSourceIdentityOf(NO_SESSION_TAGGING, 'luis.gonzalez')).toBe(NO_SESSION_TAGGING);
  });

  it('refuses a user name AWS would refuse as a source identity', () => {
    expect(failure(() => withSourceIdentityOf(configured, 'x')).message).toBe('invalid source identity (auto: your corp user name) "x": 2 to 64 of letters, digits and _ + = , . @ -');
  });
});
