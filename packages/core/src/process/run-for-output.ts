import { spawn } from 'node:child_process';
import { AnwbisError } from '../errors/errors.js';
import { splitCommandLine } from './shell-words.js';

export interface RunForOutputOptions {
  /** How long the command may run before it is stopped. Default 120 s (a person may have to touch a key). */
  readonly timeoutMs?: number;
  /** How long after SIGTERM (or after the command exits, for what it left running) before SIGKILL. Default 3 s. */
  readonly graceMs?: number;
}

/** More than any code needs; a command that prints without end must not fill the memory. */
const MAX_OUTPUT = 64 * 1024;
/** Signals that would have reached the command from the terminal had it stayed in our group. */
const PASSED_ON = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Runs a `--mfa-process` command line without a shell and returns what it printed.
 *
 * The command runs in a process group of its own, so that it and everything it started can be
 * stopped together: a command that ignores SIGTERM, or a child that keeps its stdout open,
 * would otherwise hold anwbis forever. On timeout the group gets SIGTERM, then SIGKILL after
 * the grace period; what the command leaves running after it exits gets the same grace period.
 * Being a group of its own (a new session, as Node's `detached` does it) also means it has no
 * controlling terminal: it gets no Ctrl-C from the terminal, so SIGINT, SIGTERM and SIGHUP that
 * reach anwbis while it runs are passed on to the group before anwbis acts on them; a group
 * still there after the grace period (or at a second signal) gets SIGKILL first.
 */
export function runMfaProcess(commandLine: string, options: RunForOutputOptions = {}): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 120_000;
  const graceMs = options.graceMs ?? 3_000;
  const [command, ...args] = splitCommandLine(commandLine);
  const label = `--mfa-process ${JSON.stringify(command)}`;
  return new Promise((resolve, reject) => {
    // Passed-on signals are listened for before the spawn: the command may start, and be seen
    // (it wrote something), before spawn() returns here, and a SIGINT that came before the
    // listener would end anwbis at once and leave the group running. One that arrives during
    // spawn() is handled after it, with the group known.
    const started: { pid?: number } = {};
    const killGroup = (signal: NodeJS.Signals) => {
      if (started.pid === undefined) return;
      try {
        process.kill(-started.pid, signal);
      } catch {
        // ESRCH: the whole group is gone already.
      }
    };
    let out = '';
    let timedOut = false;
    let exitCode: number | null = null;
    let exitSignal: NodeJS.Signals | null = null;
    let killTimer: NodeJS.Timeout | undefined;
    const killLater = () => (killTimer ??= setTimeout(() => killGroup('SIGKILL'), graceMs));
    const stopTimer = setTimeout(() => {
      timedOut = true;
      killGroup('SIGTERM');
      killLater();
    }, timeoutMs);
    const stopPassingOn = () => {
      for (const signal of PASSED_ON) process.removeListener(signal, onSignal);
    };
    const groupAlive = () => {
      if (started.pid === undefined) return false;
      try {
        process.kill(-started.pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    // Set once a signal is being passed on: anwbis ends by that signal, after the group.
    let ending: ((signal: NodeJS.Signals) => void) | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
      // A second signal does not wait out the grace period.
      if (ending) return ending(signal);
      killGroup(signal);
      // A command that ignores the signal would outlive anwbis, with no terminal to stop it
      // from: it gets the grace period, then SIGKILL, as on a timeout.
      const look = setInterval(() => {
        if (!groupAlive()) ending?.(signal);
      }, 50);
      const grace = setTimeout(() => ending?.(signal), graceMs);
      ending = (last) => {
        clearInterval(look);
        clearTimeout(grace);
        killGroup('SIGKILL');
        stopPassingOn();
        // With our listener gone the signal does to anwbis what it would have done without it.
        process.kill(process.pid, last);
      };
    };
    const onExit = () => killGroup('SIGKILL');
    for (const signal of PASSED_ON) process.on(signal, onSignal);
    process.on('exit', onExit);
    const child = spawn(command!, args, { stdio: ['inherit', 'pipe', 'inherit'], detached: true });
    started.pid = child.pid;
    let settled = false;
    function cleanUp() {
      settled = true;
      clearTimeout(stopTimer);
      clearTimeout(killTimer);
      stopPassingOn();
      process.removeListener('exit', onExit);
    }

    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      if (out.length < MAX_OUTPUT) out += d.slice(0, MAX_OUTPUT - out.length);
    });
    child.once('error', (err) => {
      if (settled || ending) return;
      cleanUp();
      killGroup('SIGKILL');
      reject(new AnwbisError('mfa', `${label} could not run: ${err.message}`, { next: 'check the command and its path' }));
    });
    child.once('exit', (code, signal) => {
      exitCode = code;
      exitSignal = signal;
      killLater();
    });
    child.once('close', () => {
      // Ending by a signal passed on: the command's end is not an answer to report.
      if (settled || ending) return;
      cleanUp();
      if (timedOut) {
        reject(
          new AnwbisError('mfa', `${label} gave no answer within ${timeoutMs / 1000} s and was stopped`, {
            next: 'check that the command prints the code without waiting for input, or pass --mfa-code',
          }),
        );
      } else if (exitCode === 0) resolve(out);
      else reject(new AnwbisError('mfa', `${label} ${exitSignal ? `was killed by ${exitSignal}` : `exited with status ${exitCode}`}`));
    });
  });
}
