import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';
import { createInterface } from 'node:readline';
import {
  AnwbisError,
  createSdkPort,
  fromInstanceMetadata,
  loadProfileCredentials,
  splitCommandLine,
  systemClock,
  type AssumeDeps,
  type MfaSources,
  type Prompter,
  type Reporter,
} from '@anwbis/core';

/** Terminal progress on stderr; stdout stays for data. */
export function stderrReporter(verbose: boolean, quiet = false): Reporter {
  const write = (line: string) => process.stderr.write(`${line}\n`);
  const say = quiet && !verbose ? () => undefined : write;
  return {
    info: say,
    ok: (line) => say(`[ OK ] ${line}`),
    verbose: (line) => (verbose ? write(`[ .. ] ${line}`) : undefined),
  };
}

/** Asks one question on a terminal; closing it (Ctrl-D) without an answer is an error. */
function askOnce(input: NodeJS.ReadableStream, output: NodeJS.WritableStream, question: string): Promise<string> {
  const rl = createInterface({ input, output, terminal: true });
  return new Promise((resolve, reject) => {
    let answered = false;
    rl.once('close', () => {
      if (!answered) reject(new AnwbisError('mfa', 'no MFA code was entered', { next: 'run again and type the six-digit code' }));
    });
    rl.question(question, (answer) => {
      answered = true;
      rl.close();
      resolve(answer);
    });
  });
}

/** Asks on the terminal: stdin must be one, prompts go to stderr. */
export function terminalPrompter(): Prompter {
  return {
    interactive: process.stdin.isTTY === true,
    ask: (question) => askOnce(process.stdin, process.stderr, question),
  };
}

/**
 * Asks on the controlling terminal (/dev/tty) when stdin and stdout belong to another program,
 * as for `credential-process`, whose output the AWS CLI reads. Without a terminal it is not
 * interactive and never asks.
 */
export function controllingTerminalPrompter(): Prompter {
  let fd: number | undefined;
  try {
    fd = openSync('/dev/tty', 'r+');
  } catch {
    fd = undefined;
  }
  return {
    interactive: fd !== undefined,
    ask(question) {
      if (fd === undefined) return Promise.reject(new AnwbisError('mfa', 'no terminal to ask for the MFA code'));
      return askOnce(new ReadStream(fd), new WriteStream(fd), question);
    },
  };
}

/**
 * The first line of a piped stdin, or undefined when stdin is empty or nothing arrives within
 * `timeoutMs` (a stdin left open by a scheduler or ssh must not hang anwbis forever).
 */
export function readStdinLine(timeoutMs = 15_000): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    let data = '';
    const done = (value: string | undefined) => {
      clearTimeout(timer);
      process.stdin.removeAllListeners('data');
      // Only one line is ever read; a paused stdin that its writer keeps open would keep
      // anwbis running after its work is done.
      process.stdin.destroy();
      resolve(value);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => {
      data += chunk;
      const newline = data.indexOf('\n');
      if (newline !== -1) done(data.slice(0, newline));
      else if (data.length > 1024) done(data);
    });
    process.stdin.once('end', () => done(data === '' ? undefined : data));
    process.stdin.once('error', reject);
  });
}

/** Runs `--mfa-process` without a shell and returns what it printed. */
export function runMfaProcess(commandLine: string, timeoutMs = 120_000): Promise<string> {
  const [command, ...args] = splitCommandLine(commandLine);
  return new Promise((resolve, reject) => {
    const child = spawn(command!, args, { stdio: ['inherit', 'pipe', 'inherit'] });
    let out = '';
    const timer = setTimeout(() => child.kill('SIGTERM'), timeoutMs);
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new AnwbisError('mfa', `--mfa-process could not run ${JSON.stringify(command)}: ${err.message}`));
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new AnwbisError('mfa', `--mfa-process ${JSON.stringify(command)} exited with status ${code}`));
    });
  });
}

export interface RuntimeOptions {
  readonly verbose: boolean;
  readonly mfaCode?: string;
  readonly mfaProcess?: string;
  /** Where a person is asked: stdin (default), or the controlling terminal when stdin is not theirs. */
  readonly ask?: 'stdin' | 'tty';
  /** Progress only with --verbose (credential-process: its caller reads stdout, not our chatter). */
  readonly quiet?: boolean;
}

/** The real effects for one CLI run. */
export function cliDeps(options: RuntimeOptions): AssumeDeps {
  const reporter = stderrReporter(options.verbose, options.quiet);
  const mfa: MfaSources = {
    ...(options.mfaCode !== undefined ? { flag: options.mfaCode } : {}),
    ...(options.mfaProcess !== undefined ? { process: options.mfaProcess } : {}),
    runProcess: (line) => runMfaProcess(line),
    ...(options.ask === 'tty' ? {} : { stdinLine: () => readStdinLine() }),
    prompter: options.ask === 'tty' ? controllingTerminalPrompter() : terminalPrompter(),
  };
  return {
    env: process.env,
    clock: systemClock,
    reporter,
    mfa,
    loadSourceCredentials: loadProfileCredentials,
    instanceMetadata: (env) => fromInstanceMetadata(env),
    createAws: ({ credentials, region }) =>
      createSdkPort({ credentials, region, ...(options.verbose ? { log: (line: string) => reporter.verbose(`aws ${line}`) } : {}) }),
  };
}
