import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { ANWBIS_BIN, conventionScenario, createSandbox, runAnwbis, seedScenario, startMoto, type MotoServer, type Sandbox } from '../emulator/index.js';
import { addStaticProfile, cliCall, mustRun, type Command } from './peers/peers.js';
import { servedShellEnv } from './served-shell.js';
import { benchArgs, median, positiveInt } from './stats.js';

/**
 * `npm run bench:envserver`: what one AWS CLI call costs in a shell served by
 * `anwbis env --server` (the container endpoint, each fetch answered from the daemon), against
 * the same call with static keys and with a cache-hit `credential_process`, interleaved round by
 * round in the same run, against the local emulator. A benchmark, not a test: it prints medians
 * and ratios and asserts nothing about timings. Target: the served shell's call costs at most
 * static keys + 5 ms.
 *
 *   node tools/dist/bench/shell-server.js [--rounds 21]
 */

const DEV = '222222222222';

/** One credential fetch as the SDKs' container provider makes it (a new connection, the token); its milliseconds. */
function fetchMs(url: string, token: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { authorization: token }, agent: false }, (res) => {
      res.resume();
      res.once('end', () => (res.statusCode === 200 ? resolve(performance.now() - started) : reject(new Error(`the endpoint answered ${res.statusCode}`))));
    });
    req.once('error', reject);
    req.end();
  });
}
const ROLE = ['-p', 'datalab', '-e', 'dev', '-r', 'admin'];

async function main(): Promise<void> {
  const values = benchArgs('node tools/dist/bench/shell-server.js [--rounds 21]', { rounds: { type: 'string' } });
  const rounds = positiveInt('rounds', values.rounds, 21);
  const say = (line = '') => process.stdout.write(`${line}\n`);
  const note = (line: string) => process.stderr.write(`${line}\n`);

  let moto: MotoServer | undefined;
  let sandbox: Sandbox | undefined;
  let env: Record<string, string> = {};
  const runtime = mkdtempSync('/tmp/anwb-');
  chmodSync(runtime, 0o700);
  try {
    moto = await startMoto();
    const seeded = await seedScenario(moto.endpoint, conventionScenario({ users: ['bench.user'], projects: { datalab: { envs: { dev: DEV }, roles: ['admin'] } } }));
    const user = seeded.users['bench.user']!;
    sandbox = createSandbox({ endpoint: moto.endpoint, profiles: { default: user } });
    addStaticProfile(sandbox, user);
    sandbox.write('config', `${sandbox.read('config')}\n[profile via-process]\nregion = us-east-1\ncredential_process = ${process.execPath} ${ANWBIS_BIN} credential-process ${ROLE.join(' ')}\n`);
    env = { ...sandbox.env, XDG_RUNTIME_DIR: runtime };
    const must = async (what: string, args: string[]) => {
      const res = await runAnwbis(args, { env, timeoutMs: 120_000 });
      if (res.code !== 0) throw new Error(`${what} failed: ${res.stderr}`);
      return res;
    };
    await must('anwbis session', ['session', '--mfa-code', '123456']);
    await must('anwbis daemon start', ['daemon', 'start']);
    // This process stands for the shell: the listener lives as long as it does.
    const served = await servedShellEnv(env, ROLE, process.pid);

    const calls: Array<[string, Command]> = [
      ['static keys', cliCall(env, moto.endpoint, 'static')],
      ['anwbis env --server', cliCall(served, moto.endpoint)],
      ['credential_process (cache hit)', cliCall(env, moto.endpoint, 'via-process')],
    ];
    // Warm-up (not counted): the file cache, the credential_process cache, the endpoint's first refresh.
    for (const [what, cmd] of calls) await mustRun(what, cmd);
    const times = new Map<string, number[]>(calls.map(([what]) => [what, []]));
    note(`bench:envserver: ${rounds} rounds of aws sts get-caller-identity, each way in turn`);
    const fetches: number[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const [what, cmd] of calls) times.get(what)!.push((await mustRun(what, cmd)).ms);
      for (let i = 0; i < 20; i++) fetches.push(await fetchMs(served.AWS_CONTAINER_CREDENTIALS_FULL_URI!, served.AWS_CONTAINER_AUTHORIZATION_TOKEN!));
    }

    const base = median(times.get('static keys')!);
    say(`AWS CLI sts get-caller-identity against the emulator, ${rounds} interleaved rounds, medians (Node ${process.version}):`);
    say();
    say('| credentials from | median | vs static keys |');
    say('| --- | --- | --- |');
    for (const [what] of calls) {
      const m = median(times.get(what)!);
      say(`| ${what} | ${m.toFixed(0)} ms | ${(m / base).toFixed(2)}× (${m - base < 0 ? '−' : '+'}${Math.abs(m - base).toFixed(1)} ms) |`);
    }
    say();
    say(`What the served shell adds to each call, measured alone: one credential fetch from its endpoint (a new connection, the token, the daemon asked over its socket), median ${median(fetches).toFixed(2)} ms of ${fetches.length}.`);
    say('Target: the served shell at most static keys + 5 ms. Whole AWS CLI runs vary by far more than that on a loaded machine: read the difference with the fetch above.');
  } finally {
    if (sandbox) await runAnwbis(['daemon', 'stop', '--force'], { env }).catch(() => undefined);
    await moto?.stop();
    sandbox?.remove();
    rmSync(runtime, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:envserver failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
