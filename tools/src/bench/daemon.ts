import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { assume, createSdkPort, fromInstanceMetadata, loadProfileCredentials, silentEvents, systemClock, type AwsCredentials, type AwsPort } from '@anwbis/core';
import { conventionScenario, createSandbox, runAnwbis, seedScenario, startMoto, type MotoServer, type Sandbox } from '../emulator/index.js';
import { benchArgs, positiveInt } from './stats.js';

/**
 * Benchmark (not a test: it reports figures, it asserts nothing about timings) of the daemon
 * with many watched profiles against the local emulator:
 * - resident memory (VmRSS) of the daemon process with all of them watched and refreshed;
 * - the daemon's CPU time per refresh in a round that refreshes every profile;
 * - CPU time it spends over a quiet minute (nothing due), as a share of one core;
 * - AWS calls per refresh, from moto's recorder, for a round that refreshes every profile;
 * - how long `status` takes over the socket.
 *
 *   node tools/dist/bench/daemon.js [--profiles 500] [--quiet-seconds 60]
 *
 * It speaks the daemon's socket protocol (packages/daemon/PROTOCOL.md) directly, as any client may.
 * The daemon refreshes only profiles anwbis wrote (the remembered role, no discovery), so every
 * profile is first assumed from the corp session with core's assume, as `anwbis watch` does.
 */

const ROLES_PER_PROJECT = 10;
const DEV = '222222222222';

/** A minimal newline-delimited JSON-RPC client of the daemon. */
class RawClient {
  private buffer = '';
  private nextId = 1;
  private readonly waiting = new Map<number, (message: { result?: unknown; error?: { message: string } }) => void>();

  private constructor(private readonly socket: Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      for (let nl = this.buffer.indexOf('\n'); nl !== -1; nl = this.buffer.indexOf('\n')) {
        const message = JSON.parse(this.buffer.slice(0, nl));
        this.buffer = this.buffer.slice(nl + 1);
        this.waiting.get(message.id)?.(message);
        this.waiting.delete(message.id);
      }
    });
  }

  static async open(socketPath: string): Promise<RawClient> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect(socketPath, () => resolve(s));
      s.once('error', reject);
    });
    const client = new RawClient(socket);
    const token = readFileSync(join(socketPath, '..', 'daemon.token'), 'utf8').trim();
    await client.call('hello', { token, protocol: 1, client: 'bench' });
    return client;
  }

  call<T>(method: string, params?: unknown): Promise<T> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, (m) => (m.error ? reject(new Error(m.error.message)) : resolve(m.result as T)));
      this.socket.write(`${JSON.stringify({ jsonrpc: '2.0', id, method, ...(params === undefined ? {} : { params }) })}\n`);
    });
  }

  close(): void {
    this.socket.destroy();
  }
}

interface Status {
  pid: number;
  profiles: Array<{ profile: string; state: string; lastRefreshAt: string | null }>;
}

/**
 * Writes each profile as `anwbis watch` does before it hands one over: assumed from the corp
 * session (discovery included), in this process with core's assume, a few at a time.
 */
async function assumeAll(targets: ReadonlyArray<{ project: string; role: string }>, env: Record<string, string>, durationSeconds: number): Promise<void> {
  // The SDK's profile resolver reads the AWS file locations from this process's environment.
  for (const [k, v] of Object.entries(env)) if (k.startsWith('AWS_') || k.startsWith('ANWBIS_')) process.env[k] = v;
  const ports = new Map<string, AwsPort>();
  const deps = {
    env,
    clock: systemClock,
    events: silentEvents,
    mfa: { prompter: { interactive: false, ask: () => Promise.reject(new Error('the benchmark has no MFA code to give')) } },
    loadSourceCredentials: loadProfileCredentials,
    instanceMetadata: fromInstanceMetadata,
    createAws: (options: { credentials: AwsCredentials; region: string }) => {
      const key = `${options.credentials.accessKeyId}/${options.region}`;
      if (!ports.has(key)) ports.set(key, createSdkPort(options));
      return ports.get(key)!;
    },
  };
  const queue = [...targets];
  await Promise.all(
    Array.from({ length: 4 }, async () => {
      for (let t = queue.shift(); t; t = queue.shift()) {
        await assume({ target: { project: t.project, env: 'dev', role: t.role }, sourceProfile: 'corp-session-default', noMfa: true, durationSeconds }, deps);
      }
    }),
  );
}

/** CPU time (user + system) of a process in seconds, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat; after "pid (comm) " they are at 11 and 12. USER_HZ is 100 on Linux.
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]);
  return kb / 1024;
}

async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

async function main(): Promise<void> {
  const values = benchArgs('node tools/dist/bench/daemon.js [--profiles 500] [--quiet-seconds 60]', { profiles: { type: 'string' }, 'quiet-seconds': { type: 'string' } });
  const count = positiveInt('profiles', values.profiles, 500);
  const quietSeconds = positiveInt('quiet-seconds', values['quiet-seconds'], 60);
  const projects = Math.ceil(count / ROLES_PER_PROJECT);
  const say = (line = '') => process.stdout.write(`${line}\n`);

  let moto: MotoServer | undefined;
  let sandbox: Sandbox | undefined;
  let client: RawClient | undefined;
  const runtime = mkdtempSync('/tmp/anwb-');
  let env: Record<string, string> = {};
  try {
    moto = await startMoto();
    const roles = Array.from({ length: ROLES_PER_PROJECT }, (_, i) => `r${i}`);
    const spec = Object.fromEntries(Array.from({ length: projects }, (_, i) => [`p${String(i).padStart(3, '0')}`, { envs: { dev: DEV }, roles }]));
    say(`Seeding ${projects * ROLES_PER_PROJECT} delegated roles…`);
    const seeded = await seedScenario(moto.endpoint, conventionScenario({ users: ['bench.user'], projects: spec }));
    sandbox = createSandbox({ endpoint: moto.endpoint, profiles: { default: seeded.users['bench.user']! } });
    env = { ...sandbox.env, XDG_RUNTIME_DIR: runtime };
    mkdirSync(sandbox.anwbisHome, { recursive: true, mode: 0o700 });
    writeFileSync(join(sandbox.anwbisHome, 'config'), '[daemon]\nnotifications = false\n');
    const run = async (args: string[]) => {
      const res = await runAnwbis(args, { env, timeoutMs: 120_000 });
      if (res.code !== 0) throw new Error(`anwbis ${args.join(' ')} failed: ${res.stderr}`);
    };
    await run(['session', '--mfa-code', '123456']);
    await run(['daemon', 'start']);
    client = await RawClient.open(join(runtime, 'anwbis', 'daemon.sock'));
    const pid = (await client.call<Status>('status')).pid;

    const watched = Object.keys(spec).flatMap((project) => roles.map((role) => ({ project, role }))).slice(0, count);
    const started = performance.now();
    await assumeAll(watched, env, 900);
    for (const { project, role } of watched) {
      await client.call('watch', { watch: { profile: `${project}-dev-${role}`, sourceProfile: 'default', target: { project, env: 'dev', role }, durationSeconds: 900 } });
    }
    const allFresh = async () => (await client!.call<Status>('status')).profiles.every((p) => p.state === 'fresh');
    await waitUntil('the first refresh of every profile', allFresh, 30 * 60_000);
    say(`Assumed, watched and found fresh ${count} profiles in ${((performance.now() - started) / 1000).toFixed(1)} s (discovery included)`);

    await moto.startRecording();
    const refreshLines = () => readFileSync(join(sandbox!.anwbisHome, 'logs', 'daemon.log'), 'utf8').split('\n').filter((l) => l.includes(' info refreshed ')).length;
    const logBefore = refreshLines();
    const round = performance.now();
    const roundCpuBefore = cpuSeconds(pid);
    await client.call('refresh', {});
    await waitUntil('a refresh round', allFresh, 30 * 60_000);
    const roundSeconds = (performance.now() - round) / 1000;
    const roundCpu = cpuSeconds(pid) - roundCpuBefore;
    const refreshedBefore = refreshLines();
    const calls = await moto.recording();
    await moto.stopRecording();
    const assumeCalls = calls.filter((c) => c.action === 'AssumeRole').length;
    const actions = new Map<string, number>();
    for (const c of calls) actions.set(c.action, (actions.get(c.action) ?? 0) + 1);
    say(`  refreshes logged in the round: ${refreshedBefore - logBefore}`);
    say(`  calls: ${[...actions].map(([a, n]) => `${a} ${n}`).join(', ')}`);
    say(`Refresh round: ${count} profiles in ${roundSeconds.toFixed(1)} s; ${calls.length} AWS calls (${assumeCalls} AssumeRole): ${(calls.length / count).toFixed(2)} per refresh`);
    say(`  daemon CPU in the round: ${roundCpu.toFixed(2)} s, ${((roundCpu / count) * 1000).toFixed(1)} ms per refresh`);

    const cpuBefore = cpuSeconds(pid);
    await new Promise((r) => setTimeout(r, quietSeconds * 1000));
    const cpu = cpuSeconds(pid) - cpuBefore;
    say(`Quiet ${quietSeconds} s: ${cpu.toFixed(2)} s of CPU = ${((cpu / quietSeconds) * 100).toFixed(3)} % of one core`);
    say(`Resident memory: ${rssMb(pid).toFixed(1)} MB`);

    const times: number[] = [];
    for (let i = 0; i < 200; i++) {
      const t = performance.now();
      await client.call('status');
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const at = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))]!.toFixed(2);
    say(`status with ${count} profiles, 200 calls: median ${at(0.5)} ms, p95 ${at(0.95)} ms, max ${at(1)} ms`);
  } finally {
    client?.close();
    if (sandbox) await runAnwbis(['daemon', 'stop'], { env }).catch(() => undefined);
    await moto?.stop();
    sandbox?.remove();
    rmSync(runtime, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:daemon failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
