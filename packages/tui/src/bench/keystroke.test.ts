import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

// The built benchmark, as a person runs it (the test target builds first).
const BENCH = fileURLToPath(new URL('../../dist/bench/keystroke.js', import.meta.url));
const bench = (...args: string[]) => spawnSync(process.execPath, [BENCH, ...args], { encoding: 'utf8', timeout: 60_000 });

describe('bench:keystroke reads its one argument strictly', () => {
  it('--help prints the usage and runs nothing', () => {
    expect(bench('--help')).toMatchObject({ status: 0, stdout: 'usage: node packages/tui/dist/bench/keystroke.js [roles]\n', stderr: '' });
  });

  it.each(['abc', '0', '10 20', '--roles'])('"%s" is refused with the usage and exit 2 (it used to run with NaN roles)', (line) => {
    const res = bench(...line.split(' '));
    expect(res.status).toBe(2);
    expect(res.stdout).toBe('');
    expect(res.stderr).toContain('usage: node packages/tui/dist/bench/keystroke.js [roles]');
  });
});
