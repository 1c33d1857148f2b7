import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AWS_FILE_LOCK_SUFFIX, displayPath, readAwsFile, updateAwsFile } from './aws-file.js';
import { AwsFileEncodingError, AwsFileLockedError, IniParseError } from './errors.js';
import { getSection, setSection } from './ini-edit.js';

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

    const failure = updateAwsFile(file, () => 'x', { lock: { retries: 2 } });

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

    await updateAwsFile(file, () => '[p]\n', { lock: { retries: 2 } });

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
    // Runs this module's TypeScript source directly: Node strips the types, and the hook maps
    // the `.js` specifiers NodeNext requires onto the `.ts` files beside them.
    await writeFile(
      child,
      `import { registerHooks } from 'node:module';
registerHooks({
  resolve(specifier, context, next) {
    try {
      return next(specifier, context);
    } catch (error) {
      if (specifier.startsWith('.') && specifier.endsWith('.js')) return next(specifier.slice(0, -3) + '.ts', context);
      throw error;
    }
  },
});
const { updateAwsFile, getSection, setSection } = await import(process.argv[2]);
const [file, name, rounds] = process.argv.slice(3);
for (let i = 0; i < Number(rounds); i++) {
  await updateAwsFile(file, (text) => {
    const count = Number(getSection(text, 'shared')?.counter ?? '0');
    return setSection(setSection(text, 'shared', [['counter', String(count + 1)]]), name, [['round', String(i)]]);
  });
}
`,
    );
    const entry = fileURLToPath(new URL('./index.ts', import.meta.url));
    const run = (n: number): Promise<void> =>
      new Promise((resolve, reject) => {
        const proc = spawn(process.execPath, ['--no-warnings', child, entry, file, `p${n}`, '5'], { stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        proc.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        proc.on('error', reject);
        proc.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`child ${n} exited ${code}: ${stderr}`))));
      });

    await Promise.all(Array.from({ length: 16 }, (_, n) => run(n)));

    const text = await readFile(file, 'utf8');
    expect(text.startsWith(ORIGINAL)).toBe(true);
    expect(getSection(text, 'shared')).toEqual({ counter: '80' });
    for (let n = 0; n < 16; n++) expect(getSection(text, `p${n}`)).toEqual({ round: '4' });
    expect(await readdir(dir)).toEqual(['child.mjs', 'credentials']);
  }, 300_000);
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
