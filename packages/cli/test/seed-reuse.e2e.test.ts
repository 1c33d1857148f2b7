import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { conventionScenario, run, runAnwbis, ANWBIS_BIN } from '@anwbis/tools/emulator';
import { emulatorWorld, EXIT, expectOk, expectRefused, snapshot, writeLoadTrace } from './helpers.js';

/**
 * Every command line of the original README that reuses a still-valid profile runs on the fast
 * path (the small bundle alone: no oclif, zod, AWS SDK or command bundle), says what the full command says, calls nothing and changes
 * no file. Each line is first run once to write its profile, as a person would.
 */
const USER = 'luis.gonzalez';
const world = emulatorWorld(() =>
  conventionScenario({
    users: [USER],
    projects: { datalab: { envs: { dev: '222222222222' }, roles: ['admin', 'devops'] } },
    contractors: [{ project: 'datalab', env: 'dev', name: 'acme', externalId: 'acme-7f3a' }],
  }),
);

const anwbis = (line: string) => runAnwbis(line.split(' '), { env: world.sandbox.env });

/** The README's line, what runs first to write its profile, and what it says it reuses. */
const SEED_REUSES: ReadonlyArray<{ readonly line: string; readonly before: readonly string[]; readonly profile: string; readonly session?: string }> = [
  { line: '-p datalab -e dev -r admin', before: ['-p datalab -e dev -r admin --mfa-code 123456'], profile: 'datalab-dev-admin' },
  {
    line: '--profile corp -p datalab -e dev -r admin --get_session',
    before: ['--profile corp -p datalab -e dev -r admin --get_session --mfa-code 123456'],
    profile: 'datalab-dev-admin',
    session: 'corp-session-corp',
  },
  {
    line: '--profile corp -p datalab -e dev -r contractor -c acme -ext acme-7f3a',
    before: ['--profile corp -p datalab -e dev -r contractor -c acme -ext acme-7f3a --mfa-code 123456'],
    profile: 'datalab-dev-contractor-acme',
  },
  {
    line: '--profile corp-session-default -p datalab -e dev -r devops --nomfa',
    before: ['session --mfa-code 123456', '--profile corp-session-default -p datalab -e dev -r devops --nomfa'],
    profile: 'datalab-dev-devops',
  },
];

describe('the original README lines that reuse a profile', () => {
  it.each(SEED_REUSES)('anwbis $line: on the fast path, in the full command’s words, no AWS call, no file changed', async ({ line, before, profile, session }) => {
    const keys = world.seeded.users[USER]!;
    world.sandbox.write('credentials', `${world.sandbox.read('credentials')}\n[corp]\naws_access_key_id = ${keys.accessKeyId}\naws_secret_access_key = ${keys.secretAccessKey}\n`);
    for (const first of before) expectOk(await anwbis(first));
    const files = snapshot(world.sandbox);
    const dir = mkdtempSync(join(tmpdir(), 'anwbis-trace-'));
    try {
      const { hook, loaded } = writeLoadTrace(dir);
      await world.moto.startRecording();
      const fast = await run(process.execPath, ['--import', hook, ANWBIS_BIN, ...line.split(' ')], { env: world.sandbox.env });
      expect(fast).toMatchObject({ code: 0, stdout: '' });
      const sessionLine = session ? `\\[ OK \\] Reusing corp session ${session}: valid until \\S+Z\\n` : '';
      expect(fast.stderr).toMatch(new RegExp(`^${sessionLine}\\[ OK \\] Reusing profile ${profile}: still valid until \\S+Z\\n$`));
      // The small bundle alone: not the command's (dist/fast/bundle/), let alone oclif's entry.
      expect(loaded().join('')).not.toMatch(/@aws-sdk|@smithy|@oclif|zod|entry\.js|dist\/fast\/bundle\//);
      // -v is not a fast-path flag: the full command, whose words the fast path repeats.
      const full = await anwbis(`${line} -v`);
      expectOk(full);
      for (const said of fast.stderr.trimEnd().split('\n')) expect(full.stderr).toContain(said);
      expect(await world.moto.recording()).toEqual([]);
      expect(snapshot(world.sandbox)).toEqual(files);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a reuse with an --mfa-code that is not six digits is refused, as by the full command, not answered by the fast path', async () => {
    expectOk(await anwbis('-p datalab -e dev -r admin --mfa-code 123456'));
    const files = snapshot(world.sandbox);
    expectRefused(await anwbis('-p datalab -e dev -r admin --mfa-code 12345'), EXIT.mfa, /not six digits/);
    // --nomfa: no code is used, so none is checked.
    expectOk(await anwbis('-p datalab -e dev -r admin --mfa-code 12345 --nomfa'));
    expect(snapshot(world.sandbox)).toEqual(files);
  });
});
