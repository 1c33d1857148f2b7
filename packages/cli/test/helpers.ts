import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from '@jest/globals';
import {
  ANWBIS_BIN,
  createSandbox,
  seedScenario,
  startMoto,
  type MotoServer,
  type ProcessResult,
  type Sandbox,
  type Scenario,
  type SeededScenario,
} from '@anwbis/tools/emulator';
import { startFederationStandIn, type FederationStandIn } from '@anwbis/tools/federation';

/**
 * The exit codes the README documents. Written out here, not imported from core, so a change
 * to core's table fails these tests instead of following it silently.
 */
export const EXIT = { ok: 0, usage: 2, config: 3, denied: 4, mfa: 5, aws: 6, file: 7, bug: 70 } as const;

/** A line anwbis prints when it fails: an error it explains, or a crash. */
const FAILURE_LINE = /^\[ (ERROR|BUG) \]/m;

/** Asserts a run succeeded; when it did not, the failure shows its exit code and all of stderr. */
export function expectOk(res: ProcessResult): void {
  // A stderr without a failure line is expected as it is, so the diff still shows it in full.
  const stderr = FAILURE_LINE.test(res.stderr) ? expect.not.stringMatching(FAILURE_LINE) : res.stderr;
  expect({ code: res.code, signal: res.signal, stderr: res.stderr }).toEqual({ code: EXIT.ok, signal: null, stderr });
}

/**
 * Asserts anwbis refused as documented: this exit code, and an `[ ERROR ]` line that `message`
 * matches from that line on (a crash prints `[ BUG ]` and never matches). On failure it shows
 * the exit code and all of stderr.
 */
export function expectRefused(res: ProcessResult, code: number, message: RegExp): void {
  const reported = new RegExp(`^\\[ ERROR \\] [^\\n]*?(?:${message.source})`, 'm');
  expect({ code: res.code, signal: res.signal, stderr: res.stderr }).toEqual({ code, signal: null, stderr: expect.stringMatching(reported) });
}

/** Every file under a sandbox with its bytes and mode, to prove a failed run changed nothing. */
export function snapshot(sandbox: Sandbox): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out[path.slice(sandbox.dir.length)] = `${(statSync(path).mode & 0o777).toString(8)} ${readFileSync(path).toString('base64')}`;
    }
  };
  walk(sandbox.dir);
  return out;
}

/** File mode bits of a path, as an octal string. */
export function modeOf(path: string): string {
  return (statSync(path).mode & 0o777).toString(8);
}

/**
 * The usual world of an end-to-end test file: one emulator for the file, and before each test
 * a fresh scenario and a sandbox whose `default` profile (and each of `profiles`) holds the
 * first user's keys.
 */
export function emulatorWorld(
  scenario: () => Scenario,
  options: { readonly profiles?: readonly string[] } = {},
): { readonly moto: MotoServer; readonly seeded: SeededScenario; readonly sandbox: Sandbox } {
  const world = {} as { moto: MotoServer; seeded: SeededScenario; sandbox: Sandbox };
  beforeAll(async () => {
    world.moto = await startMoto();
  });
  afterAll(async () => {
    await world.moto?.stop();
  });
  beforeEach(async () => {
    await world.moto.reset();
    const s = scenario();
    world.seeded = await seedScenario(world.moto.endpoint, s);
    const keys = world.seeded.users[s.users[0]!.name]!;
    world.sandbox = createSandbox({ endpoint: world.moto.endpoint, profiles: Object.fromEntries(['default', ...(options.profiles ?? [])].map((name) => [name, keys])) });
  });
  afterEach(() => world.sandbox?.remove());
  return world;
}

/**
 * The console federation stand-in for the file (moto has none): one that follows AWS's
 * documented protocol, started before the file's tests and closed after them.
 */
export function federationWorld(): { readonly standIn: FederationStandIn } {
  const world = {} as { standIn: FederationStandIn };
  beforeAll(async () => {
    world.standIn = await startFederationStandIn();
  });
  afterAll(async () => {
    await world.standIn?.close();
  });
  return world;
}

/** A built `anwbis` started with its stdin left open, for what only a live process shows. */
export interface RunningAnwbis {
  readonly child: ChildProcessWithoutNullStreams;
  /** Resolves once the stream's output so far matches; after `timeoutMs` fails showing all output. */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves when it has exited; after `timeoutMs` kills it and fails showing all output. */
  exited(timeoutMs?: number): Promise<ProcessResult>;
}

/** Starts the built `anwbis` without closing its stdin (runAnwbis closes it at once). */
export function startAnwbis(args: readonly string[], env: Record<string, string>): RunningAnwbis {
  const child = spawn(process.execPath, [ANWBIS_BIN, ...args], { env, stdio: ['pipe', 'pipe', 'pipe'] });
  const output = { stdout: '', stderr: '' };
  const seen = () => `exit: ${child.exitCode ?? child.signalCode ?? 'still running'}\nstdout:\n${output.stdout}\nstderr:\n${output.stderr}`;
  child.stdout.setEncoding('utf8').on('data', (d: string) => (output.stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (output.stderr += d));
  child.stdin.on('error', () => undefined);
  let isClosed = false;
  const closed = new Promise<ProcessResult>((resolve) =>
    child.once('close', (code, signal) => {
      isClosed = true;
      resolve({ code, signal, ...output });
    }),
  );
  return {
    child,
    waitFor: (stream, pattern, timeoutMs = 180_000) =>
      new Promise((resolve, reject) => {
        const settle = () => {
          if (pattern.test(output[stream])) done();
          else if (isClosed) done(new Error(`exited without ${pattern} on ${stream}\n${seen()}`));
        };
        const timer = setTimeout(() => done(new Error(`no ${pattern} on ${stream} within ${timeoutMs} ms\n${seen()}`)), timeoutMs);
        const done = (error?: Error) => {
          clearTimeout(timer);
          child[stream].off('data', settle);
          child.off('close', settle);
          if (error) reject(error);
          else resolve();
        };
        child[stream].on('data', settle);
        child.once('close', settle);
        settle();
      }),
    exited: (timeoutMs = 180_000) => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          child.kill('SIGKILL');
          reject(new Error(`still running after ${timeoutMs} ms\n${seen()}`));
        }, timeoutMs);
      });
      return Promise.race([closed, late]).finally(() => clearTimeout(timer));
    },
  };
}

/**
 * The pids of our processes started with this environment entry, from /proc (Linux): a daemon
 * a test started, even one whose `daemon start` never printed its pid.
 */
function processesWith(entry: string): number[] {
  if (!existsSync('/proc')) return [];
  const wanted = Buffer.from(`${entry}\0`);
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name) && Number(name) !== process.pid)
    .filter((name) => {
      try {
        const environ = readFileSync(`/proc/${name}/environ`);
        return environ.subarray(0, wanted.length).equals(wanted) || environ.includes(Buffer.concat([Buffer.from([0]), wanted]));
      } catch {
        // gone, or not ours
        return false;
      }
    })
    .map(Number);
}

/**
 * A private, short XDG_RUNTIME_DIR for each test, so its daemon's socket is its own (a Unix
 * socket path is limited to about 107 bytes). After each test, passed or failed, every process
 * still running with it (a daemon, a hung client) is killed and the directory removed.
 */
export function daemonRuntime(): { readonly dir: string } {
  const runtime = { dir: '' };
  beforeEach(() => {
    runtime.dir = mkdtempSync('/tmp/anwr-');
    chmodSync(runtime.dir, 0o700);
  });
  afterEach(() => {
    for (const pid of processesWith(`XDG_RUNTIME_DIR=${runtime.dir}`)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    rmSync(runtime.dir, { recursive: true, force: true });
  });
  return runtime;
}

/**
 * Writes a `--import` hook into `dir` that appends every module URL a Node process resolves to
 * `dir/loaded-<pid>`: what each run loaded, to show a fast path loads no more than it should.
 * `builtins()` gives Node's own modules each run had loaded when it exited (internal ones too,
 * such as the undici that `node:http` may pull in), one list per process.
 */
export function writeLoadTrace(dir: string): { readonly hook: string; loaded(): string[]; builtins(): string[][] } {
  const hook = join(dir, 'trace.mjs');
  writeFileSync(
    hook,
    `import { registerHooks } from 'node:module';\nimport { appendFileSync, writeFileSync } from 'node:fs';\n` +
      `registerHooks({ resolve(specifier, context, next) { const r = next(specifier, context); appendFileSync(${JSON.stringify(dir)} + '/loaded-' + process.pid, r.url + '\\n'); return r; } });\n` +
      `process.on('exit', () => writeFileSync(${JSON.stringify(dir)} + '/builtins-' + process.pid, process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13)).join('\\n')));\n`,
  );
  const read = (prefix: string) =>
    readdirSync(dir)
      .filter((f) => f.startsWith(prefix))
      .map((f) => readFileSync(join(dir, f), 'utf8'));
  return { hook, loaded: () => read('loaded-'), builtins: () => read('builtins-').map((text) => text.split('\n')) };
}

/**
 * Polls `probe` every 100 ms until it gives a value; after `timeoutMs` fails naming what it
 * waited for. A wait on a condition, never a sleep that guesses.
 */
export async function waitFor<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs: number): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Runs `script` in node as uid/gid 65534, another local user; resolves with what it prints. */
export function asOtherUser(script: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script, ...args], { uid: 65534, gid: 65534, cwd: '/', env: { PATH: '/usr/bin:/bin' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.once('error', reject);
    child.once('close', () => resolve(out.trim()));
  });
}
