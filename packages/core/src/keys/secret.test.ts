import { describe, expect, it } from '@jest/globals';
import { thrownAnwbisError } from '../testing/caught.js';
import { assertKeyShape, MAX_SECRET_BYTES, parseKeys, serializeKeys } from './secret.js';

describe('stored keys', () => {
  it('the largest keys IAM issues fit in the Windows Credential Manager (2,560 bytes as UTF-16)', () => {
    const largest = { accessKeyId: 'A'.repeat(128), secretAccessKey: 'S'.repeat(128) };
    assertKeyShape(largest);
    const text = serializeKeys(largest);
    expect(Buffer.byteLength(text, 'utf16le')).toBeLessThanOrEqual(MAX_SECRET_BYTES);
    expect(parseKeys(text, 'the keychain')).toEqual(largest);
  });

  it('a secret that would not fit on Windows is refused on every platform', () => {
    const error = thrownAnwbisError(() => serializeKeys({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'x'.repeat(1300) }));
    expect(error.message).toMatch(/the Windows Credential Manager holds at most 2560/);
  });

  it.each<[string, { accessKeyId: string; secretAccessKey: string }, RegExp]>([
    ['a lower-case access key id', { accessKeyId: 'akiaiosfodnn7example', secretAccessKey: 's' }, /not one IAM issues/],
    ['a short access key id', { accessKeyId: 'AKIA', secretAccessKey: 's' }, /not one IAM issues/],
    ['an empty secret', { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: '' }, /empty or holds spaces/],
    ['a secret with a line break', { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'a\nb' }, /empty or holds spaces/],
  ])('refuses %s without showing the secret', (_what, keys, message) => {
    const error = thrownAnwbisError(() => assertKeyShape(keys));
    expect(error.kind).toBe('usage');
    expect(error.message).toMatch(message);
  });

  it('an entry in another form is a config error naming where it is', () => {
    expect(thrownAnwbisError(() => parseKeys('hunter2', 'the macOS Keychain')).message).toBe('the keys stored in the macOS Keychain are not in a form this anwbis reads');
  });
});
