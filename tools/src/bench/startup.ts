import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DEFAULT_SETTINGS, resolveRequest, type AssumeRequest } from '@anwbis/core';
import { ANWBIS_BIN } from '../emulator/processes.js';
import { benchArgs, median, positiveInt } from './stats.js';

/**
 * `npm run bench:startup [-- --runs N] [-- --against OTHER/bin/run.js]`: the wall time of a
 * cache-hit `anwbis credential-process`, of every command line of the original README that
 * reuses a valid profile (no AWS call), and of `anwbis --version`, each against `node -e 0`
 * measured in the same run (median of many runs, the commands taken in turn so a drift of the
 * machine's speed hits all alike). AWS clients start credential_process on every start, and a
 * reuse is what a person runs most, so both must stay close to the bare cost of starting Node.
 * `--against` times another build's bin beside this one (main's, say) in the same rounds. A
 * benchmark, not a test: it prints ratios and asserts nothing.
 */

/** The original README's command lines that reuse a still-valid profile, and the request each is. */
const SEED_REUSES: ReadonlyArray<{ readonly line: string; readonly request: AssumeRequest; readonly session?: string }> = [
  { line: '-p datalab -e dev -r admin', request: { target: { project: 'datalab', env: 'dev', role: 'admin' } } },
  {
    line: '--profile corp -p datalab -e dev -r contractor -c acme -ext acme-7f3a',
    request: { target: { project: 'datalab', env: 'dev', role: 'contractor', contractor: 'acme' }, sourceProfile: 'corp', externalId: 'acme-7f3a' },
  },
  {
    line: '--profile corp-session-default -p datalab -e dev -r devops --nomfa',
    request: { target: { project: 'datalab', env: 'dev', role: 'devops' }, sourceProfile: 'corp-session-default', noMfa: true },
  },
  {
    // The corp session is reused too, and the role assumed from it.
    line: '--profile corp -p datalab -e dev -r developer --get_session',
    request: { target: { project: 'datalab', env: 'dev', role: 'developer' }, sourceProfile: 'corp-session-corp', noMfa: true },
    session: 'corp-session-corp',
  },
];

interface Row {
  readonly name: string;
  readonly args: readonly string[];
  /** Variables of this row's build: its own code cache. */
  readonly env?: NodeJS.ProcessEnv;
}

/** Each row's median wall time in ms, the rows run in turn `runs` times. */
function timeInTurn(rows: readonly Row[], env: NodeJS.ProcessEnv, runs: number): number[] {
  const samples = rows.map(() => [] as number[]);
  for (let i = 0; i < runs; i++) {
    rows.forEach((row, r) => {
      const started = process.hrtime.bigint();
      const res = spawnSync(process.execPath, row.args, { env: { ...env, ...row.env }, stdio: ['ignore', 'pipe', 'pipe'] });
      samples[r]!.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (res.status !== 0) throw new Error(`${row.args.join(' ')} exited ${res.status}: ${res.stderr.toString()}`);
    });
  }
  return samples.map(median);
}

/** Writes what the full command leaves behind for each reuse line: its profile's record and section. */
function seedState(home: string, env: NodeJS.ProcessEnv, expiration: string): void {
  const sections = ['[default]\naws_access_key_id = AKIABENCH\naws_secret_access_key = secret\n', '[corp]\naws_access_key_id = AKIABENCH\naws_secret_access_key = secret\n'];
  mkdirSync(join(home, 'profiles'), { recursive: true, mode: 0o700 });
  mkdirSync(join(home, 'credentials'), { recursive: true, mode: 0o700 });
  for (const { request, session } of SEED_REUSES) {
    if (session) {
      sections.push(`[${session}]\naws_access_key_id = ASIASESSION\naws_secret_access_key = secret\naws_session_token = token\n`);
      writeFileSync(
        join(home, 'profiles', `${session}.json`),
        JSON.stringify({ version: 1, profile: session, kind: 'session', accessKeyId: 'ASIASESSION', expiration, region: 'eu-west-1', sourceProfile: 'corp' }),
        { mode: 0o600 },
      );
    }
    const { target, key } = resolveRequest(request, DEFAULT_SETTINGS, env);
    const profile = target.profileName;
    sections.push(`[${profile}]\naws_access_key_id = ASIABENCH\naws_secret_access_key = secret\naws_session_token = token\n`);
    const sourceProfile = request.sourceProfile ?? 'default';
    writeFileSync(
      join(home, 'profiles', `${profile}.json`),
      JSON.stringify({ version: 1, profile, kind: 'assume', accessKeyId: 'ASIABENCH', expiration, region: 'eu-west-1', sourceProfile, requestKey: key }),
      { mode: 0o600 },
    );
    // The entry credential-process would have cached for the same request.
    writeFileSync(
      join(home, 'credentials', `${profile}.json`),
      JSON.stringify({ version: 1, profile, requestKey: key, region: 'eu-west-1', roleArn: `arn:aws:iam::222222222222:role/${target.roleName}`, accessKeyId: 'ASIABENCH', secretAccessKey: 'secret', sessionToken: 'token', expiration }),
      { mode: 0o600 },
    );
  }
  mkdirSync(join(home, '.aws'), { recursive: true, mode: 0o700 });
  writeFileSync(join(home, '.aws', 'credentials'), `${sections.join('\n')}`, { mode: 0o600 });
}

function main(): void {
  const values = benchArgs('node tools/dist/bench/startup.js [--runs 31] [--against OTHER/bin/run.js]', { runs: { type: 'string' }, against: { type: 'string' } });
  const runs = positiveInt('runs', values.runs, 31);
  const against = values.against;
  const bins: Array<{ bin: string; label: string }> = [{ bin: ANWBIS_BIN, label: '' }, ...(against ? [{ bin: resolve(against), label: ' [against]' }] : [])];
  const home = mkdtempSync(join(tmpdir(), 'anwbis-bench-'));
  try {
    const env: NodeJS.ProcessEnv = { ...process.env, ANWBIS_HOME: home, HOME: home };
    seedState(home, env, new Date(Date.now() + 3600_000).toISOString());
    const rows: Row[] = [{ name: 'node -e 0', args: ['-e', '0'] }];
    for (const [index, { bin, label }] of bins.entries()) {
      // Each build its own compiled code: in one directory, each would take the other's bundle
      // caches for an earlier build's, delete them and compile again on every run.
      const own = { XDG_CACHE_HOME: join(home, `code-cache-${index}`) };
      const cacheHit = [bin, 'credential-process', '-p', 'datalab', '-e', 'dev', '-r', 'admin'];
      const check = spawnSync(process.execPath, cacheHit, { env: { ...env, ...own } });
      if (!check.stdout.toString().includes('ASIABENCH')) throw new Error(`the cache was not hit: ${check.stderr.toString()}`);
      rows.push({ name: `credential-process (cache hit)${label}`, args: cacheHit, env: own });
      for (const { line } of SEED_REUSES) {
        const args = [bin, ...line.split(' ')];
        const reuse = spawnSync(process.execPath, args, { env: { ...env, ...own } });
        if (!reuse.stderr.toString().includes('Reusing profile')) throw new Error(`anwbis ${line} did not reuse its profile: ${reuse.stderr.toString()}`);
        rows.push({ name: `anwbis ${line}${label}`, args, env: own });
      }
      rows.push({ name: `anwbis --version${label}`, args: [bin, '--version'], env: own });
    }
    // Warm-up: the file cache equally warm for every row.
    timeInTurn(rows, env, 2);
    const ms = timeInTurn(rows, env, runs);
    const base = ms[0]!;
    const width = Math.max(...rows.map((r) => r.name.length));
    process.stdout.write(`start-up, median of ${runs} runs each, taken in turn (Node ${process.version})\n\n`);
    process.stdout.write(`${'command'.padEnd(width)}  ${'ms'.padStart(7)}  ${'× node -e 0'.padStart(11)}\n`);
    rows.forEach((row, i) => process.stdout.write(`${row.name.padEnd(width)}  ${ms[i]!.toFixed(1).padStart(7)}  ${(ms[i]! / base).toFixed(2).padStart(11)}\n`));
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

main();
