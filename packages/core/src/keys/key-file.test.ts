import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rejectedAnwbisError } from '../testing/caught.js';
import { encryptedFileBackend, keyFilePath } from './key-file.js';

// Each new key file backend derives its key with scrypt at full cost (about 0.1 s, far more on a
// busy machine).
jest.setTimeout(60_000);

describe('the encrypted key file', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), 'anwbis-keyfile-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const withPassphrase = (passphrase: string) => encryptedFileBackend({ home, env: { ANWBIS_KEYS_PASSPHRASE: passphrase } });

  it('keeps secrets by profile in a 0600 file that shows none of them', async () => {
    const backend = withPassphrase('first passphrase');
    await backend.set('corp', 'secret-one');
    await backend.set('other', 'secret-two');
    const again = withPassphrase('first passphrase');
    expect(await again.get('corp')).toBe('secret-one');
    expect(await again.get('other')).toBe('secret-two');
    expect(await again.get('nobody')).toBeUndefined();
    expect(statSync(keyFilePath(home)).mode & 0o777).toBe(0o600);
    const text = readFileSync(keyFilePath(home), 'utf8');
    expect(text).not.toContain('secret-one');
    expect(text).not.toContain('corp');
    expect(await again.delete('corp')).toBe(true);
    expect(await again.delete('corp')).toBe(false);
    expect(await withPassphrase('first passphrase').get('other')).toBe('secret-two');
  });

  it('a wrong passphrase opens nothing and says what to give', async () => {
    await withPassphrase('right one').set('corp', 'secret');
    const error = await rejectedAnwbisError(withPassphrase('wrong one').get('corp'));
    expect(error.kind).toBe('config');
    expect(error.message).toMatch(/^the passphrase does not open .*keys\.enc/);
    expect(error.next).toContain('ANWBIS_KEYS_PASSPHRASE');
  });

  it('a lowered scrypt cost in the file is caught, not used (the header is authenticated)', async () => {
    await withPassphrase('right one').set('corp', 'secret');
    const file = JSON.parse(readFileSync(keyFilePath(home), 'utf8')) as Record<string, unknown>;
    writeFileSync(keyFilePath(home), JSON.stringify({ ...file, N: 2 ** 10 }));
    expect((await rejectedAnwbisError(withPassphrase('right one').get('corp'))).message).toMatch(/does not open/);
  });

  it('without the variable it asks, once per process, and a new file is asked for as new', async () => {
    const asked: string[] = [];
    const backend = encryptedFileBackend({ home, env: {}, ask: async (purpose) => (asked.push(purpose), 'typed passphrase') });
    await backend.set('corp', 'secret');
    expect(await backend.get('corp')).toBe('secret');
    expect(asked).toEqual(['create']);
  });

  it('with neither the variable nor a terminal it fails naming the variable', async () => {
    await withPassphrase('p').set('corp', 'secret');
    const error = await rejectedAnwbisError(encryptedFileBackend({ home, env: {}, ask: async () => undefined }).get('corp'));
    expect(error.message).toMatch(/needs its passphrase and there is no terminal to ask on/);
    expect(error.next).toContain('ANWBIS_KEYS_PASSPHRASE');
  });
});
