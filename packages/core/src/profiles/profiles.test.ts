import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rejectedAnwbisError } from '../testing/caught.js';
import { assertEditable, writeConfigProfile } from './profiles.js';

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

  it('checked side by side, reports what checking in order would meet first: the first file broken, the second a pipe that is never read', async () => {
    await writeFile(join(dir, 'credentials'), '[a]\nbroken\n');
    execFileSync('mkfifo', [join(dir, 'config')]);
    const error = await rejectedAnwbisError(assertEditable(join(dir, 'credentials'), join(dir, 'config')));
    expect(error).toMatchObject({ kind: 'file', name: 'IniParseError', line: 2 });
    const second = await rejectedAnwbisError(assertEditable(join(dir, 'config'), join(dir, 'credentials')));
    expect(second).toMatchObject({ kind: 'file', name: 'AwsFileRefusedError' });
  });

  it('accepts files that can be written, present or not', async () => {
    await writeFile(join(dir, 'credentials'), '[a]\nk = v\n');
    await expect(assertEditable(join(dir, 'credentials'), join(dir, 'config'))).resolves.toBeUndefined();
  });
});

describe('writeConfigProfile', () => {
  // Set long ago: making and removing a lock or a temporary file in the directory moves its mtime.
  const longAgo = new Date('2001-01-01T00:00:00Z');
  const untouched = async (file: string) => {
    const [d, f] = [await stat(dir, { bigint: true }), await stat(file, { bigint: true })];
    return { dir: d.mtimeNs, file: [f.ino, f.mtimeNs, f.mode] };
  };

  it('a region the section already has is not written again, nor locked for: the directory is not touched (about 3 ms of every forwarded assume)', async () => {
    const file = join(dir, 'config');
    await writeFile(file, '[default]\nregion = eu-west-1\n\n[profile datalab-dev-admin]\nregion = us-east-1\n', { mode: 0o600 });
    await utimes(dir, longAgo, longAgo);
    const before = await untouched(file);

    await writeConfigProfile(file, 'datalab-dev-admin', [['region', 'us-east-1']]);

    expect(await untouched(file)).toEqual(before);
  });

  it('a new region, a file others may read and a broken file go through the locked write as before', async () => {
    const file = join(dir, 'config');
    await writeFile(file, '[profile datalab-dev-admin]\nregion = us-east-1\n', { mode: 0o600 });
    await writeConfigProfile(file, 'datalab-dev-admin', [['region', 'eu-west-1']]);
    expect(await readFile(file, 'utf8')).toBe('[profile datalab-dev-admin]\nregion = eu-west-1\n');

    await chmod(file, 0o644);
    await writeConfigProfile(file, 'datalab-dev-admin', [['region', 'eu-west-1']]);
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    await writeFile(file, '[profile datalab-dev-admin]\nregion = eu-west-1\nbroken\n');
    const error = await rejectedAnwbisError(writeConfigProfile(file, 'datalab-dev-admin', [['region', 'eu-west-1']]));
    expect(error).toMatchObject({ kind: 'file', name: 'IniParseError', line: 3 });
    expect(await readdir(dir)).toEqual(['config']);
  });
});
