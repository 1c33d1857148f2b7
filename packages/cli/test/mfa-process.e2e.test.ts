import { describe, expect, it, jest } from '@jest/globals';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ANWBIS_BIN, conventionScenario } from '@anwbis/tools/emulator';
import { emulatorWorld } from './helpers.js';

// The emulator starts slowly on a loaded machine; hooks included.
jest.setTimeout(90_000);

const world = emulatorWorld(() => conventionScenario({ users: ['luis.gonzalez'], projects: { datalab: { envs: { dev: '222222222222' }, roles: ['admin'] } } }));

/** Live (not zombie) processes of a process group. */
function liveMembers(pgid: number): string[] {
  return execFileSync('ps', ['-e', '-o', 'pgid=,pid=,stat=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter(([group, , stat]) => Number(group) === pgid && !stat?.startsWith('Z'))
    .map((fields) => fields.slice(1).join(' '));
}

async function until<T>(probe: () => T | undefined, what: string): Promise<T> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('--mfa-process in its own process group', () => {
  it('an interrupted anwbis no longer leaves its --mfa-process command running: SIGINT reaches the whole group', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anwbis-mfa-'));
    const pidFile = join(dir, 'pid');
    let pgid: number | undefined;
    try {
      const child = spawn(process.execPath, [ANWBIS_BIN, '-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-process', `sh -c 'echo $$ > ${pidFile}; sleep 1000'`], {
        env: world.sandbox.env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
      const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('close', (code, signal) => resolve({ code, signal })));
      pgid = await until(() => (existsSync(pidFile) && readFileSync(pidFile, 'utf8').endsWith('\n') ? Number(readFileSync(pidFile, 'utf8')) : undefined), 'the command to start');
      child.kill('SIGINT');
      expect({ ...(await ended), stderr }).toEqual({ code: null, signal: 'SIGINT', stderr: expect.not.stringContaining('[ BUG ]') });
      const group = pgid;
      await until(() => (liveMembers(group).length === 0 ? true : undefined), `process group ${group} to end`);
      expect(liveMembers(group)).toEqual([]);
    } finally {
      if (pgid !== undefined && liveMembers(pgid).length > 0) process.kill(-pgid, 'SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
