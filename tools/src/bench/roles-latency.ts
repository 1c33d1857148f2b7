import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { ANWBIS_BIN, createSandbox, manyGroupsScenario, runAnwbis, seedScenario, startMoto, type MotoServer, type Sandbox } from '../emulator/index.js';
import { DISCOVERY_CONCURRENCY } from '@anwbis/core';
import { roundTrips, startDelayProxy, type DelayProxy } from './delay-proxy.js';
import { benchArgs, median, positiveInt } from './stats.js';

/**
 * Benchmark (it reports, it asserts nothing) of listing every delegated role of a user in many
 * groups when every AWS request costs DELAY ms (a proxy in front of moto):
 *   - cold: `anwbis roles --json --refresh` with a fresh ANWBIS_HOME;
 *   - cached: `anwbis roles --json` answered from the list cached by the cold run;
 *   - TUI first frame: `anwbis tui` in a tmux pane, from start until the list is on screen
 *     (polled every 10 ms, so up to 10 ms late), answered from the cache; beside it the same
 *     for a program that prints the line at once (tmux, Node's start, the polling).
 *
 *   node tools/dist/bench/roles-latency.js [--groups 200] [--delay 100] [--runs 5]
 */

const exec = promisify(execFile);

/** The 1-minute load average (Linux), to read the figures by: other work on the machine slows every run. */
function loadAverage(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ')[0]!;
  } catch {
    return 'unknown';
  }
}

async function main(): Promise<void> {
  const values = benchArgs('node tools/dist/bench/roles-latency.js [--groups 200] [--delay 100] [--runs 5]', { groups: { type: 'string' }, delay: { type: 'string' }, runs: { type: 'string' } });
  const groups = positiveInt('groups', values.groups, 200);
  const delayMs = positiveInt('delay', values.delay, 100);
  const runs = positiveInt('runs', values.runs, 5);
  const say = (line = '') => process.stdout.write(`${line}\n`);

  let moto: MotoServer | undefined;
  let proxy: DelayProxy | undefined;
  let sandbox: Sandbox | undefined;
  // A tmux server per run: a new session on the socket of a server still shutting down fails
  // with "server exited unexpectedly".
  const sockets: string[] = [];
  const loadBefore = loadAverage();
  try {
    moto = await startMoto();
    const seeded = await seedScenario(moto.endpoint, manyGroupsScenario({ user: 'ana.ruiz', groups }));
    proxy = await startDelayProxy({ target: moto.endpoint, delayMs });
    sandbox = createSandbox({ endpoint: proxy.endpoint, profiles: { default: seeded.users['ana.ruiz']! } });
    const box = sandbox;
    const px = proxy;

    const timed = async (args: string[]) => {
      const before = px.requests;
      const start = performance.now();
      const result = await runAnwbis(args, { env: box.env, input: '' });
      const ms = performance.now() - start;
      if (result.code !== 0) throw new Error(`anwbis ${args.join(' ')} exited with ${result.code}: ${result.stderr}`);
      return { ms, requests: px.log.slice(before), roles: (JSON.parse(result.stdout) as unknown[]).length };
    };

    await timed(['roles', '--json', '--refresh']); // warm the file cache; not counted
    const startup: number[] = [];
    for (let i = 0; i < runs; i++) {
      const start = performance.now();
      await runAnwbis(['--version'], { env: box.env, input: '' });
      startup.push(performance.now() - start);
    }
    const cold: number[] = [];
    let coldRounds = 0;
    let coldRequests = 0;
    let roles = 0;
    for (let i = 0; i < runs; i++) {
      rmSync(box.anwbisHome, { recursive: true, force: true });
      const r = await timed(['roles', '--json']);
      cold.push(r.ms);
      coldRounds = roundTrips(r.requests).length;
      coldRequests = r.requests.length;
      roles = r.roles;
    }
    const cached: number[] = [];
    let cachedRequests = 0;
    for (let i = 0; i < runs; i++) {
      const r = await timed(['roles', '--json']);
      cached.push(r.ms);
      cachedRequests += r.requests.length;
    }

    const env: Record<string, string> = { ...box.env, TERM: 'xterm-256color' };
    delete env.CI;
    const tmux = (...a: string[]) => exec('tmux', ['-L', sockets.at(-1)!, ...a], { env });
    /** From starting `command` in a new tmux pane until the title line of the roles is on screen. */
    const toScreen = async (command: string[]) => {
      const start = performance.now();
      sockets.push(`anwbis-bench-${process.pid}-${sockets.length}`);
      await tmux('-f', '/dev/null', 'new-session', '-d', '-x', '120', '-y', '40', ...command);
      for (;;) {
        const screen = (await tmux('capture-pane', '-p').catch(() => ({ stdout: '' }))).stdout;
        if (screen.includes('roles of ana.ruiz')) break;
        if (performance.now() - start > 30_000) throw new Error(`no first frame after 30 s:\n${screen}`);
        await new Promise((r) => setTimeout(r, 10));
      }
      const ms = performance.now() - start;
      await tmux('kill-server');
      return ms;
    };
    const frame: number[] = [];
    const floor: number[] = [];
    let frameRequests = 0;
    for (let i = 0; i < runs; i++) {
      const before = px.requests;
      frame.push(await toScreen([process.execPath, ANWBIS_BIN, 'tui']));
      frameRequests += px.requests - before;
      // What tmux, Node's start and the polling cost of it: a program that prints the line at once.
      floor.push(await toScreen([process.execPath, '-e', "process.stdout.write('roles of ana.ruiz'); setInterval(() => {}, 1000)"]));
    }

    say(`anwbis roles / tui: ${groups} groups (${roles} roles), DELAY ${delayMs} ms per AWS request, ${runs} runs each`);
    say(`startup baseline (median \`anwbis --version\`): ${median(startup).toFixed(0)} ms; load average ${loadBefore} before, ${loadAverage()} after`);
    say();
    say(`cold   \`anwbis roles --json\` (fresh ANWBIS_HOME): median ${median(cold).toFixed(0)} ms (target ≤ 2000), ${coldRequests} requests in ${coldRounds} round trips`);
    say(`cached \`anwbis roles --json\`:                  median ${median(cached).toFixed(0)} ms (target ≤ 300), ${cachedRequests} AWS requests over all runs`);
    say(`first TUI frame from the cache (tmux):         median ${median(frame).toFixed(0)} ms (target ≤ 300), ${frameRequests} AWS requests over all runs`);
    say(`  of which tmux, Node's start and polling:     median ${median(floor).toFixed(0)} ms (a program printing the line at once)`);
    say();
    say(`Lower bound of the cold run with ${DISCOVERY_CONCURRENCY} in flight: (GetCallerIdentity + ListGroupsForUser + ⌈${groups}/${DISCOVERY_CONCURRENCY}⌉ GetGroupPolicy rounds) × DELAY`);
    say(`= ${(2 + Math.ceil(groups / DISCOVERY_CONCURRENCY)) * delayMs} ms plus start-up.`);
  } finally {
    for (const socket of sockets) await exec('tmux', ['-L', socket, 'kill-server']).catch(() => undefined);
    await proxy?.close();
    await moto?.stop();
    sandbox?.remove();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`roles-latency failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
