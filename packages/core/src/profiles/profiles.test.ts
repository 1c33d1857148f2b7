import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rejectedAnwbisError } from '../testing/caught.js';
import { assertEditable, writeConfigProfile } from './profiles.js';
import { writeProfile } from './profile-writer.js';
import { StateStore } from '../cache/state-store.js';
import { profileRecordsDir } from '../cache/layout.js';
import { acquireLock } from '../locks/lock.js';
import { AWS_FILE_LOCK_SUFFIX } from '../credentials-file/aws-file.js';
import { getSection } from '../credentials-file/ini-edit.js';

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

describe('writeProfile', () => {
  const profile = 'datalab-dev-admin';
  const credentialsOf = (key: string) => ({ accessKeyId: key, secretAccessKey: 'secret', sessionToken: 'token', expiration: new Date(Date.now() + 3_600_000) });
  const recordOf = { profile, kind: 'assume' as const, region: 'us-east-1', roleArn: 'arn:aws:iam::222222222222:role/dev-datalab-delegated-admin', account: '222222222222', sourceProfile: 'default' };
  const setUp = async () => {
    const files = { credentialsFile: join(dir, 'credentials'), configFile: join(dir, 'config') };
    const store = new StateStore(join(dir, 'home'));
    await writeProfile(files, store, { credentials: credentialsOf('ASIAOLD'), record: recordOf }, () => undefined);
    return { files, store };
  };
  const temporaries = async () => (await readdir(profileRecordsDir(join(dir, 'home')))).filter((name) => name.endsWith('.tmp'));

  it("writes the record's new file while the keys are written, and puts it in place only after them (about 2 ms of every assume)", async () => {
    const { files, store } = await setUp();
    const lock = await acquireLock(files.credentialsFile + AWS_FILE_LOCK_SUFFIX);
    let done = false;
    const writing = writeProfile(files, store, { credentials: credentialsOf('ASIANEW'), record: recordOf }, () => undefined).finally(() => (done = true));
    try {
      // Another writer holds the credentials file: the record's new file is ready beside the old record meanwhile.
      for (let waited = 0; (await temporaries()).length === 0; waited++) {
        if (done || waited > 1000) throw new Error('the record was not prepared while the credentials file was locked');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      expect((await store.readProfile(profile))?.accessKeyId).toBe('ASIAOLD');
    } finally {
      await lock.release();
    }
    await writing;
    expect((await store.readProfile(profile))?.accessKeyId).toBe('ASIANEW');
    expect(getSection(await readFile(files.credentialsFile, 'utf8'), profile)?.aws_access_key_id).toBe('ASIANEW');
    expect(await temporaries()).toEqual([]);
  });

  it('keys that cannot be written leave the old record, and no new file beside it', async () => {
    const { files, store } = await setUp();
    await writeFile(files.credentialsFile, '[a]\nbroken\n');
    const error = await rejectedAnwbisError(writeProfile(files, store, { credentials: credentialsOf('ASIANEW'), record: recordOf }, () => undefined));
    expect(error).toMatchObject({ kind: 'file', name: 'IniParseError' });
    expect((await store.readProfile(profile))?.accessKeyId).toBe('ASIAOLD');
    expect(await temporaries()).toEqual([]);
  });
});
