import { roundTrips } from '../delay-proxy.js';
import { ensurePeers, PEER_VERSIONS } from './build.js';
import {
  addStaticProfile,
  anwbisDriver,
  awsVaultDriver,
  childrenCpuMs,
  cliCall,
  processCpuMs,
  grantedDriver,
  mustRun,
  peakRssKb,
  type Command,
  type Driver,
} from './peers.js';
import { startBenchWorld, type BenchWorld } from './world.js';
import { connectMs, NETWORK_IDLE_MS, networkRounds, type NetworkModel } from './network.js';
import { benchArgs, median, positiveInt } from '../stats.js';

/**
 * `npm run bench:peers`: anwbis side by side with aws-vault 7.2.0 and granted 0.38.0 on the same
 * emulator (moto behind a proxy that adds DELAY ms to every AWS request), interleaved round by
 * round, medians. A benchmark, not a test: it prints one table with ratios and asserts nothing
 * about timings. The Go tools have no endpoint setting (aws-vault) or are driven the way their
 * users run them, so they reach the emulator through HTTPS_PROXY: a loopback CONNECT proxy that
 * answers for the AWS hosts with a throw-away CA and forwards to the same delay proxy.
 *
 *   node tools/dist/bench/peers/main.js [--rounds 21] [--delay 100] [--concurrency 32]
 *   node tools/dist/bench/peers/main.js --network [--rtt 50] [--tls-rtts 1] [--rounds 21]
 *
 * `--network` charges connection set-up too, as a user far from AWS sees it (see network.ts).
 */



/** Samples of one measure for one tool; several series per tool (ms, requests, …). */
class Samples {
  private readonly series = new Map<string, number[]>();
  add(key: string, value: number): void {
    this.series.set(key, [...(this.series.get(key) ?? []), value]);
  }
  median(key: string): number {
    return median(this.series.get(key) ?? []);
  }
  /** The distinct values seen, e.g. "1" or "1/32". */
  distinct(key: string): string {
    return [...new Set(this.series.get(key) ?? [])].sort((a, b) => a - b).join('/');
  }
}

async function main(): Promise<void> {
  const values = benchArgs('node tools/dist/bench/peers/main.js [--rounds 21] [--delay 100] [--concurrency 32] | --network [--rtt 50] [--tls-rtts 1] [--rounds 21]', {
    rounds: { type: 'string' },
    delay: { type: 'string' },
    concurrency: { type: 'string' },
    network: { type: 'boolean' },
    rtt: { type: 'string' },
    'tls-rtts': { type: 'string' },
  });
  if (!values.network && (values.rtt !== undefined || values['tls-rtts'] !== undefined)) throw new Error('--rtt and --tls-rtts go with --network');
  if (values.network && values.delay !== undefined) throw new Error('--network charges --rtt per request; --delay is for the default mode');
  const network: NetworkModel | undefined = values.network
    ? { rttMs: positiveInt('rtt', values.rtt, 50), tlsRtts: positiveInt('tls-rtts', values['tls-rtts'], 1) }
    : undefined;
  const rounds = positiveInt('rounds', values.rounds, 21);
  const delayMs = network ? network.rttMs : positiveInt('delay', values.delay, 100);
  const concurrency = positiveInt('concurrency', values.concurrency, 32);
  const say = (line = '') => process.stdout.write(`${line}\n`);
  const note = (line: string) => process.stderr.write(`${line}\n`);

  const bins = ensurePeers(note);
  let bench: BenchWorld | undefined;
  const drivers: Driver[] = [];
  try {
    bench = await startBenchWorld({ delayMs, ...(network ? { connectMs: connectMs(network), idleMs: NETWORK_IDLE_MS, https: true } : {}) });
    const { world, moto, proxy: delay } = bench;
    const { user } = world;
    drivers.push(anwbisDriver(world));
    if (bins['aws-vault']) drivers.push(await awsVaultDriver(world, bins['aws-vault']));
    if (bins.granted) drivers.push(grantedDriver(world, bins.granted));
    if (drivers.length === 1) throw new Error('neither peer could be built; nothing to compare with');
    for (const d of drivers) addStaticProfile(d.box, user);
    const base = drivers[0]!;
    const node: Command = { file: process.execPath, args: ['-e', '0'], env: base.box.env };
    const staticCli = cliCall(base.box.env, moto.endpoint, 'static');

    const px = delay;
    const mt = moto;
    const samples = new Map<string, Samples>(['node', ...drivers.map((d) => d.name)].map((n) => [n, new Samples()]));
    const of = (name: string) => samples.get(name)!;

    /** A run that reaches AWS: wall time, requests, sequential round trips, and time beyond the waits. */
    const login = async (d: Driver, cmd: Command, row: string) => {
      const before = px.log.length;
      const out = await mustRun(`${d.name} ${row}`, cmd);
      const requests = px.log.slice(before);
      const trips = roundTrips(requests).length;
      of(d.name).add(`${row}.ms`, out.ms);
      of(d.name).add(`${row}.requests`, requests.length);
      of(d.name).add(`${row}.trips`, trips);
      of(d.name).add(`${row}.beyond`, out.ms - trips * delayMs);
    };

    /** The concurrent row, `row` names it; `helperPid`: a helper process whose CPU counts too. */
    const concurrent = async (d: Driver, row = 'concurrent', helperPid?: number) => {
      await d.emptyCache();
      await mt.startRecording();
      const helperBefore = helperPid === undefined ? 0 : processCpuMs(helperPid);
      const cpuBefore = childrenCpuMs();
      const start = performance.now();
      const outs = await Promise.all(Array.from({ length: concurrency }, () => mustRun(`${d.name} credential_process ×${concurrency}`, d.credentialProcess)));
      const wall = performance.now() - start;
      const cpu = childrenCpuMs() - cpuBefore + (helperPid === undefined ? 0 : processCpuMs(helperPid) - helperBefore);
      await mt.stopRecording();
      const assumes = (await mt.recording()).filter((c) => c.action === 'AssumeRole').length;
      if (!outs.every((o) => typeof (JSON.parse(o.stdout) as { AccessKeyId?: unknown }).AccessKeyId === 'string')) {
        throw new Error(`${d.name}: a credential_process answer had no AccessKeyId`);
      }
      of(d.name).add(`${row}.wall`, wall);
      of(d.name).add(`${row}.cpu`, cpu);
      of(d.name).add(`${row}.assume`, assumes);
    };

    /** Cold and remembered with the tool's helper running (anwbis's daemon does the work with its warm SDK). */
    const helpedLogins = async (d: Driver) => {
      if (!d.helper?.resetColdKeepingIt) return;
      await d.helper.start();
      try {
        d.helper.resetColdKeepingIt();
        await login(d, d.cold, 'helped.cold');
        if (d.remembered) await login(d, d.remembered, 'helped.remembered');
      } finally {
        await d.helper.stop();
      }
    };

    // Warm-up (not counted): the file cache, and every state each row starts from once.
    for (const d of drivers) {
      d.resetCold();
      await mustRun(`${d.name} warm-up`, d.cold);
      await d.emptyCache();
      await mustRun(`${d.name} warm-up`, d.credentialProcess);
    }

    // A SIGINT or SIGTERM sent to this process ends the run after the round in progress and prints
    // the table of the rounds done (a bounded run on a slow machine).
    let stopAsked = false;
    const stop = () => {
      stopAsked = true;
      note('bench:peers: stopping after this round');
    };
    process.once('SIGINT', stop).once('SIGTERM', stop);
    if (network) {
      note(`bench:peers --network: ${rounds} rounds, ${network.rttMs} ms round trip, connection set-up ${connectMs(network)} ms`);
      const lines = await networkRounds({ drivers, proxy: px, motoEndpoint: mt.endpoint, staticCli, model: network, rounds, stopAsked: () => stopAsked, note });
      for (const line of lines) say(line);
      return;
    }
    note(`bench:peers: ${rounds} rounds, ${delayMs} ms per AWS request, ${concurrency} concurrent credential_process calls`);
    const started = performance.now();
    let done = 0;
    for (let round = 0; round < rounds && !stopAsked; round++, done++) {
      for (const d of drivers) {
        d.resetCold();
        await login(d, d.cold, 'cold');
        if (d.remembered) await login(d, d.remembered, 'remembered');
      }
      for (const d of drivers) await helpedLogins(d);
      for (const d of drivers) await concurrent(d);
      // The same calls with the tool's helper running (anwbis's daemon answers a miss from its corp session).
      for (const d of drivers) {
        if (!d.helper) continue;
        const pid = await d.helper.start();
        try {
          await concurrent(d, 'helped', pid);
        } finally {
          await d.helper.stop();
        }
      }
      // Node's own floor for the concurrent rows: as many bare starts at once.
      const nodeCpuBefore = childrenCpuMs();
      const nodeStart = performance.now();
      await Promise.all(Array.from({ length: concurrency }, () => mustRun(`node -e 0 ×${concurrency}`, node)));
      of('node').add('concurrent.wall', performance.now() - nodeStart);
      of('node').add('concurrent.cpu', childrenCpuMs() - nodeCpuBefore);
      // Each tool's cache now holds the credentials the concurrent calls fetched.
      of('node').add('hit', (await mustRun('node -e 0', node)).ms);
      for (const d of drivers) of(d.name).add('hit', (await mustRun(`${d.name} cache hit`, d.credentialProcess)).ms);
      of('node').add('cli', (await mustRun('aws static', staticCli)).ms);
      for (const d of drivers) of(d.name).add('cli', (await mustRun(`aws via ${d.name}`, cliCall(d.credentialProcess.env, mt.endpoint, d.cliProfile))).ms);
      of('node').add('rss', await peakRssKb(node));
      for (const d of drivers) of(d.name).add('rss', await peakRssKb(d.credentialProcess));
      note(`  round ${round + 1}/${rounds} done (${((performance.now() - started) / 1000).toFixed(0)} s)`);
    }

    const peers = drivers.slice(1).map((d) => d.name);
    const ms = (v: number) => (Number.isNaN(v) ? '—' : `${v.toFixed(v < 20 ? 1 : 0)} ms`);
    /** anwbis / the better (lower) peer. */
    const ratio = (key: string, transform: (name: string) => number = (n) => of(n).median(key)) => {
      const best = Math.min(...peers.map(transform));
      // A difference at or below zero (noise on the AWS CLI row) has no meaningful ratio.
      return best > 0 ? `${(transform('anwbis') / best).toFixed(2)}×` : '—';
    };
    const cliExtra = (n: string) => of(n).median('cli') - of('node').median('cli');
    const nodeMs = of('node').median('hit');
    const nodeKb = of('node').median('rss');
    /** The cold and remembered rows again, the tool's helper running; both against the peers' cold row. */
    function helpedLoginRows(d: Driver): string[][] {
      const peersCold = Math.min(...peers.map((n) => of(n).median('cold.beyond')));
      return (['cold', 'remembered'] as const).map((row) => [
        `${row === 'cold' ? 'cold MFA login + AssumeRole' : 'role already remembered'}, ${d.helper!.name} running`,
        ...drivers.map((e) =>
          e === d ? `${ms(of(d.name).median(`helped.${row}.ms`))} (${of(d.name).distinct(`helped.${row}.requests`)} req, ${of(d.name).distinct(`helped.${row}.trips`)} trips, ${ms(of(d.name).median(`helped.${row}.beyond`))} beyond)` : '—',
        ),
        `${(of(d.name).median(`helped.${row}.beyond`) / peersCold).toFixed(2)}× beyond (vs peers' cold)`,
      ]);
    }
    const rows: string[][] = [
      [
        `cold MFA login + AssumeRole (${delayMs} ms per request): total (requests, round trips, beyond the waits)`,
        ...drivers.map((d) => `${ms(of(d.name).median('cold.ms'))} (${of(d.name).distinct('cold.requests')} req, ${of(d.name).distinct('cold.trips')} trips, ${ms(of(d.name).median('cold.beyond'))} beyond)`),
        `${ratio('cold.beyond')} beyond`,
      ],
      [
        'role already remembered, same delay',
        ...drivers.map((d) => (d.remembered ? `${ms(of(d.name).median('remembered.ms'))} (${of(d.name).distinct('remembered.requests')} req, ${of(d.name).distinct('remembered.trips')} trips, ${ms(of(d.name).median('remembered.beyond'))} beyond)` : '—')),
        `${(of('anwbis').median('remembered.beyond') / Math.min(...peers.map((n) => of(n).median('cold.beyond')))).toFixed(2)}× beyond (vs peers' cold)`,
      ],
      [
        `${concurrency} concurrent credential_process, role not cached: AssumeRole calls, wall, CPU (${concurrency} × node -e 0 at once: ${ms(of('node').median('concurrent.wall'))} wall, ${ms(of('node').median('concurrent.cpu'))} CPU)`,
        ...drivers.map((d) => `${of(d.name).distinct('concurrent.assume')} AssumeRole, ${ms(of(d.name).median('concurrent.wall'))} wall, ${ms(of(d.name).median('concurrent.cpu'))} CPU`),
        `${ratio('concurrent.wall')} wall, ${ratio('concurrent.cpu')} CPU`,
      ],
      ...drivers.filter((d) => d.helper?.resetColdKeepingIt).flatMap((d) => helpedLoginRows(d)),
      ...drivers
        .filter((d) => d.helper)
        .map((d) => [
          `the same ${concurrency} calls, ${d.helper!.name} running (its CPU counted)`,
          ...drivers.map((e) => (e === d ? `${of(d.name).distinct('helped.assume')} AssumeRole, ${ms(of(d.name).median('helped.wall'))} wall, ${ms(of(d.name).median('helped.cpu'))} CPU` : '—')),
          `${(of(d.name).median('helped.wall') / Math.min(...peers.map((n) => of(n).median('concurrent.wall')))).toFixed(2)}× wall, ${(of(d.name).median('helped.cpu') / Math.min(...peers.map((n) => of(n).median('concurrent.cpu')))).toFixed(2)}× CPU (vs peers' row above)`,
        ]),
      [
        `credential_process cache hit (node -e 0: ${ms(nodeMs)})`,
        ...drivers.map((d) => `${ms(of(d.name).median('hit'))} (${(of(d.name).median('hit') / nodeMs).toFixed(2)}× node)`),
        ratio('hit'),
      ],
      [
        `AWS CLI sts get-caller-identity via credential_process, minus static keys (${ms(of('node').median('cli'))})`,
        ...drivers.map((d) => `${cliExtra(d.name) < 0 ? '−' : '+'}${ms(Math.abs(cliExtra(d.name)))}`),
        ratio('cli', cliExtra),
      ],
      [
        `peak memory of a cache hit (node -e 0: ${(nodeKb / 1024).toFixed(1)} MB)`,
        ...drivers.map((d) => `${(of(d.name).median('rss') / 1024).toFixed(1)} MB (${(of(d.name).median('rss') / nodeKb).toFixed(2)}× node)`),
        ratio('rss'),
      ],
    ];
    const header = ['measure (median)', ...drivers.map((d) => d.name), 'anwbis / better peer'];
    if (done === 0) throw new Error('stopped before the first round ended; nothing to report');
    const roundsText = done === rounds ? `${rounds}` : `${done} of ${rounds} (stopped early)`;
    say(`anwbis vs ${drivers.slice(1).map((d) => `${d.name} ${PEER_VERSIONS[d.name]}`).join(' and ')}: moto, ${delayMs} ms added per AWS request, ${roundsText} interleaved rounds, medians (Node ${process.version})`);
    say();
    say(`| ${header.join(' | ')} |`);
    say(`| ${header.map(() => '---').join(' | ')} |`);
    for (const row of rows) say(`| ${row.join(' | ')} |`);
    say();
    say('What each tool was told:');
    for (const d of drivers) say(`- ${d.name}: ${d.told}`);
    say('- Go tools reach the emulator over TLS through a loopback CONNECT proxy (HTTPS_PROXY, throw-away CA); anwbis over plain HTTP (AWS_ENDPOINT_URL). Both pass the same delay proxy.');
    say(`- "beyond the waits" = total − round trips × ${delayMs} ms (requests in flight together count once). CPU: user + system of the ${concurrency} processes and their children.`);
    say('- anwbis / better peer: lower is better for anwbis; the remembered row compares with the peers\' cold row (they have no discovery to remember).');
  } finally {
    await bench?.close();
    for (const d of drivers) d.box.remove();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:peers failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
