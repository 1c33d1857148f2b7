import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { request, type RequestOptions } from 'node:http';
import { performance } from 'node:perf_hooks';
import { ANWBIS_BIN, conventionScenario, createSandbox, runAnwbis, seedScenario, startMoto, type MotoServer, type Sandbox } from '../emulator/index.js';
import { benchArgs, median, positiveInt } from './stats.js';

/**
 * `npm run bench:credserver`: the container-credentials endpoint `anwbis exec --server` serves
 * its program (each fetch answered from the daemon over its socket), against the local emulator (not a test: it reports figures
 * and asserts nothing about timings):
 * - one SDK-style credential fetch at a time (a new loopback connection, the token, the JSON
 *   parsed and checked as the SDKs' container provider does): median and p99;
 * - `--total` fetches from `--clients` concurrent clients: errors (must be none) and the wall time;
 * - the baseline in the same run: a cache-hit `anwbis credential-process`, the fastest
 *   process-based provider anwbis has, and the ratio of the two medians.
 *
 *   node tools/dist/bench/credserver.js [--fetches 1000] [--total 1000] [--clients 50] [--baseline-runs 30]
 */

const DEV = '222222222222';

interface Fetched {
  status: number;
  ms: number;
}

/** One fetch the way an AWS SDK's container provider makes it. */
function fetchOnce(url: URL, token: string): Promise<Fetched> {
  const started = performance.now();
  const options: RequestOptions = { host: url.hostname, port: url.port, path: url.pathname, headers: { authorization: token }, agent: false, timeout: 5000 };
  return new Promise((resolve, reject) => {
    const req = request(options, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => {
        const ms = performance.now() - started;
        if (res.statusCode !== 200) return resolve({ status: res.statusCode ?? 0, ms });
        const c = JSON.parse(body) as Record<string, unknown>;
        const ok = typeof c.AccessKeyId === 'string' && typeof c.SecretAccessKey === 'string' && typeof c.Token === 'string' && !Number.isNaN(new Date(String(c.Expiration)).getTime());
        resolve({ status: ok ? 200 : -1, ms });
      });
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end();
  });
}

const quantile = (sorted: readonly number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;

/** `anwbis exec --server` holding a grant while its command waits; resolves with the endpoint and token. */
function holdGrant(env: Record<string, string>): Promise<{ child: ChildProcessWithoutNullStreams; url: URL; token: string }> {
  const script = 'console.log(JSON.stringify([process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI, process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN])); process.stdin.resume()';
  const child = spawn(process.execPath, [ANWBIS_BIN, 'exec', '--server', '-p', 'datalab', '-e', 'dev', '-r', 'admin', '--', process.execPath, '-e', script], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  return new Promise((resolve, reject) => {
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (!out.includes('\n')) return;
      const [url, token] = JSON.parse(out.slice(0, out.indexOf('\n'))) as [string, string];
      resolve({ child, url: new URL(url), token });
    });
    child.once('close', (code) => reject(new Error(`anwbis exec --server ended (${code}) before its command started: ${err}`)));
  });
}

async function main(): Promise<void> {
  const values = benchArgs('node tools/dist/bench/credserver.js [--fetches 1000] [--total 1000] [--clients 50] [--baseline-runs 30]', {
    fetches: { type: 'string' },
    total: { type: 'string' },
    clients: { type: 'string' },
    'baseline-runs': { type: 'string' },
  });
  const fetches = positiveInt('fetches', values.fetches, 1000);
  const total = positiveInt('total', values.total, 1000);
  const clients = positiveInt('clients', values.clients, 50);
  const baselineRuns = positiveInt('baseline-runs', values['baseline-runs'], 30);
  const say = (line = '') => process.stdout.write(`${line}\n`);

  let moto: MotoServer | undefined;
  let sandbox: Sandbox | undefined;
  let held: ChildProcessWithoutNullStreams | undefined;
  const runtime = mkdtempSync('/tmp/anwb-');
  chmodSync(runtime, 0o700);
  let env: Record<string, string> = {};
  try {
    moto = await startMoto();
    const seeded = await seedScenario(moto.endpoint, conventionScenario({ users: ['bench.user'], projects: { datalab: { envs: { dev: DEV }, roles: ['admin'] } } }));
    sandbox = createSandbox({ endpoint: moto.endpoint, profiles: { default: seeded.users['bench.user']! } });
    env = { ...sandbox.env, XDG_RUNTIME_DIR: runtime };
    const session = await runAnwbis(['session', '--mfa-code', '123456'], { env, timeoutMs: 120_000 });
    if (session.code !== 0) throw new Error(`anwbis session failed: ${session.stderr}`);

    const grant = await holdGrant(env);
    held = grant.child;
    for (let i = 0; i < 50; i++) await fetchOnce(grant.url, grant.token);

    const times: number[] = [];
    let sequentialErrors = 0;
    for (let i = 0; i < fetches; i++) {
      const f = await fetchOnce(grant.url, grant.token);
      if (f.status !== 200) sequentialErrors++;
      times.push(f.ms);
    }
    times.sort((a, b) => a - b);

    let errors = 0;
    let next = 0;
    const wall = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async () => {
        while (next < total) {
          next++;
          const f = await fetchOnce(grant.url, grant.token).catch(() => ({ status: 0, ms: 0 }));
          if (f.status !== 200) errors++;
        }
      }),
    );
    const wallMs = performance.now() - wall;

    // The baseline: a cache-hit credential-process (the first call fills the cache from the corp session).
    const cp = [ANWBIS_BIN, 'credential-process', '-p', 'datalab', '-e', 'dev', '-r', 'admin'];
    const first = spawnSync(process.execPath, cp, { env });
    if (first.status !== 0) throw new Error(`credential-process failed: ${first.stderr.toString()}`);
    const baseline: number[] = [];
    for (let i = 0; i < baselineRuns + 3; i++) {
      const t = performance.now();
      const run = spawnSync(process.execPath, cp, { env });
      if (run.status !== 0) throw new Error(`credential-process failed: ${run.stderr.toString()}`);
      if (i >= 3) baseline.push(performance.now() - t);
    }

    const endpointMedian = median(times);
    const baselineMedian = median(baseline);
    say(`Credential endpoint (anwbis exec --server), ${fetches} SDK-style fetches one at a time: median ${endpointMedian.toFixed(2)} ms, p99 ${quantile(times, 0.99).toFixed(2)} ms, max ${times.at(-1)!.toFixed(2)} ms, errors ${sequentialErrors}`);
    say(`  ${total} fetches from ${clients} concurrent clients: ${errors} errors, ${wallMs.toFixed(0)} ms in all (${((total / wallMs) * 1000).toFixed(0)} fetches/s)`);
    say(`Baseline, cache-hit anwbis credential-process (${baselineRuns} runs): median ${baselineMedian.toFixed(1)} ms`);
    say(`Ratio: the endpoint's median fetch is ${(baselineMedian / endpointMedian).toFixed(0)}x faster than the baseline (target: median under 2 ms)`);
  } finally {
    held?.stdin.end();
    if (held && held.exitCode === null) await new Promise((r) => held!.once('close', r));
    if (sandbox) await runAnwbis(['daemon', 'stop'], { env }).catch(() => undefined);
    await moto?.stop();
    sandbox?.remove();
    rmSync(runtime, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
