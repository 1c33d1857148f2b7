import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rejectedAnwbisError } from '../testing/caught.js';
import { assertEditable } from './profiles.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'anwbis-profiles-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('assertEditable refuses before any MFA code is spent', () => {
  it('a credentials path that is a directory', async () => {
    await mkdir(join(dir, 'credentials'));
    const error = await rejectedAnwbisError(assertEditable(join(dir, 'credentials'), join(dir, 'config')));
    expect(error).toMatchObject({ kind: 'file', name: 'AwsFileAccessError', code: 'EISDIR' });
  });

  it('a read-only config file', async () => {
    await writeFile(join(dir, 'config'), '[default]\n');
    await chmod(join(dir, 'config'), 0o400);
    const error = await rejectedAnwbisError(assertEditable(join(dir, 'credentials'), join(dir, 'config')));
    expect(error).toMatchObject({ kind: 'file', name: 'AwsFileRefusedError' });
  });

  it('an unparseable file, naming its line', async () => {
    await writeFile(join(dir, 'credentials'), '[a]\nbroken\n');
    const error = await rejectedAnwbisError(assertEditable(join(dir, 'credentials')));
    expect(error).toMatchObject({ kind: 'file', name: 'IniParseError', line: 2 });
  });

  it('accepts files that can be written, present or not', async () => {
    await writeFile(join(dir, 'credentials'), '[a]\nk = v\n');
    await expect(assertEditable(join(dir, 'credentials'), join(dir, 'config'))).resolves.toBeUndefined();
  });
});
