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
