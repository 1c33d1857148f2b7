import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { askedRegion, corpProfileOf, credentialsFilePath, DEFAULT_PATTERNS, requestKey, resolveTarget } from '@anwbis/core';
import { ANWBIS_BIN } from '../emulator/processes.js';
import { median } from './stats.js';

/**
 * `npm run bench:startup`: the wall time of a cache-hit `anwbis credential-process`, of a reused
 * profile and of `anwbis --version`, each against `node -e 0` measured in the same run (median of many runs).
 * AWS clients start credential_process on every start, so its cache hit must stay close to the
 * bare cost of starting Node. A benchmark, not a test: it prints ratios and asserts nothing.
 */

function time(args: string[], env: NodeJS.ProcessEnv, runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = process.hrtime.bigint();
    const res = spawnSync(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (res.status !== 0) throw new Error(`${args.join(' ')} exited ${res.status}: ${res.stderr.toString()}`);
  }
  return median(samples);
}

function main(): void {
  const runsArg = process.argv.indexOf('--runs');
  const runs = runsArg === -1 ? 31 : Number(process.argv[runsArg + 1]);
  const home = mkdtempSync(join(tmpdir(), 'anwbis-bench-'));
  try {
    mkdirSync(join(home, 'credentials'), { recursive: true, mode: 0o700 });
    const expiration = new Date(Date.now() + 3600_000).toISOString();
    const env: NodeJS.ProcessEnv = { ...process.env, ANWBIS_HOME: home, HOME: home };
    // The entry the full command would have cached for this very request.
    const key = requestKey({
      target: resolveTarget({ project: 'datalab', env: 'dev', role: 'admin' }),
      source: corpProfileOf(env.AWS_PROFILE || 'default', DEFAULT_PATTERNS),
      region: askedRegion(undefined, env),
      credentialsFile: credentialsFilePath(env),
    });
    writeFileSync(
      join(home, 'credentials', 'datalab-dev-admin.json'),
      JSON.stringify({ version: 1, profile: 'datalab-dev-admin', requestKey: key, region: 'eu-west-1', roleArn: 'arn:aws:iam::222222222222:role/dev-datalab-delegated-admin', accessKeyId: 'ASIABENCH', secretAccessKey: 'secret', sessionToken: 'token', expiration }),
      { mode: 0o600 },
    );
    // A profile the full command wrote for the same request: what a reuse run finds.
    mkdirSync(join(home, 'profiles'), { recursive: true, mode: 0o700 });
    mkdirSync(join(home, '.aws'), { recursive: true, mode: 0o700 });
    writeFileSync(join(home, '.aws', 'credentials'), '[default]\naws_access_key_id = AKIABENCH\naws_secret_access_key = secret\n\n[datalab-dev-admin]\naws_access_key_id = ASIABENCH\naws_secret_access_key = secret\naws_session_token = token\n', { mode: 0o600 });
    writeFileSync(
      join(home, 'profiles', 'datalab-dev-admin.json'),
      JSON.stringify({ version: 1, profile: 'datalab-dev-admin', kind: 'assume', accessKeyId: 'ASIABENCH', expiration, region: 'eu-west-1', sourceProfile: 'default', requestKey: key }),
      { mode: 0o600 },
    );
    const reuse = spawnSync(process.execPath, [ANWBIS_BIN, '-p', 'datalab', '-e', 'dev', '-r', 'admin'], { env });
    if (!reuse.stderr.toString().includes('Reusing profile')) throw new Error(`the profile was not reused: ${reuse.stderr.toString()}`);
    const check = spawnSync(process.execPath, [ANWBIS_BIN, 'credential-process', '-p', 'datalab', '-e', 'dev', '-r', 'admin'], { env });
    if (!check.stdout.toString().includes('ASIABENCH')) throw new Error(`the cache was not hit: ${check.stderr.toString()}`);
    // Interleave warm-ups so the file cache is equally warm for all three.
    time(['-e', '0'], env, 3);
    const rows: Array<[string, number]> = [
      ['node -e 0', time(['-e', '0'], env, runs)],
      ['anwbis credential-process (cache hit)', time([ANWBIS_BIN, 'credential-process', '-p', 'datalab', '-e', 'dev', '-r', 'admin'], env, runs)],
      ['anwbis -p datalab -e dev -r admin (reuse)', time([ANWBIS_BIN, '-p', 'datalab', '-e', 'dev', '-r', 'admin'], env, runs)],
      ['anwbis --version', time([ANWBIS_BIN, '--version'], env, runs)],
    ];
    const base = rows[0]![1];
    process.stdout.write(`start-up, median of ${runs} runs each (Node ${process.version})\n\n`);
    process.stdout.write(`${'command'.padEnd(40)}  ${'ms'.padStart(7)}  ${'× node -e 0'.padStart(11)}\n`);
    for (const [name, ms] of rows) process.stdout.write(`${name.padEnd(40)}  ${ms.toFixed(1).padStart(7)}  ${(ms / base).toFixed(2).padStart(11)}\n`);
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

main();
