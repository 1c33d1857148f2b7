import { describe, it, expect } from '@jest/globals';
import { AnwbisError, EXIT_CODES, shown, type ErrorKind } from './errors.js';

describe('exit codes', () => {
  it('maps every kind to a distinct status, none of them 0 or 1', () => {
    expect(EXIT_CODES).toEqual({ usage: 2, config: 3, denied: 4, mfa: 5, aws: 6, file: 7, bug: 70 });
  });

  it.each<[ErrorKind, number]>([
    ['usage', 2],
    ['config', 3],
    ['denied', 4],
    ['mfa', 5],
    ['aws', 6],
    ['file', 7],
  ])('%s exits with %i', (kind, code) => {
    const error = new AnwbisError(kind, 'm');
    expect(error.exitCode).toBe(code);
  });
});

describe('AnwbisError', () => {
  it('carries kind, message, next step and cause', () => {
    const cause = new Error('root');
    const error = new AnwbisError('denied', 'no', { next: 'ask', cause });
    expect(error).toBeInstanceOf(Error);
    expect([error.name, error.kind, error.message, error.next, error.cause]).toEqual(['AnwbisError', 'denied', 'no', 'ask', cause]);
  });

  it('has no next step or cause unless given', () => {
    const error = new AnwbisError('usage', 'bad');
    expect(error.next).toBeUndefined();
    expect('cause' in error).toBe(false);
  });
});

describe('shown', () => {
  it.each([
    ['admin', '"admin"'],
    ['x]\naws_access_key_id=EVIL', '"x]\\naws_access_key_id=EVIL"'],
    ['\u001b[31mred', '"\\u001b[31mred"'],
    ['say "hi"', '"say \\"hi\\""'],
  ])('%j is shown as %s', (value, text) => {
    expect(shown(value)).toBe(text);
  });
});
