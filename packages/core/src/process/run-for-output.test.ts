import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rejectedAnwbisError } from '../testing/caught.js';
import { startCoreScript, writeCoreScript } from '../testing/core-child.js';
import { runMfaProcess } from './run-for-output.js';

/** Live (not zombie) processes whose process group is `pgid`. */
function liveMembers(pgid: number): string[] {
  const table = execFileSync('ps', ['-e', '-o', 'pgid=,pid=,stat=,args='], { encoding: 'utf8' });
  return table
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([group, , stat]) => Number(group) === pgid && !stat?.startsWith('Z'))
    .map((fields) => fields.slice(1).join(' '));
}

/** Polls `probe` until it gives a value (a generous limit: the machine may be busy). */
async function waitFor<T>(probe: () => T | undefined): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('gave up waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('runMfaProcess', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'anwbis-run-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('returns what the command printed, run without a shell', async () => {
    await expect(runMfaProcess(`sh -c 'printf "%s\\n" "$1"' sh '1 2$(x)'`)).resolves.toBe('1 2$(x)\n');
  });

  it('a non-zero exit is an mfa error naming the command', async () => {
    const error = await rejectedAnwbisError(runMfaProcess(`sh -c 'exit 3'`));
    expect(error.kind).toBe('mfa');
    expect(error.message).toBe('--mfa-process "sh" exited with status 3');
  });

  it('a command that cannot start is an mfa error', async () => {
    const error = await rejectedAnwbisError(runMfaProcess(join(dir, 'no-such-otp')));
    expect(error.kind).toBe('mfa');
    expect(error.message).toMatch(/could not run: .*ENOENT/);
  });

  it('a command that ignores SIGTERM no longer holds anwbis forever: its whole group is killed after the grace period', async () => {
    const pidFile = join(dir, 'pid');
    // sh and its sleep both ignore TERM (an ignored signal stays ignored across exec).
    const line = `sh -c 'echo $$ > ${pidFile}; trap "" TERM; sleep 1000; echo 123456'`;
    const error = await rejectedAnwbisError(runMfaProcess(line, { timeoutMs: 300, graceMs: 300 }));
    expect(error.kind).toBe('mfa');
    expect(error.message).toBe('--mfa-process "sh" gave no answer within 0.3 s and was stopped');
    const pgid = Number(readFileSync(pidFile, 'utf8'));
    expect(pgid).toBeGreaterThan(1);
    expect(liveMembers(pgid)).toEqual([]);
  });

  it('a command that ignores SIGTERM no longer outlives an anwbis ended by SIGTERM: its group is killed after the grace period', async () => {
    const pidFile = join(dir, 'pid');
    const script = join(dir, 'run.mjs');
    await writeCoreScript(script, `await core.runMfaProcess(args[0], { graceMs: 300 });\n`);
    const child = startCoreScript(script, new URL('./run-for-output.ts', import.meta.url), [`sh -c 'trap "" TERM; echo $$ > ${pidFile}; sleep 1000'`]);
    let pgid: number | undefined;
    try {
      pgid = await waitFor(() => (existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith('\n') ? Number(readFileSync(pidFile, 'utf8')) : undefined));
      // Its exit, not the close of its output: a group left running would hold its stderr open.
      const ended = new Promise((resolve) => child.process.once('exit', (code, signal) => resolve({ code, signal })));
      child.process.kill('SIGTERM');
      expect(await ended).toEqual({ code: null, signal: 'SIGTERM' });
      expect(liveMembers(pgid)).toEqual([]);
    } finally {
      if (pgid !== undefined && liveMembers(pgid).length > 0) process.kill(-pgid, 'SIGKILL');
      child.process.kill('SIGKILL');
    }
  });

  it('a child left holding stdout after the command exits is killed after the grace period', async () => {
    const pidFile = join(dir, 'pid');
    const line = `sh -c 'echo $$ > ${pidFile}; echo 123456; trap "" TERM; sleep 1000 & exit 0'`;
    await expect(runMfaProcess(line, { timeoutMs: 60_000, graceMs: 300 })).resolves.toBe('123456\n');
    expect(liveMembers(Number(readFileSync(pidFile, 'utf8')))).toEqual([]);
  });
});
