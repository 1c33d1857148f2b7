import { resolve } from 'node:path';
import { benchArgs, median, positiveInt } from '../stats.js';
import { bigAwsFiles, surround } from '../../emulator/index.js';
import { ensurePeers } from './build.js';
import { anwbisDriver, awsVaultDriver, grantedDriver, mustRun, type Command, type Driver } from './peers.js';
import { startBenchWorld, type BenchWorld } from './world.js';

/**
 * `npm run bench:bigfiles`: each tool with small AWS files and with 20,000-line credentials and
 * config files (see big-aws-files.ts; `--lines N`), the same commands interleaved round by round
 * against moto (no added delay), medians, big / small. A benchmark, not a test: it prints a
 * table and asserts nothing about timings.
 * - anwbis: a cold assume (MFA login, discovery, AssumeRole, both files written), a reuse of the
 *   profile it wrote, a `credential-process` cache hit;
 * - aws-vault and granted: their MFA login + AssumeRole and their `credential_process` cache hit.
 *
 * `--against OTHER/bin/run.js` adds another build of anwbis (main's, say) as a column of its own,
 * in the same rounds; `--peers no` leaves aws-vault and granted out.
 *
 *   node tools/dist/bench/peers/bigfiles.js [--rounds 11] [--lines 20000] [--against BIN] [--peers no]
 */

type Size = 'small' | 'big';
const SIZES: readonly Size[] = ['small', 'big'];

async function main(): Promise<void> {
  const values = benchArgs('node tools/dist/bench/peers/bigfiles.js [--rounds 11] [--lines 20000] [--against OTHER/bin/run.js] [--peers no]', {
    rounds: { type: 'string' },
    lines: { type: 'string' },
    against: { type: 'string' },
    peers: { type: 'string' },
  });
  if (values.peers !== undefined && values.peers !== 'no') throw new Error(`--peers takes only "no", not ${JSON.stringify(values.peers)}`);
  const rounds = positiveInt('rounds', values.rounds, 11);
  const lineCount = positiveInt('lines', values.lines, 20_000);
  const say = (line = '') => process.stdout.write(`${line}\n`);
  const note = (line: string) => process.stderr.write(`${line}\n`);

  const bins = values.peers === 'no' ? {} : ensurePeers(note);
  const big = bigAwsFiles(lineCount);
  let bench: BenchWorld | undefined;
  const tools: { name: string; bySize: Record<Size, Driver> }[] = [];
  try {
    bench = await startBenchWorld({ delayMs: 0 });
    const { world } = bench;
    const both = async (make: () => Driver | Promise<Driver>) => {
      const small = await make();
      const large = await make();
      large.box.write('credentials', surround(large.box.read('credentials'), big.credentials));
      large.box.write('config', surround(large.box.read('config'), big.config));
      tools.push({ name: small.name, bySize: { small, big: large } });
    };
    await both(() => anwbisDriver(world));
    if (values.against) await both(() => anwbisDriver(world, resolve(values.against!), 'anwbis [against]'));
    if (bins['aws-vault']) await both(() => awsVaultDriver(world, bins['aws-vault']!));
    if (bins.granted) await both(() => grantedDriver(world, bins.granted!));

    const samples = new Map<string, number[]>();
    const add = (key: string, ms: number) => samples.set(key, [...(samples.get(key) ?? []), ms]);
    const timed = async (key: string, cmd: Command) => add(key, (await mustRun(key, cmd)).ms);
    /** One pass over a tool's rows with one size of files. */
    const pass = async (name: string, size: Size, d: Driver) => {
      d.resetCold();
      await timed(`${name}.${size}.cold`, d.cold);
      if (name.startsWith('anwbis')) {
        // The full command with nothing to change: the reuse the fast path answers.
        await timed(`${name}.${size}.reuse`, { ...d.cold, args: d.cold.args.filter((a) => a !== '--refresh') });
      }
      await d.emptyCache();
      await mustRun(`${name} ${size} fill`, d.credentialProcess);
      await timed(`${name}.${size}.hit`, d.credentialProcess);
    };

    for (const { name, bySize } of tools) for (const size of SIZES) await pass(name, size, bySize[size]);
    note(`bench:bigfiles: ${rounds} rounds, files of ${lineCount} lines against small ones`);
    let stopAsked = false;
    const stop = () => {
      stopAsked = true;
      note('bench:bigfiles: stopping after this round');
    };
    process.once('SIGINT', stop).once('SIGTERM', stop);
    const started = performance.now();
    let done = 0;
    for (let round = 0; round < rounds && !stopAsked; round++, done++) {
      // Alternating which size goes first cancels a drift in the machine's load.
      const order = round % 2 ? [...SIZES].reverse() : SIZES;
      for (const { name, bySize } of tools) for (const size of order) await pass(name, size, bySize[size]);
      note(`  round ${round + 1}/${rounds} done (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }
    if (done === 0) throw new Error('stopped before the first round ended; nothing to report');

    const med = (key: string) => median(samples.get(key) ?? []);
    const ms = (v: number) => `${v.toFixed(0)} ms`;
    const cell = (name: string, row: string) => {
      if (!samples.has(`${name}.small.${row}`)) return '—';
      const small = med(`${name}.small.${row}`);
      const large = med(`${name}.big.${row}`);
      return `${ms(small)} → ${ms(large)} (**${(large / small).toFixed(2)}×**)`;
    };
    const rows: [string, string][] = [
      ['cold: MFA login + AssumeRole (anwbis also discovers the role and writes both files)', 'cold'],
      ['reuse of the written profile (anwbis only)', 'reuse'],
      ['credential_process cache hit', 'hit'],
    ];
    const header = ['measure (median): small files → big files (big / small)', ...tools.map((t) => t.name)];
    const roundsText = done === rounds ? `${rounds}` : `${done} of ${rounds} (stopped early)`;
    say(`AWS files of ${lineCount}+ lines each (credentials ${(big.credentials.length / 1e6).toFixed(1)} MB, config ${(big.config.length / 1e6).toFixed(1)} MB) against small ones: moto, no added delay, ${roundsText} interleaved rounds, medians (Node ${process.version})`);
    say();
    say(`| ${header.join(' | ')} |`);
    say(`| ${header.map(() => '---').join(' | ')} |`);
    for (const [label, row] of rows) say(`| ${[label, ...tools.map((t) => cell(t.name, row))].join(' | ')} |`);
    say();
    say('- The big files hold many profiles with comments, SSO sessions and profiles, role chains, nested s3 settings and services sections; the sections each tool uses sit in the middle.');
    say('- The same commands as bench:peers; each tool\'s small and big runs alternate within a round.');
  } finally {
    await bench?.close();
    for (const t of tools) for (const size of SIZES) t.bySize[size].box.remove();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:bigfiles failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
