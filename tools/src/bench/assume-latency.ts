import { rmSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { createSandbox, demoScenario, runAnwbis, seedScenario, startMoto, type MotoServer, type Sandbox } from '../emulator/index.js';
import { roundTrips, startDelayProxy, type DelayProxy, type ProxiedRequest } from './delay-proxy.js';
import { benchArgs, median, positiveInt } from './stats.js';

/**
 * Benchmark (not a test: it reports, it asserts nothing about timings) of how long
 * `anwbis -p datalab -e dev -r admin` takes when every AWS request costs a network round trip.
 * A proxy in front of the local emulator (moto) holds each request for DELAY ms, so
 * (wall time − process start-up) / DELAY ≈ the number of sequential round trips.
 *
 *   node tools/dist/bench/assume-latency.js [--delay 100] [--runs 7]
 */

const ASSUME = ['-p', 'datalab', '-e', 'dev', '-r', 'admin'] as const;
const MFA = ['--mfa-code', '123456'] as const;

interface Measurement {
  readonly scenario: string;
  readonly times: number[];
  readonly requests: number[];
  readonly rounds: number[];
  /** The requests of the last run, grouped by round trip. */
  lastRun: ProxiedRequest[][];
}

class RunFailed extends Error {}



async function main(): Promise<void> {
  const values = benchArgs('node tools/dist/bench/assume-latency.js [--delay 100] [--runs 7]', { delay: { type: 'string' }, runs: { type: 'string' } });
  const delayMs = positiveInt('delay', values.delay, 100);
  const runs = positiveInt('runs', values.runs, 7);
  const say = (line = '') => process.stdout.write(`${line}\n`);

  let moto: MotoServer | undefined;
  let proxy: DelayProxy | undefined;
  let sandbox: Sandbox | undefined;
  try {
    moto = await startMoto();
    const seeded = await seedScenario(moto.endpoint, demoScenario());
    proxy = await startDelayProxy({ target: moto.endpoint, delayMs });
    sandbox = createSandbox({ endpoint: proxy.endpoint, profiles: { default: seeded.users['luis.gonzalez']! } });
    const box = sandbox;
    const px = proxy;

    /** One timed `anwbis` run; returns wall ms and how many requests reached the proxy. */
    const once = async (args: readonly string[]): Promise<{ ms: number; requests: ProxiedRequest[] }> => {
      const before = px.requests;
      const start = performance.now();
      const result = await runAnwbis(args, { env: box.env, input: '' });
      const ms = performance.now() - start;
      if (result.code !== 0) {
        throw new RunFailed(
          `\`anwbis ${args.join(' ')}\` exited with ${result.code ?? result.signal}\n` +
            `--- stderr ---\n${result.stderr.trimEnd()}\n--- stdout ---\n${result.stdout.trimEnd()}`,
        );
      }
      return { ms, requests: px.log.slice(before) };
    };
    const measure = async (scenario: string, args: readonly string[], before?: () => void): Promise<Measurement> => {
      const m: Measurement = { scenario, times: [], requests: [], rounds: [], lastRun: [] };
      for (let i = 0; i < runs; i++) {
        before?.();
        const { ms, requests } = await once(args);
        m.times.push(ms);
        m.requests.push(requests.length);
        m.lastRun = roundTrips(requests);
        m.rounds.push(m.lastRun.length);
      }
      return m;
    };

    await once(['--version']); // warm the file cache; not counted
    const startup = await measure('startup (anwbis --version)', ['--version']);
    const baseline = median(startup.times);

    const cold = await measure('cold (fresh ANWBIS_HOME, --refresh)', [...ASSUME, ...MFA, '--refresh'], () =>
      rmSync(box.anwbisHome, { recursive: true, force: true }),
    );
    await once([...ASSUME, ...MFA, '--refresh']); // warm-up: remember the role in ANWBIS_HOME
    const cached = await measure('discovery cached (--refresh)', [...ASSUME, ...MFA, '--refresh']);
    const reuse = await measure('reuse (profile still valid)', [...ASSUME]);

    const rows = [startup, cold, cached, reuse].map((m) => {
      const med = median(m.times);
      const distinct = (xs: readonly number[]) => [...new Set(xs)].sort((a, b) => a - b).join('/');
      const other = med - baseline - median(m.rounds) * delayMs;
      return [
        m.scenario,
        med.toFixed(0),
        m === startup ? '—' : ((med - baseline) / delayMs).toFixed(2),
        distinct(m.requests),
        distinct(m.rounds),
        m === startup ? '—' : other.toFixed(0),
      ];
    });
    const header = ['scenario', 'median ms', '× delay', 'requests/run', 'round trips/run', 'other ms'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
    const line = (cells: readonly string[]) =>
      cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');

    say(`anwbis assume latency: DELAY ${delayMs} ms per AWS request (proxy in front of moto), ${runs} runs each`);
    say(`startup baseline (median \`anwbis --version\`): ${baseline.toFixed(0)} ms`);
    say();
    say(line(header));
    say(widths.map((w) => '-'.repeat(w)).join('  '));
    for (const row of rows) say(line(row));
    say();
    say('× delay = (median − startup baseline) / DELAY ≈ sequential round trips (plus emulator and CPU time).');
    say('requests/run: requests that reached the proxy in one run; round trips/run: how many of them went');
    say('one after the other (requests in flight at the same time count once). Several values: runs differed.');
    say('other ms = median − startup baseline − round trips × DELAY: work that is neither start-up nor waiting');
    say('on AWS (loading the AWS SDK, signing, emulator time, files, locks).');
    say();
    say('AWS requests of the last run, one group per round trip:');
    for (const m of [cold, cached, reuse]) {
      const groups = m.lastRun.map((round) => `[${round.map((r) => r.action || `${r.method} ${r.url}`).join(', ')}]`);
      say(`  ${m.scenario}: ${groups.length ? groups.join(' → ') : 'none'}`);
    }
  } finally {
    await proxy?.close();
    await moto?.stop();
    sandbox?.remove();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`assume-latency failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
