import { describe, it, expect } from '@jest/globals';
import { AnwbisError } from '../errors/errors.js';
import { assertValidName, toRoleSessionName, type NameKind } from './validate.js';

function failure(kind: NameKind, value: string): AnwbisError {
  try {
    assertValidName(kind, value);
  } catch (error) {
    if (error instanceof AnwbisError) return error;
    throw error;
  }
  throw new Error(`assertValidName(${kind}, ${JSON.stringify(value)}) accepted the name`);
}

const IAM_KINDS: NameKind[] = ['project', 'environment', 'role', 'contractor', 'group', 'policy', 'delegated role', 'session name'];
const ALL_KINDS: NameKind[] = [...IAM_KINDS, 'profile'];

describe('assertValidName', () => {
  it.each([
    ['project', 'datalab'],
    ['environment', 'dev'],
    ['role', 'admin'],
    ['contractor', 'acme'],
    ['group', 'corp-datalab-master-admin'],
    ['policy', 'Delegated_Roles'],
    ['delegated role', 'dev-datalab-delegated-admin'],
    ['session name', 'alice@example.com'],
    ['profile', 'datalab-dev-admin'],
    ['profile', 'team:a/b'],
    ['role', 'a+b=c,d.e@f_g-h'],
    ['project', 'x'.repeat(64)],
    ['group', 'x'.repeat(128)],
    ['profile', 'x'.repeat(128)],
  ] as Array<[NameKind, string]>)('accepts %s name %j', (kind, value) => {
    expect(() => assertValidName(kind, value)).not.toThrow();
  });

  const hostile = ['x]\naws_access_key_id=EVIL', 'a[b', 'a]b', 'a#b', 'a;b', 'a b', ' ab', 'ab ', 'a\tb', 'a\nb', 'ab\n', 'a\rb', 'a"b', 'a$b', 'a*b', 'a\u00e9b', 'a\u0000b'];
  it.each(ALL_KINDS.flatMap((kind) => hostile.map((value) => [kind, value] as [NameKind, string])))('refuses %s name %j as a usage error', (kind, value) => {
    const error = failure(kind, value);
    expect(error.kind).toBe('usage');
    expect(error.message).toBe(
      `invalid ${kind} name ${JSON.stringify(value)}: use only ${kind === 'profile' ? 'letters, digits and + = , . @ _ : / -' : 'letters, digits and + = , . @ _ -'}`,
    );
  });

  it.each(IAM_KINDS)('refuses : and / in a %s name, which only profiles allow', (kind) => {
    expect(failure(kind, 'a:b').message).toMatch(/^invalid /);
    expect(failure(kind, 'a/b').message).toMatch(/^invalid /);
  });

  it.each(ALL_KINDS)('refuses an empty %s name', (kind) => {
    const error = failure(kind, '');
    expect(error.kind).toBe('usage');
    expect(error.message).toBe(`the ${kind} name is empty`);
  });

  it.each([
    ['project', 64],
    ['environment', 64],
    ['role', 64],
    ['contractor', 64],
    ['delegated role', 64],
    ['session name', 64],
    ['group', 128],
    ['policy', 128],
    ['profile', 128],
  ] as Array<[NameKind, number]>)('refuses a %s name longer than %i characters', (kind, limit) => {
    expect(() => assertValidName(kind, 'a'.repeat(limit))).not.toThrow();
    const long = 'a'.repeat(limit + 1);
    const error = failure(kind, long);
    expect(error.kind).toBe('usage');
    expect(error.message).toBe(`the ${kind} name "${long}" is ${limit + 1} characters long; IAM allows at most ${limit}`);
  });
});

describe('toRoleSessionName', () => {
  it.each([
    ['alice', 'alice'],
    ['alice@example.com', 'alice@example.com'],
    ['a+b=c,d.e@f_g-h', 'a+b=c,d.e@f_g-h'],
    ['first last', 'first-last'],
    ['o/brien:x', 'o-brien-x'],
    ['caf\u00e9', 'caf-'],
    ['x]\nevil', 'x--evil'],
    ['ab', 'ab'],
    ['a', 'anwbis-a'],
    ['', 'anwbis-'],
    ['a'.repeat(64), 'a'.repeat(64)],
    ['a'.repeat(65), 'a'.repeat(64)],
    [`${'b'.repeat(63)} tail`, `${'b'.repeat(63)}-`],
  ])('turns %j into %j', (name, expected) => {
    const session = toRoleSessionName(name);
    expect(session).toBe(expected);
    expect(session).toMatch(/^[\w+=,.@-]{2,64}$/);
  });
});
