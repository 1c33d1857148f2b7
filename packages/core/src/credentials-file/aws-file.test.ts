import { describe, it, expect, beforeEach, afterEach, jest } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { chmod, chown, link, mkdir, mkdtemp, readdir, readFile, rm, stat, statfs, symlink, utimes, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { rejectedAnwbisError } from '../testing/caught.js';
import { startCoreScript, writeCoreScript } from '../testing/core-child.js';
import { assertAwsFileWritable, AWS_FILE_LOCK_SUFFIX, displayPath, forgetKeptReads, keptReadCount, readAwsFile, updateAwsFile } from './aws-file.js';
import { AwsFileEncodingError, AwsFileLockedError, CredentialsFileError, IniParseError, type AwsFileAccessError } from './errors.js';
import { getSection, setSection } from './ini-edit.js';

const CREDENTIALS_FILE_MODULE = new URL('./index.ts', import.meta.url);

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'anwbis-awsfile-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const modeOf = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;

const ORIGINAL = '# mine\r\n[default]\r\naws_access_key_id = AKIA\r\naws_secret_access_key = abc/def+ghi==\r\n';

describe('readAwsFile', () => {
  it('reads a missing file as empty', async () => {
    expect(await readAwsFile(join(dir, 'nope', 'credentials'))).toBe('');
  });

  it('keeps the byte order mark', async () => {
    await writeFile(join(dir, 'credentials'), '\ufeff[a]\n');
    expect(await readAwsFile(join(dir, 'credentials'))).toBe('\ufeff[a]\n');
  });

  it('refuses bytes that are not UTF-8 rather than replace them', async () => {
    await writeFile(join(dir, 'credentials'), Buffer.from([0x5b, 0x61, 0x5d, 0x0a, 0xff, 0x0a]));
    await expect(readAwsFile(join(dir, 'credentials'))).rejects.toThrow(AwsFileEncodingError);
  });
});

/** Waits until `file` was last changed over 2 s ago, as a person's AWS file stands: aws-file keeps only such a read. */
async function settled(file: string): Promise<void> {
  const changed = (await stat(file)).ctimeMs;
  while (Date.now() - changed <= 2_500) await new Promise((r) => setTimeout(r, 100));
}

describe('one read per command (#22)', () => {
  it('a file changed in place since it was read, even to the same size and mtime, is read again: the edit under the lock sees the change', async () => {
    const file = join(dir, 'credentials');
    await writeFile(file, '[a]\nk = 1\n');
    await settled(file);
    expect(await readAwsFile(file)).toBe('[a]\nk = 1\n');
    const { mtime } = await stat(file);
    writeFileSync(file, '[a]\nk = 2\n');
    await utimes(file, mtime, mtime);

    const seen: string[] = [];
    await updateAwsFile(file, (text) => {
      seen.push(text);
      return setSection(text, 'a', [['j', '3']]);
    });

    expect(seen).toEqual(['[a]\nk = 2\n']);
    expect(await readFile(file, 'utf8')).toBe('[a]\nk = 2\nj = 3\n');
  });

  it('a file replaced by rename since it was read is read again', async () => {
    const file = join(dir, 'config');
    await writeFile(file, '[a]\nk = 1\n');
    await settled(file);
    expect(await readAwsFile(file)).toBe('[a]\nk = 1\n');
    await writeFile(join(dir, 'next'), '[a]\nk = 9\n');
    execFileSync('mv', [join(dir, 'next'), file]);

    expect(await readAwsFile(file)).toBe('[a]\nk = 9\n');
  });

  it('what a command read is let go after its time, so the daemon, which runs for days, does not hold the files (keys included) for its life', async () => {
    const file = join(dir, 'credentials');
    await writeFile(file, '[a]\nk = 1\n');
    forgetKeptReads();
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
    try {
      expect(await readAwsFile(file)).toBe('[a]\nk = 1\n');
      expect(keptReadCount()).toBeGreaterThan(0);
      jest.advanceTimersByTime(10_000);
      expect(keptReadCount()).toBe(0);
      // Reads that keep coming do not keep the first ones longer.
      const config = join(dir, 'config');
      await writeFile(config, '[profile a]\nregion = eu-west-1\n');
      await readAwsFile(file);
      jest.advanceTimersByTime(6_000);
      await readAwsFile(config);
      expect(keptReadCount()).toBe(2);
      jest.advanceTimersByTime(4_000);
      expect(keptReadCount()).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('a file read while it was still changing is read again, whatever its stat says', async () => {
    const file = join(dir, 'credentials');
    await writeFile(file, '[a]\nk = 1\n');
    expect(await readAwsFile(file)).toBe('[a]\nk = 1\n');
    // Within the tick of the first write, this one may leave size, mtime and ctime as they were.
    writeFileSync(file, '[a]\nk = 2\n');

    expect(await readAwsFile(file)).toBe('[a]\nk = 2\n');
  });
});

describe('updateAwsFile', () => {
  it('creates the file 0600 in a new 0700 directory', async () => {
    const file = join(dir, '.aws', 'credentials');

    const result = await updateAwsFile(file, (text) => setSection(text, 'p', [['aws_access_key_id', 'A']]));

    expect(result).toEqual({ changed: true });
    expect(await readFile(file, 'utf8')).toBe('[p]\naws_access_key_id = A\n');
    expect(await modeOf(file)).toBe(0o600);
    expect(await modeOf(join(dir, '.aws'))).toBe(0o700);
    expect(await readdir(join(dir, '.aws'))).toEqual(['credentials']);
  });

  it('edits surgically and tightens the mode', async () => {
    const file = join(dir, 'credentials');
    await writeFile(file, ORIGINAL);
    await chmod(file, 0o644);

    await updateAwsFile(file, (text) => setSection(text, 'p', [['aws_access_key_id', 'A']]));

    expect(await readFile(file, 'utf8')).toBe(`${ORIGINAL}\r\n[p]\r\naws_access_key_id = A\r\n`);
    expect(await modeOf(file)).toBe(0o600);
  });

  it('does not rewrite an unchanged file but still makes it 0600', async () => {
    const file = join(dir, 'credentials');
    await writeFile(file, ORIGINAL);
    await chmod(file, 0o644);
    const before = await stat(file);

    const result = await updateAwsFile(file, (text) => setSection(text, 'default', [['aws_access_key_id', 'AKIA']]));

    expect(result).toEqual({ changed: false });
    expect((await stat(file)).ino).toBe(before.ino);
    expect(await modeOf(file)).toBe(0o600);
  });

  it('leaves an unparseable file untouched and names it and the line', async () => {
    const file = join(dir, 'credentials');
    const broken = '[a]\nk = 1\nthis line is broken\n';
    await writeFile(file, broken);

    const failure = updateAwsFile(file, (text) => setSection(text, 'p', [['k', 'v']]));

    await expect(failure).rejects.toThrow(IniParseError);
    await expect(failure).rejects.toMatchObject({ line: 3, file: displayPath(file) });
    await expect(failure).rejects.toThrow(`cannot parse ${displayPath(file)} line 3:`);
    expect(await readFile(file, 'utf8')).toBe(broken);
    expect(existsSync(file + AWS_FILE_LOCK_SUFFIX)).toBe(false);
  });

  it('releases the lock when the edit throws', async () => {
    const file = join(dir, 'credentials');
    await expect(
      updateAwsFile(file, () => {
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(existsSync(file + AWS_FILE_LOCK_SUFFIX)).toBe(false);
    expect(existsSync(file)).toBe(false);
  });

  it('locks beside the real file when the path is a symlink, and keeps the link', async () => {
    await mkdir(join(dir, 'dotfiles'));
    const real = join(dir, 'dotfiles', 'credentials');
    const link = join(dir, 'credentials');
    await writeFile(real, ORIGINAL);
    await symlink(real, link);
    let lockSeen = false;

    await updateAwsFile(link, (text) => {
      lockSeen = existsSync(real + AWS_FILE_LOCK_SUFFIX);
      return setSection(text, 'p', [['k', 'v']]);
    });

    expect(lockSeen).toBe(true);
    expect(existsSync(link + AWS_FILE_LOCK_SUFFIX)).toBe(false);
    expect(getSection(await readFile(link, 'utf8'), 'p')).toEqual({ k: 'v' });
    expect(await readdir(dir)).toEqual(['credentials', 'dotfiles']);
  });

  it('gives up on a lock that another process keeps fresh', async () => {
    const file = join(dir, 'credentials');
    await mkdir(file + AWS_FILE_LOCK_SUFFIX);

    const failure = updateAwsFile(file, () => 'x', { lock: { waitMs: 300 } });

    await expect(failure).rejects.toThrow(AwsFileLockedError);
    await expect(failure).rejects.toThrow(/is locked by another anwbis process/);
    await expect(failure).rejects.toMatchObject({ next: expect.stringMatching(/try again in a moment/) });
    expect(existsSync(file)).toBe(false);
  });

  it('takes over a lock left by a dead process', async () => {
    const file = join(dir, 'credentials');
    const lockPath = file + AWS_FILE_LOCK_SUFFIX;
    await mkdir(lockPath);
    const longAgo = new Date(Date.now() - 60_000);
    await utimes(lockPath, longAgo, longAgo);

    await updateAwsFile(file, () => '[p]\n');

    expect(await readFile(file, 'utf8')).toBe('[p]\n');
    expect(existsSync(lockPath)).toBe(false);
  });

  // Sixteen turns at a real lock, polled on timers: well past a unit test's 10 s on a loaded
  // machine (seen at a load of 40), though nothing is wrong.
  it('serialises 16 concurrent writers in one process without losing an update', async () => {
    const file = join(dir, 'credentials');
    await writeFile(file, ORIGINAL);

    await Promise.all(
      Array.from({ length: 16 }, (_, n) =>
        updateAwsFile(file, (text) => setSection(text, `profile-${n}`, [['aws_access_key_id', `KEY${n}`]])),
      ),
    );

    const text = await readFile(file, 'utf8');
    expect(text.startsWith(ORIGINAL)).toBe(true);
    for (let n = 0; n < 16; n++) expect(getSection(text, `profile-${n}`)).toEqual({ aws_access_key_id: `KEY${n}` });
    expect(await readdir(dir)).toEqual(['credentials']);
  }, 300_000);

  it('serialises 16 processes incrementing one counter without losing an update', async () => {
    const file = join(dir, 'credentials');
    await writeFile(file, ORIGINAL);
    const child = join(dir, 'child.mjs');
    await writeCoreScript(
      child,
      `const { updateAwsFile, getSection, setSection } = core;
const [file, name, rounds] = args;
for (let i = 0; i < Number(rounds); i++) {
  await updateAwsFile(file, (text) => {
    const count = Number(getSection(text, 'shared')?.counter ?? '0');
    return setSection(setSection(text, 'shared', [['counter', String(count + 1)]]), name, [['round', String(i)]]);
  });
}
`,
    );
    const run = async (n: number): Promise<void> => {
      const { code, stderr } = await startCoreScript(child, CREDENTIALS_FILE_MODULE, [file, `p${n}`, '5']).exit;
      if (code !== 0) throw new Error(`child ${n} exited ${code}: ${stderr}`);
    };

    await Promise.all(Array.from({ length: 16 }, (_, n) => run(n)));

    const text = await readFile(file, 'utf8');
    expect(text.startsWith(ORIGINAL)).toBe(true);
    expect(getSection(text, 'shared')).toEqual({ counter: '80' });
    for (let n = 0; n < 16; n++) expect(getSection(text, `p${n}`)).toEqual({ round: '4' });
    expect(await readdir(dir)).toEqual(['child.mjs', 'credentials']);
  }, 300_000);

  it('a writer stalled past the stale time no longer renames its older copy over the section another wrote meanwhile', async () => {
    const file = join(dir, 'credentials');
    // A large file, as in the report: the stalled writer's copy is a full one.
    const filler = Array.from({ length: 20_000 }, (_, n) => `[filler-${n}]\nkey = ${'v'.repeat(20)}\n`).join('');
    await writeFile(file, ORIGINAL + filler);
    const child = join(dir, 'stalled.mjs');
    // The first edit stalls its whole process (no heartbeat either), as SIGSTOP or a slow parse would.
    await writeCoreScript(
      child,
      `let stalled = false;
await core.updateAwsFile(args[0], (text) => {
  if (!stalled) {
    stalled = true;
    console.log('editing');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3000);
  }
  return core.setSection(text, 'a', [['aws_access_key_id', 'AKIAA']]);
}, { lock: { staleMs: 500 } });
console.log('written');
`,
    );
    const stalled = startCoreScript(child, CREDENTIALS_FILE_MODULE, [file]);
    await stalled.line(/^editing$/);

    await updateAwsFile(file, (text) => setSection(text, 'b', [['aws_access_key_id', 'AKIAB']]), { lock: { staleMs: 500 } });
    const { code, stderr } = await stalled.exit;

    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const text = await readFile(file, 'utf8');
    expect(getSection(text, 'a')).toEqual({ aws_access_key_id: 'AKIAA' });
    expect(getSection(text, 'b')).toEqual({ aws_access_key_id: 'AKIAB' });
    expect(text.startsWith(ORIGINAL + filler)).toBe(true);
  }, 60_000);

  it('a file replaced by another tool during the edit is edited again, not overwritten', async () => {
    const file = join(dir, 'credentials');
    await writeFile(file, ORIGINAL);
    const seen: string[] = [];

    await updateAwsFile(file, (text) => {
      // What `aws configure set` does meanwhile, without anwbis's lock.
      if (seen.length === 0) writeFileSync(file, `${text}\n[cli]\nregion = eu-west-1\n`);
      seen.push(text);
      return setSection(text, 'p', [['k', 'v']]);
    });

    const text = await readFile(file, 'utf8');
    expect(seen).toHaveLength(2);
    expect(getSection(text, 'cli')).toEqual({ region: 'eu-west-1' });
    expect(getSection(text, 'p')).toEqual({ k: 'v' });
  });

  it('temporary files left by killed writers are removed on the next write', async () => {
    const file = join(dir, 'credentials');
    await writeFile(file, ORIGINAL);
    const old = ['.credentials.0123456789abcdef.tmp', '.credentials.fedcba9876543210.tmp'];
    const kept = ['.credentials.00112233445566ff.tmp', '.credentials.bak', '.config.0123456789abcdef.tmp', 'credentials.0123456789abcdef.tmp'];
    const longAgo = new Date(Date.now() - 5 * 60_000);
    for (const name of [...old, ...kept]) {
      await writeFile(join(dir, name), ORIGINAL);
      if (name !== kept[0]) await utimes(join(dir, name), longAgo, longAgo);
    }

    await updateAwsFile(file, (text) => setSection(text, 'p', [['k', 'v']]));

    expect((await readdir(dir)).sort()).toEqual(['credentials', ...kept].sort());
  });
});

describe('file errors are clear, and nothing is written', () => {
  const asNobody = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : undefined;

  async function fileError(run: Promise<unknown>): Promise<{ name: string; code: string; message: string; next: string | undefined }> {
    const error = await rejectedAnwbisError(run);
    expect(error).toBeInstanceOf(CredentialsFileError);
    expect(error.kind).toBe('file');
    return { name: error.name, code: (error as AwsFileAccessError).code, message: error.message, next: error.next };
  }

  it('the credentials path being a directory is an EISDIR file error, not a bug', async () => {
    const file = join(dir, 'credentials');
    await mkdir(file);
    const shown = displayPath(file);
    const expected = { name: 'AwsFileAccessError', code: 'EISDIR', message: `cannot write ${shown}: ${shown} is a directory, not a file`, next: expect.stringContaining('move the directory away') };

    expect(await fileError(updateAwsFile(file, (text) => setSection(text, 'p', [['k', 'v']])))).toEqual(expected);
    expect(await fileError(assertAwsFileWritable(file))).toEqual(expected);
    expect(await fileError(readAwsFile(file))).toMatchObject({ code: 'EISDIR', message: `cannot read ${shown}: ${shown} is a directory, not a file` });
    expect(await readdir(dir)).toEqual(['credentials']);
  });

  it('a symlink loop is an ELOOP file error, not a bug', async () => {
    const file = join(dir, 'credentials');
    await symlink('other', file);
    await symlink('credentials', join(dir, 'other'));

    expect(await fileError(updateAwsFile(file, () => '[p]\n'))).toMatchObject({ code: 'ELOOP', message: expect.stringContaining('is a loop of symbolic links') });
    expect(await fileError(assertAwsFileWritable(file))).toMatchObject({ code: 'ELOOP' });
  });

  it('a path through a file is an ENOTDIR file error', async () => {
    await writeFile(join(dir, 'aws'), '');
    expect(await fileError(assertAwsFileWritable(join(dir, 'aws', 'credentials')))).toMatchObject({ code: 'ENOTDIR' });
    expect(await fileError(updateAwsFile(join(dir, 'aws', 'credentials'), () => '[p]\n'))).toMatchObject({ code: 'ENOTDIR' });
  });

  it('a read-only directory fails at once with a file error instead of waiting on lock retries and crashing', async () => {
    const aws = join(dir, '.aws');
    await mkdir(aws);
    await writeFile(join(aws, 'credentials'), ORIGINAL);
    await chmod(dir, 0o755);
    await chmod(join(aws, 'credentials'), 0o644);
    if (asNobody) await chown(aws, asNobody.uid, asNobody.gid);
    await chmod(aws, 0o555);
    const script = join(dir, 'readonly.mjs');
    await writeCoreScript(
      script,
      `const report = (error) => ({ name: error.name, code: error.code, message: error.message });
const file = args[0] + '/credentials';
const check = await core.assertAwsFileWritable(file).then(() => 'ok', report);
const update = await core.updateAwsFile(file, (text) => core.setSection(text, 'p', [['k', 'v']]), { lock: { waitMs: 600000 } }).then(() => 'ok', report);
console.log(JSON.stringify({ check, update }));
`,
    );

    const { stdout, stderr } = await startCoreScript(script, CREDENTIALS_FILE_MODULE, [aws], asNobody).exit;

    const expected = { name: 'AwsFileAccessError', code: 'EACCES', message: `cannot write ${join(aws, 'credentials')}: permission denied on ${join(aws, 'credentials')} or its directory ${aws}` };
    expect({ stdout: JSON.parse(stdout), stderr }).toEqual({ stdout: { check: expected, update: expected }, stderr: '' });
    expect(await readFile(join(aws, 'credentials'), 'utf8')).toBe(ORIGINAL);
    expect(await readdir(aws)).toEqual(['credentials']);
  }, 30_000);

  it.each([
    { mode: 0o400, shown: '0400' },
    { mode: 0o440, shown: '0440' },
    { mode: 0o444, shown: '0444' },
  ])('a read-only file (mode $shown) is refused, not silently replaced', async ({ mode, shown }) => {
    const file = join(dir, 'credentials');
    await writeFile(file, ORIGINAL);
    await chmod(file, mode);

    const refused = { name: 'AwsFileRefusedError', message: `refusing to write ${displayPath(file)}: it is read-only (mode ${shown})` };
    expect(await fileError(updateAwsFile(file, (text) => setSection(text, 'p', [['k', 'v']])))).toMatchObject(refused);
    expect(await fileError(assertAwsFileWritable(file))).toMatchObject(refused);
    expect(await readFile(file, 'utf8')).toBe(ORIGINAL);
    expect(await modeOf(file)).toBe(mode);
  });

  it('a file with more than one hard link is refused, not split from its other names', async () => {
    const file = join(dir, 'credentials');
    await writeFile(file, ORIGINAL);
    await link(file, join(dir, 'credentials.backup'));

    const refused = { name: 'AwsFileRefusedError', next: expect.stringContaining('symbolic links') };
    expect(await fileError(updateAwsFile(file, (text) => setSection(text, 'p', [['k', 'v']])))).toMatchObject(refused);
    expect(await fileError(assertAwsFileWritable(file))).toMatchObject(refused);
    expect(await readFile(file, 'utf8')).toBe(ORIGINAL);
    expect((await stat(file)).nlink).toBe(2);
  });

  // A served shell's AWS_SHARED_CREDENTIALS_FILE is /dev/null: anwbis run as root renamed a new
  // file over it, and /dev/null became a 0600 regular file for the whole machine.
  it('a device (a served shell\'s /dev/null) is refused, not replaced by a regular file', async () => {
    const file = join(dir, 'null');
    // A null device of the test's own (mknod needs root, as the replacement did).
    if (process.getuid?.() !== 0) return;
    execFileSync('mknod', ['-m', '666', file, 'c', '1', '3']);

    const refused = { name: 'AwsFileRefusedError', message: `refusing to write ${displayPath(file)}: it is not a regular file (a device, pipe or socket)` };
    expect(await fileError(assertAwsFileWritable(file))).toMatchObject(refused);
    expect(await fileError(updateAwsFile(file, (text) => setSection(text, 'p', [['k', 'v']])))).toMatchObject(refused);
    expect((await stat(file)).isCharacterDevice()).toBe(true);
  });

  it('accepts a writable file, a missing one and a missing directory', async () => {
    await writeFile(join(dir, 'credentials'), ORIGINAL);
    await assertAwsFileWritable(join(dir, 'credentials'));
    await assertAwsFileWritable(join(dir, 'config'));
    await assertAwsFileWritable(join(dir, 'new', '.aws', 'credentials'));
    expect(await readdir(dir)).toEqual(['credentials']);
  });
});

(process.getuid?.() === 0 ? describe : describe.skip)('run as root (sudo keeping the user\'s HOME)', () => {
  it("a user's file keeps its owner and group instead of becoming root's", async () => {
    const file = join(dir, 'credentials');
    await writeFile(file, ORIGINAL);
    await chown(file, 65534, 65533);

    await updateAwsFile(file, (text) => setSection(text, 'p', [['k', 'v']]));

    expect(await stat(file)).toMatchObject({ uid: 65534, gid: 65533 });
    expect(getSection(await readFile(file, 'utf8'), 'p')).toEqual({ k: 'v' });
  });

  it('keeps a mode stricter than 0600 (root can read a write-only file)', async () => {
    const file = join(dir, 'credentials');
    await writeFile(file, ORIGINAL);
    await chmod(file, 0o200);

    await updateAwsFile(file, (text) => setSection(text, 'p', [['k', 'v']]));

    expect(await modeOf(file)).toBe(0o200);
  });

  it('a full disk is an ENOSPC file error, before the MFA code and on the write, not a bug', async () => {
    // A small file system of its own to fill: root may mount one.
    const full = join(dir, 'full');
    await mkdir(full);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k,mode=0700', 'tmpfs', full]);
    try {
      const file = join(full, 'credentials');
      await writeFile(file, ORIGINAL, { mode: 0o600 });
      const space = await statfs(full);
      await writeFile(join(full, 'filler'), Buffer.alloc(Number(space.bfree * space.bsize) - 8192));
      const shown = displayPath(file);
      const expected = { name: 'AwsFileAccessError', code: 'ENOSPC', message: `cannot write ${shown}: no space left on the device that holds ${displayPath(full)}` };

      expect(await rejectedAnwbisError(assertAwsFileWritable(file))).toMatchObject({ ...expected, kind: 'file' });
      const big = 'x'.repeat(64 * 1024);
      expect(await rejectedAnwbisError(updateAwsFile(file, (text) => setSection(text, 'p', [['k', big]])))).toMatchObject({ ...expected, kind: 'file' });
      expect(await readFile(file, 'utf8')).toBe(ORIGINAL);
      expect((await readdir(full)).sort()).toEqual(['credentials', 'filler']);
    } finally {
      execFileSync('umount', [full]);
    }
  });

  it("a new file in the user's directory belongs to the user", async () => {
    await chown(dir, 65534, 65534);
    await updateAwsFile(join(dir, 'config'), () => '[default]\n');
    expect(await stat(join(dir, 'config'))).toMatchObject({ uid: 65534, gid: 65534 });
  });
});

describe('displayPath', () => {
  it.each([
    { path: join(homedir(), '.aws', 'credentials'), shown: '~/.aws/credentials' },
    { path: `${homedir()}x/credentials`, shown: `${homedir()}x/credentials` },
    { path: '/etc/aws/credentials', shown: '/etc/aws/credentials' },
  ])('$path', ({ path, shown }) => {
    expect(displayPath(path)).toBe(shown);
  });
});
