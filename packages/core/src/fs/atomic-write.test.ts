import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import { chmod, chown, lstat, mkdir, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensurePrivateDir, removeStaleTempFiles, resolveWriteTarget, writeFileAtomic } from './atomic-write.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'anwbis-atomic-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const modeOf = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;

describe('writeFileAtomic', () => {
  it('replaces a 0644 file with a 0600 one and leaves no temporary file', async () => {
    const file = join(dir, 'credentials');
    await writeFile(file, 'old');
    await chmod(file, 0o644);

    await writeFileAtomic(file, 'new\r\n');

    expect(await readFile(file, 'utf8')).toBe('new\r\n');
    expect(await modeOf(file)).toBe(0o600);
    expect(await readdir(dir)).toEqual(['credentials']);
  });

  it('creates missing parent directories with mode 0700', async () => {
    const file = join(dir, 'home', '.aws', 'credentials');

    await writeFileAtomic(file, 'x');

    expect(await readFile(file, 'utf8')).toBe('x');
    expect(await modeOf(file)).toBe(0o600);
    expect(await modeOf(join(dir, 'home'))).toBe(0o700);
    expect(await modeOf(join(dir, 'home', '.aws'))).toBe(0o700);
  });

  it('writes through a symlink, which stays a symlink', async () => {
    await mkdir(join(dir, 'dotfiles'));
    await mkdir(join(dir, '.aws'));
    const real = join(dir, 'dotfiles', 'credentials');
    const link = join(dir, '.aws', 'credentials');
    await writeFile(real, 'old');
    await symlink('../dotfiles/credentials', link);

    await writeFileAtomic(link, 'new');

    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe('../dotfiles/credentials');
    expect(await readFile(real, 'utf8')).toBe('new');
    expect(await modeOf(real)).toBe(0o600);
    expect(await readdir(join(dir, 'dotfiles'))).toEqual(['credentials']);
    expect(await readdir(join(dir, '.aws'))).toEqual(['credentials']);
  });

  it('creates the target of a dangling symlink chain', async () => {
    await symlink('second', join(dir, 'first'));
    await symlink(join(dir, 'store', 'credentials'), join(dir, 'second'));

    await writeFileAtomic(join(dir, 'first'), 'x');

    expect(await resolveWriteTarget(join(dir, 'first'))).toBe(join(dir, 'store', 'credentials'));
    expect(await readFile(join(dir, 'store', 'credentials'), 'utf8')).toBe('x');
    expect((await lstat(join(dir, 'first'))).isSymbolicLink()).toBe(true);
    expect((await lstat(join(dir, 'second'))).isSymbolicLink()).toBe(true);
  });

  it('refuses a symlink loop', async () => {
    await symlink('b', join(dir, 'a'));
    await symlink('a', join(dir, 'b'));
    await expect(writeFileAtomic(join(dir, 'a'), 'x')).rejects.toMatchObject({ code: 'ELOOP' });
  });

  it('removes its temporary file and leaves the target as it was when the rename fails', async () => {
    const target = join(dir, 'credentials');
    await mkdir(target);
    await writeFile(join(target, 'inside'), 'keep');

    await expect(writeFileAtomic(target, 'x')).rejects.toThrow();

    expect(await readdir(dir)).toEqual(['credentials']);
    expect(await readFile(join(target, 'inside'), 'utf8')).toBe('keep');
  });

  it('honours an explicit mode', async () => {
    const file = join(dir, 'config');
    await writeFileAtomic(file, 'x', { mode: 0o640 });
    expect(await modeOf(file)).toBe(0o640);
  });
});

describe('writeFileAtomic checks before it renames', () => {
  it('leaves the target as it was and removes its temporary file when the check throws', async () => {
    const file = join(dir, 'credentials');
    await writeFile(file, 'old');
    const refused = new Error('not ours any more');

    await expect(writeFileAtomic(file, 'new', { beforeRename: () => { throw refused; } })).rejects.toBe(refused);

    expect(await readFile(file, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['credentials']);
  });
});

describe('removeStaleTempFiles', () => {
  it('removes only our temporary files for that target that are older than a minute', async () => {
    const target = join(dir, 'credentials');
    const now = Date.now();
    const plant = async (name: string, ageMs: number): Promise<void> => {
      await writeFile(join(dir, name), 'copy of secrets');
      const when = new Date(now - ageMs);
      await utimes(join(dir, name), when, when);
    };
    await plant('.credentials.0123456789abcdef.tmp', 120_000);
    await plant('.credentials.aaaaaaaaaaaaaaaa.tmp', 10_000);
    await plant('.credentials.0123456789abcdeg.tmp', 120_000);
    await plant('.credentials.0123456789abcdef.tmp.keep', 120_000);
    await plant('.config.0123456789abcdef.tmp', 120_000);
    await mkdir(join(dir, '.credentials.bbbbbbbbbbbbbbbb.tmp'));

    await removeStaleTempFiles(target, now);

    expect((await readdir(dir)).sort()).toEqual(
      ['.config.0123456789abcdef.tmp', '.credentials.0123456789abcdeg.tmp', '.credentials.0123456789abcdef.tmp.keep', '.credentials.aaaaaaaaaaaaaaaa.tmp', '.credentials.bbbbbbbbbbbbbbbb.tmp'].sort(),
    );
  });
});

(process.getuid?.() === 0 ? describe : describe.skip)('writeFileAtomic run as root', () => {
  it("keeps a file's owner and group", async () => {
    const file = join(dir, 'state.json');
    await writeFile(file, 'old');
    await chown(file, 65534, 65533);
    await writeFileAtomic(file, 'new');
    expect(await stat(file)).toMatchObject({ uid: 65534, gid: 65533 });
  });

  it("gives a new file the directory's owner", async () => {
    await chown(dir, 65534, 65534);
    await writeFileAtomic(join(dir, 'state.json'), 'x');
    expect(await stat(join(dir, 'state.json'))).toMatchObject({ uid: 65534, gid: 65534 });
  });

  it("missing directories made in the user's HOME are the user's, not root's (sudo keeping HOME left ~/.local root's, 0700)", async () => {
    await chown(dir, 65534, 65533);
    await writeFileAtomic(join(dir, '.local', 'state', 'anwbis', 'profiles', 'p.json'), 'x');
    await ensurePrivateDir(join(dir, '.local', 'state', 'anwbis', 'locks'));
    for (const path of ['.local', '.local/state', '.local/state/anwbis', '.local/state/anwbis/profiles', '.local/state/anwbis/locks', '.local/state/anwbis/profiles/p.json']) {
      expect({ path, ...(await stat(join(dir, path))) }).toMatchObject({ path, uid: 65534, gid: 65533 });
    }
  });

  it("leaves a directory made in one of root's as root's", async () => {
    await ensurePrivateDir(join(dir, 'a', 'b'));
    expect(await stat(join(dir, 'a', 'b'))).toMatchObject({ uid: 0, gid: 0 });
  });
});
