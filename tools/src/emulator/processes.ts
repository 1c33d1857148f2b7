import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** What a finished child process left behind. */
export interface ProcessResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunOptions {
  readonly env: Record<string, string>;
  /** Written to the child's stdin, which is then closed; without it stdin is empty. */
  readonly input?: string;
  readonly cwd?: string;
  /**
   * Kills the child after this long (default 240 s): only a hung child, as a run on a loaded
   * machine can take a minute or more. Below the integration tests' own timeout
   * (jest.preset.mjs), so the test fails showing what the child printed.
   */
  readonly timeoutMs?: number;
}

/** Runs a program with an argument list (never a shell) and collects its output. */
export function run(command: string, args: readonly string[], options: RunOptions): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: options.env, cwd: options.cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 240_000);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** Path of the built `anwbis` executable in this checkout. */
export const ANWBIS_BIN = fileURLToPath(new URL('../../../packages/cli/bin/run.js', import.meta.url));

/** Runs the built `anwbis` as a user would (Node from this workspace, real files, real env). */
export function runAnwbis(args: readonly string[], options: RunOptions): Promise<ProcessResult> {
  return run(process.execPath, [ANWBIS_BIN, ...args], options);
}

let awsCliPath: string | undefined;

/**
 * The AWS CLI v2 to check anwbis's output with. Debian's `awscli` installs it as /usr/bin/aws;
 * an `aws` v1 earlier on PATH (pip's) is skipped. `ANWBIS_AWS_CLI` overrides.
 */
export function awsCli(): string {
  if (awsCliPath) return awsCliPath;
  const candidates = [process.env.ANWBIS_AWS_CLI, '/usr/bin/aws', '/usr/local/bin/aws', 'aws'].filter((c): c is string => !!c);
  for (const candidate of candidates) {
    if (candidate.startsWith('/') && !existsSync(candidate)) continue;
    const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8' });
    if (probe.status === 0 && /aws-cli\/2\./.test(probe.stdout + probe.stderr)) return (awsCliPath = candidate);
  }
  throw new Error('The AWS CLI v2 is needed for these tests: install Debian\'s package with `apt-get install awscli`.');
}

/** Runs the AWS CLI v2 against the emulator with the sandbox's files. */
export function runAwsCli(args: readonly string[], options: RunOptions & { endpoint: string }): Promise<ProcessResult> {
  return run(awsCli(), ['--endpoint-url', options.endpoint, '--output', 'json', ...args], options);
}

/**
 * Stops a child server: closes its stdin (our servers exit when it closes), sends SIGTERM, and
 * SIGKILL after `graceMs`; resolves once it has exited.
 */
export function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.stdin?.end();
    child.kill('SIGTERM');
  });
}
