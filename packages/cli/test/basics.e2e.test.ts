import { afterAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createSandbox, runAnwbis } from '@anwbis/tools/emulator';
import { EXIT, expectOk, expectRefused } from './helpers.js';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };

describe('anwbis basics', () => {
  const sandbox = createSandbox();
  const anwbis = (args: string[]) => runAnwbis(args, { env: sandbox.env });
  afterAll(() => sandbox.remove());

  it('--version prints oclif\'s version line', async () => {
    const res = await anwbis(['--version']);
    expect(res).toMatchObject({ code: EXIT.ok, stderr: '' });
    expect(res.stdout).toBe(`anwbis/${version} ${process.platform}-${process.arch} node-${process.version}\n`);
  });

  it('--help lists every command', async () => {
    const res = await anwbis(['--help']);
    expectOk(res);
    for (const command of ['assume', 'console', 'configure', 'credential-process', 'env', 'exec', 'session']) {
      expect(res.stdout).toMatch(new RegExp(`^\\s+${command}\\s`, 'm'));
    }
    // Issue 23 item 4: with no topic entry, oclif described the topic with `daemon install`'s summary.
    expect(res.stdout).toMatch(/^ {2}daemon +Keep watched profiles fresh in the background/m);
  });

  it('assume --help shows the flags of the original', async () => {
    const res = await anwbis(['assume', '--help']);
    expectOk(res);
    for (const flag of ['--iam_master_group', '-ext', '--get_session', '--from_ec2_role', '--nomfa', '-b, --browser']) expect(res.stdout).toContain(flag);
  });

  it('an unknown command is a usage error', async () => {
    const res = await anwbis(['frobnicate']);
    expectRefused(res, EXIT.usage, /command frobnicate not found/);
    expect(res.stdout).toBe('');
  });
});

// The flag mapping itself is tested in-process (src/commands/flags.test.ts); these checks
// live in the commands' run and so need the process.
describe('flag combinations', () => {
  const sandbox = createSandbox();
  afterAll(() => sandbox.remove());
  it.each([
    [['-p', 'a', '-e', 'b', '-r', 'c', '--from_ec2_role', '--profile', 'x'], /--from_ec2_role takes the instance role as its source/],
    [['-p', 'a', '-e', 'b', '-r', 'c', '--from_ec2_role', '--get_session'], /--from_ec2_role takes the instance role as its source/],
    [['-p', 'a', '-e', 'b', '-r', 'c', '-b', 'link', '--json'], /-b link prints the sign-in URL on stdout/],
  ])('%j is a usage error', async (args, message) => {
    const res = await runAnwbis(args, { env: sandbox.env });
    expectRefused(res, EXIT.usage, message);
    expect(res.stdout).toBe('');
  });
});

// Issue 23 item 8: oclif's "The following error occurred: Missing required flag role" had no
// next step and named the flag without its spelling.
describe('a missing flag or argument is reported in the error form, with an example as the next step', () => {
  const sandbox = createSandbox();
  afterAll(() => sandbox.remove());
  it.each([
    [['assume', '-p', 'datalab'], '[ ERROR ] missing -e/--env, -r/--role\n          for example: anwbis -p datalab -e dev -r admin (anwbis assume --help lists what it takes)\n'],
    [['configure', '-p', 'a', '-e', 'b', '-r', 'c'], '[ ERROR ] missing --credential-process\n          for example: anwbis configure -p datalab -e dev -r admin --credential-process (anwbis configure --help lists what it takes)\n'],
    [['autocomplete'], '[ ERROR ] missing SHELL (bash, zsh, fish)\n          for example: eval "$(anwbis autocomplete bash)" (anwbis autocomplete --help lists what it takes)\n'],
    [['roles', '--bogus'], '[ ERROR ] Nonexistent flag: --bogus\n          anwbis roles --help lists what it takes\n'],
    [['logout', '--all', '-p', 'x'], '[ ERROR ] --all=true cannot also be provided when using --project\n          anwbis logout --help lists what it takes\n'],
  ])('%j', async (args, stderr) => {
    const res = await runAnwbis(args, { env: sandbox.env });
    expect(res).toMatchObject({ code: EXIT.usage, stdout: '', stderr });
  });
});
