import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ANWBIS_BIN,
  bigAwsFiles,
  conventionScenario,
  createSandbox,
  runAnwbis,
  run,
  runAwsCli,
  seedScenario,
  startMoto,
  surround,
  type MotoServer,
  type Sandbox,
} from '@anwbis/tools/emulator';
import { expectOk, modeOf, waitFor } from './helpers.js';

const DEV = '222222222222';
const USER = 'luis.gonzalez';
const PROFILE = 'datalab-dev-admin';

let moto: MotoServer;
let seeded: Awaited<ReturnType<typeof seedScenario>>;
let sandbox: Sandbox;

beforeAll(async () => {
  moto = await startMoto();
  seeded = await seedScenario(moto.endpoint, conventionScenario({ users: [USER], projects: { datalab: { envs: { dev: DEV }, roles: ['admin'] } } }));
  sandbox = createSandbox({ endpoint: moto.endpoint, profiles: { default: seeded.users[USER]! } });
});
afterAll(async () => {
  sandbox?.remove();
  await moto?.stop();
});

/**
 * Writes an `--import` hook into `dir` that counts, by path, each time a Node process reads the
 * whole of one of `files` (`readFile` and `readFileSync`, and `readFile` of a handle `open` gave),
 * and writes the counts to `dir/reads-<pid>` as it exits.
 */
function writeReadCounter(dir: string, files: readonly string[]): { readonly hook: string; counts(): Record<string, number>[] } {
  const hook = join(dir, 'count-reads.mjs');
  writeFileSync(
    hook,
    `import fs from 'node:fs';\nimport { resolve } from 'node:path';\nimport { syncBuiltinESMExports } from 'node:module';\n` +
      `const watched = new Set(${JSON.stringify(files)});\nconst counts = {};\n` +
      `const count = (path) => { if (typeof path !== 'string') return; const file = resolve(path); if (watched.has(file)) counts[file] = (counts[file] ?? 0) + 1; };\n` +
      `const { open, readFile } = fs.promises;\n` +
      `fs.promises.open = async function (path, ...rest) { const handle = await open.call(this, path, ...rest); const read = handle.readFile; handle.readFile = function (...a) { count(path); return read.apply(this, a); }; return handle; };\n` +
      `fs.promises.readFile = function (path, ...rest) { count(path); return readFile.call(this, path, ...rest); };\n` +
      `const readFileSync = fs.readFileSync;\nfs.readFileSync = function (path, ...rest) { count(path); return readFileSync.call(this, path, ...rest); };\n` +
      `const readFileCb = fs.readFile;\nfs.readFile = function (path, ...rest) { count(path); return readFileCb.call(this, path, ...rest); };\n` +
      `syncBuiltinESMExports();\n` +
      `process.on('exit', () => fs.writeFileSync(${JSON.stringify(dir)} + '/reads-' + process.pid, JSON.stringify(counts)));\n`,
  );
  const counts = () =>
    readdirSync(dir)
      .filter((name) => name.startsWith('reads-'))
      .map((name) => JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, number>);
  return { hook, counts };
}

/** The text before and after `section` (its header up to the next blank line), which must not change. */
function around(text: string, header: string): { before: string; after: string } {
  const start = text.indexOf(header);
  const end = text.indexOf('\n\n', start);
  return { before: text.slice(0, start), after: text.slice(end) };
}

describe('20,000-line AWS files', () => {
  it('an assume rewrites only its own section of a 20,000-line credentials file and config, byte for byte, and a reuse changes nothing', async () => {
    const big = bigAwsFiles(20_000);
    // The profile anwbis writes already stands in the middle, with stale values, as after an earlier day's run.
    const stale = `[${PROFILE}]\naws_access_key_id = ASIASTALE\naws_secret_access_key = stale/secret=\naws_session_token = STALE\n`;
    sandbox.write('credentials', surround(`${sandbox.read('credentials')}\n${stale}`, big.credentials));
    sandbox.write('config', surround(`${sandbox.read('config')}\n[profile ${PROFILE}]\nregion = eu-west-1\n`, big.config));
    const credentialsBefore = sandbox.read('credentials');
    const configBefore = sandbox.read('config');
    expect(credentialsBefore.split('\n').length).toBeGreaterThan(20_000);

    expectOk(await runAnwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456'], { env: sandbox.env }));

    const credentialsAfter = sandbox.read('credentials');
    const was = around(credentialsBefore, `[${PROFILE}]`);
    const now = around(credentialsAfter, `[${PROFILE}]`);
    expect(now.before).toBe(was.before);
    expect(now.after).toBe(was.after);
    expect(credentialsAfter).not.toContain('STALE');
    expect(sandbox.read('config')).toBe(configBefore);
    expect(modeOf(sandbox.credentialsFile)).toBe('600');

    const reuse = await runAnwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin'], { env: sandbox.env });
    expectOk(reuse);
    expect(reuse.stderr).toContain(`Reusing profile ${PROFILE}`);
    expect(sandbox.read('credentials')).toBe(credentialsAfter);

    const id = await runAwsCli(['sts', 'get-caller-identity', '--profile', PROFILE], { env: sandbox.env, endpoint: moto.endpoint });
    expect(JSON.parse(id.stdout).Account).toBe(DEV);
  });

  it('a cold assume reads the 20,000-line credentials file and config once each, however many steps consult them (#22: it read them 4 and 5 times)', async () => {
    const box = createSandbox({ endpoint: moto.endpoint, profiles: { default: seeded.users[USER]! } });
    const dir = mkdtempSync(join(tmpdir(), 'anwbis-reads-'));
    try {
      const big = bigAwsFiles(20_000);
      box.write('credentials', surround(box.read('credentials'), big.credentials));
      box.write('config', surround(box.read('config'), big.config));
      // A file changed in the last 2 s is read again under the lock (a change within its
      // timestamp tick would not show): the files stand as a person's files do, unchanged a while.
      const changed = Math.max(statSync(box.credentialsFile).ctimeMs, statSync(box.configFile).ctimeMs);
      await waitFor('the AWS files to be over 2 s old', () => Date.now() - changed > 2_500, 10_000);
      const counter = writeReadCounter(dir, [box.credentialsFile, box.configFile]);

      const res = await run(process.execPath, ['--import', counter.hook, ANWBIS_BIN, '-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456'], { env: box.env });

      expectOk(res);
      expect(res.stderr).toContain(`Profile ${PROFILE} written to`);
      expect(counter.counts()).toEqual([{ [box.credentialsFile]: 1, [box.configFile]: 1 }]);
      expect(box.read('credentials')).toContain(`[${PROFILE}]`);
    } finally {
      box.remove();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
