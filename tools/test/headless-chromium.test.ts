import { afterEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOnPath } from '@anwbis/core';
import { HEADLESS_CHROMIUM_ARGS, headlessChromium } from '../src/browser/index.js';

const URL_WITH_METACHARACTERS = 'https://signin.test/federation?Action=login&Issuer=a b&SigninToken=$(id);`rm`*';

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('headlessChromium', () => {
  let scratch: string | undefined;
  afterEach(async () => {
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('is the chromium PATH finds, passes its arguments on after the headless ones, and remove() ends what it started', async () => {
    scratch = await mkdtemp(join(tmpdir(), 'anwbis-fake-browser-'));
    const args = join(scratch, 'args');
    const childPid = join(scratch, 'child-pid');
    // A stand-in browser that, like Chromium, starts a process of its own.
    const browser = join(scratch, 'browser');
    await writeFile(
      browser,
      `#!/bin/sh\nprintf '%s\\n' "$@" > '${args}.tmp'\nmv '${args}.tmp' '${args}'\nsleep 300 &\necho $! > '${childPid}.tmp'\nmv '${childPid}.tmp' '${childPid}'\nwait\n`,
    );
    await chmod(browser, 0o755);
    const chromium = await headlessChromium({ program: browser });
    const PATH = chromium.path('/usr/bin:/bin');
    expect(findOnPath(['chromium'], PATH)).toBe(join(chromium.dir, 'bin', 'chromium'));

    // As anwbis's launcher does: by name, detached, never waited for.
    const started = spawn('chromium', [URL_WITH_METACHARACTERS], { env: { PATH }, detached: true, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => started.once('exit', (_code, signal) => resolve(signal)));
    const given = await until('the browser to start', () => readFile(args, 'utf8').catch(() => undefined));
    expect(given.split('\n')).toEqual([...HEADLESS_CHROMIUM_ARGS, `--user-data-dir=${join(chromium.dir, 'profile')}`, URL_WITH_METACHARACTERS, '']);
    const grandchild = Number(await until('the browser to start its own process', () => readFile(childPid, 'utf8').catch(() => undefined)));
    expect(running(grandchild)).toBe(true);

    await chromium.remove();

    expect(await exited).toBe('SIGKILL');
    expect(running(grandchild)).toBe(false);
    expect(existsSync(chromium.dir)).toBe(false);
  });

  it('refuses a browser that is not there', async () => {
    await expect(headlessChromium({ program: '/nonexistent/chromium' })).rejects.toThrow(/\/nonexistent\/chromium is not an executable/);
  });
});
