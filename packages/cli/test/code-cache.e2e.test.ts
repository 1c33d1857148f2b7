import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DEFAULT_SETTINGS, resolveRequest } from '@anwbis/core';
import { ANWBIS_BIN, createSandbox, runAnwbis, type Sandbox } from '@anwbis/tools/emulator';
import { expectOk, modeOf } from './helpers.js';

/**
 * bin/run.js keeps the compiled code of the small bundle (and Node's compile cache) in the
 * user's own cache directory, never in a place another local user can write, and answers the
 * same whether that code is there, missing, refused by V8, or not to be trusted.
 */
const BUNDLE = join(dirname(ANWBIS_BIN), '..', 'dist', 'fast', 'fast.bundle.cjs');
const CACHE_HIT = ['credential-process', '-p', 'datalab', '-e', 'dev', '-r', 'admin'];

let sandbox: Sandbox;
let env: Record<string, string>;
let answer: string;

beforeEach(() => {
  sandbox = createSandbox();
  // The default place: ~/.cache/anwbis.
  const { XDG_CACHE_HOME: _shared, ...rest } = sandbox.env;
  env = rest;
  // What a credential-process that fetched would have cached for this request.
  const { target, key } = resolveRequest({ target: { project: 'datalab', env: 'dev', role: 'admin' } }, DEFAULT_SETTINGS, env);
  const expiration = new Date(Date.now() + 3600_000).toISOString();
  const record = {
    version: 1,
    profile: target.profileName,
    requestKey: key,
    region: 'eu-west-1',
    roleArn: `arn:aws:iam::222222222222:role/${target.roleName}`,
    accessKeyId: 'ASIACACHED',
    secretAccessKey: 'cached-secret',
    sessionToken: 'cached-token',
    expiration,
  };
  mkdirSync(join(sandbox.anwbisHome, 'credentials'), { recursive: true, mode: 0o700 });
  writeFileSync(join(sandbox.anwbisHome, 'credentials', `${target.profileName}.json`), JSON.stringify(record), { mode: 0o600 });
  answer = `${JSON.stringify({ Version: 1, AccessKeyId: 'ASIACACHED', SecretAccessKey: 'cached-secret', SessionToken: 'cached-token', Expiration: expiration })}\n`;
});

afterEach(() => sandbox.remove());

const cacheDir = () => join(sandbox.dir, '.cache', 'anwbis', `node-${process.version}-${process.arch}`);
const bundleId = () => /\/\/# anwbis-bundle-id=([0-9a-f]{32})\n$/.exec(readFileSync(BUNDLE, 'utf8'))![1]!;
const codeCacheFile = () => join(cacheDir(), `fast-${bundleId()}-credential-process.v8`);

async function cacheHit(): Promise<void> {
  const res = await runAnwbis(CACHE_HIT, { env });
  expectOk(res);
  expect(JSON.parse(res.stdout)).toEqual(JSON.parse(answer));
}

describe("the small bundle's compiled code", () => {
  it('is kept in ~/.cache/anwbis, 0700 and 0600, written once and then used as it is', async () => {
    await cacheHit();
    expect(modeOf(join(sandbox.dir, '.cache', 'anwbis'))).toBe('700');
    expect(modeOf(cacheDir())).toBe('700');
    expect(modeOf(codeCacheFile())).toBe('600');
    const first = statSync(codeCacheFile());
    expect(first.size).toBeGreaterThan(10_000);
    await cacheHit();
    const second = statSync(codeCacheFile());
    expect({ ino: second.ino, mtime: second.mtimeMs }).toEqual({ ino: first.ino, mtime: first.mtimeMs });
    // Node's own compile cache (the full CLI, the command bundles) is there too, not under /tmp.
    expect(readdirSync(cacheDir()).some((name) => name.startsWith(`${process.version}-`))).toBe(true);
  });

  it('that V8 refuses (another build, damaged) is replaced, and the answer is the same', async () => {
    mkdirSync(cacheDir(), { recursive: true, mode: 0o700 });
    writeFileSync(codeCacheFile(), Buffer.alloc(4096, 7), { mode: 0o600 });
    await cacheHit();
    const written = readFileSync(codeCacheFile());
    expect(written.length).toBeGreaterThan(10_000);
    expect(written.equals(Buffer.alloc(written.length, 7))).toBe(false);
    await cacheHit();
  });

  it('is neither kept nor read where another user could write: the answer is the same, from the source', async () => {
    mkdirSync(cacheDir(), { recursive: true, mode: 0o700 });
    chmodSync(join(sandbox.dir, '.cache', 'anwbis'), 0o777);
    // Left by whoever could write there: taken, it would be the code that runs.
    writeFileSync(codeCacheFile(), Buffer.alloc(4096, 7), { mode: 0o600 });
    await cacheHit();
    expect(readdirSync(cacheDir())).toEqual([`fast-${bundleId()}-credential-process.v8`]);
    expect(readFileSync(codeCacheFile()).equals(Buffer.alloc(4096, 7))).toBe(true);
  });

  (process.getuid?.() === 0 ? it : it.skip)('is not kept in a directory another user owns', async () => {
    mkdirSync(cacheDir(), { recursive: true, mode: 0o700 });
    chownSync(cacheDir(), 65534, 65534);
    await cacheHit();
    expect(readdirSync(cacheDir())).toEqual([]);
  });

  it("of another build is kept while it is in use (two anwbis side by side), and removed after a week unwritten", async () => {
    mkdirSync(cacheDir(), { recursive: true, mode: 0o700 });
    const other = (id: string) => join(cacheDir(), `fast-${id}-credential-process.v8`);
    writeFileSync(other('a'.repeat(32)), 'a global install', { mode: 0o600 });
    writeFileSync(other('b'.repeat(32)), 'an upgraded one', { mode: 0o600 });
    const eightDaysAgo = new Date(Date.now() - 8 * 24 * 3600 * 1000);
    utimesSync(other('b'.repeat(32)), eightDaysAgo, eightDaysAgo);
    await cacheHit();
    expect(existsSync(codeCacheFile())).toBe(true);
    expect(readFileSync(other('a'.repeat(32)), 'utf8')).toBe('a global install');
    expect(existsSync(other('b'.repeat(32)))).toBe(false);
  });

  (process.getuid?.() === 0 ? it : it.skip)("is not made by root under another user's HOME (sudo keeping HOME), which that user's runs would then refuse", async () => {
    chownSync(sandbox.dir, 65534, 65534);
    await cacheHit();
    expect(existsSync(join(sandbox.dir, '.cache'))).toBe(false);
  });

  it('is named by the content of the bundle, which its last line carries', () => {
    const text = readFileSync(BUNDLE, 'utf8');
    const body = text.slice(0, text.lastIndexOf('//# anwbis-bundle-id='));
    expect(createHash('sha256').update(body).digest('hex').slice(0, 32)).toBe(bundleId());
    expect(existsSync(BUNDLE)).toBe(true);
  });
});
