import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stopChild } from './processes.js';
import { parseRecording, type RecordedCall } from './recording.js';

const LAUNCHER = fileURLToPath(new URL('../../emulator/moto_launcher.py', import.meta.url));

/** Thrown when moto cannot be started; its message says how to install it. */
export class EmulatorUnavailableError extends Error {}

/** A running moto server on 127.0.0.1, owned by the process that started it. */
export interface MotoServer {
  readonly endpoint: string;
  readonly port: number;
  /** Forget every account, user, role and key (and switch policy enforcement off). */
  reset(): Promise<void>;
  /** Record every AWS request from now on, starting from an empty recording. */
  startRecording(): Promise<void>;
  stopRecording(): Promise<void>;
  /** The AWS calls recorded since {@link startRecording}, decoded. */
  recording(): Promise<RecordedCall[]>;
  /** Make moto evaluate IAM policies, so a call the caller's policies do not allow is denied. */
  enforcePolicies(): Promise<void>;
  /** Stop the server and wait until it is gone. Safe to call twice. */
  stop(): Promise<void>;
  readonly pid: number;
}

/** The python interpreter to run moto with: `ANWBIS_PYTHON`, else `python3`. */
export function pythonCommand(): string {
  return process.env.ANWBIS_PYTHON ?? 'python3';
}

/** Checks that moto's server can be imported, with an actionable message when it cannot. */
export function assertMotoInstalled(python = pythonCommand()): void {
  const probe = spawnSync(python, ['-c', 'import moto.server, flask, werkzeug'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    throw new EmulatorUnavailableError(
      `The local AWS emulator (moto) is not available to ${python}.\n` +
        `Install it with:  ${python} -m pip install 'moto[server]'\n` +
        '(or set ANWBIS_PYTHON to an interpreter that has it)',
    );
  }
}

/**
 * Starts moto's server through the faithfulness launcher (see moto_launcher.py) on a free
 * loopback port and resolves once it answers HTTP.
 */
export async function startMoto(options: { python?: string; startupTimeoutMs?: number } = {}): Promise<MotoServer> {
  const python = options.python ?? pythonCommand();
  assertMotoInstalled(python);
  const recordDir = mkdtempSync(join(tmpdir(), 'anwbis-moto-'));
  const child = spawn(python, [LAUNCHER], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      MOTO_RECORDER_FILEPATH: join(recordDir, 'recording.jsonl'),
      MOTO_ENABLE_RECORDING: '',
      PYTHONUNBUFFERED: '1',
    },
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8000);
  });
  const port = await readPort(child, options.startupTimeoutMs ?? 30_000, () => stderr);
  const endpoint = `http://127.0.0.1:${port}`;
  await waitUntilAnswering(endpoint, 10_000);

  const api = async (path: string, body = ''): Promise<string> => {
    const res = await fetch(`${endpoint}/moto-api/${path}`, {
      method: body === '' && path.includes('download') ? 'GET' : 'POST',
      headers: { 'content-type': 'text/plain' },
      ...(path.includes('download') ? {} : { body }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`moto ${path} answered ${res.status}: ${text.slice(0, 300)}`);
    return text;
  };

  let stopped: Promise<void> | undefined;
  const server: MotoServer = {
    endpoint,
    port,
    pid: child.pid ?? -1,
    async reset() {
      await api('reset');
      await api('reset-auth', 'inf');
      await api('recorder/stop-recording');
      await api('recorder/reset-recording');
    },
    async startRecording() {
      await api('recorder/reset-recording');
      await api('recorder/start-recording');
    },
    async stopRecording() {
      await api('recorder/stop-recording');
    },
    async recording() {
      return parseRecording(await api('recorder/download-recording'));
    },
    async enforcePolicies() {
      await api('reset-auth', '0');
    },
    stop() {
      stopped ??= stopChild(child, 5000).finally(() => rmSync(recordDir, { recursive: true, force: true }));
      return stopped;
    },
  };
  return server;
}

function readPort(child: ChildProcess, timeoutMs: number, stderr: () => string): Promise<number> {
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new EmulatorUnavailableError(`moto did not start: ${why}\n${stderr()}`));
    };
    const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
    child.once('error', (err) => fail(err.message));
    child.once('exit', (code) => fail(`it exited with code ${code}`));
    lines.once('line', (line) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.removeAllListeners('error');
      try {
        resolve((JSON.parse(line) as { port: number }).port);
      } catch {
        fail(`unexpected first line ${JSON.stringify(line)}`);
      }
    });
  });
}

async function waitUntilAnswering(endpoint: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(`${endpoint}/moto-api/data.json`);
      await res.arrayBuffer();
      if (res.ok) return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

