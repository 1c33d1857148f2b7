import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

const BENCHES = ['assume-latency', 'credserver', 'daemon', 'roles-latency', 'shell-server', 'startup', 'peers/main', 'peers/bigfiles'];

/** A built benchmark run as a person runs it; these runs all end before starting an emulator. */
function bench(name: string, ...args: string[]) {
  const script = fileURLToPath(new URL(`../dist/bench/${name}.js`, import.meta.url));
  return spawnSync(process.execPath, [script, ...args], { encoding: 'utf8', timeout: 60_000 });
}

describe('the benchmarks read their options strictly', () => {
  it.each(BENCHES)('%s --help prints its usage and starts nothing', (name) => {
    const res = bench(name, '--help');
    expect(res.status).toBe(0);
    expect(res.stdout).toMatch(new RegExp(`^usage: node tools/dist/bench/${name}\\.js`));
    expect(res.stderr).toBe('');
  });

  it.each(BENCHES)('%s refuses an unknown option with its usage and exit 2 (it used to end in a stack trace)', (name) => {
    const res = bench(name, '--no-such-option');
    expect(res.status).toBe(2);
    expect(res.stderr).toContain("Unknown option '--no-such-option'");
    expect(res.stderr).toContain(`usage: node tools/dist/bench/${name}.js`);
    expect(res.stderr).not.toMatch(/\n\s+at /);
  });

  it('a number that is not one is refused by name, not run as NaN profiles', () => {
    const res = bench('daemon', '--profiles', 'abc');
    expect(res.status).toBe(1);
    expect(res.stderr).toBe('bench:daemon failed: --profiles must be a positive whole number, not "abc"\n');
  });

  it('startup refuses a stray argument instead of ignoring it', () => {
    const res = bench('startup', 'against');
    expect(res.status).toBe(2);
    expect(res.stderr).toContain("Unexpected argument 'against'");
  });
});
