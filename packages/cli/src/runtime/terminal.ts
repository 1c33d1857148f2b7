/**
 * What is read from a person or a pipe (MFA codes, passphrases, keys), for the full commands and
 * for the client of an assume forwarded to the daemon (fast/forward-entry.ts), whose bundle
 * loads core's small entry only.
 */
import { openSync } from 'node:fs';
import { isatty, ReadStream, WriteStream } from 'node:tty';
import { createInterface } from 'node:readline';
import { AnwbisError, runMfaProcess } from '@anwbis/core/fast';
import type { MfaSources, PassphrasePrompt, Prompter, StoredKeys } from '@anwbis/core';

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
    // isatty, not process.stdin.isTTY: building process.stdin costs the forwarding client about 4 ms
    // (a stream over a pipe or a file), and a code from --mfa-code never reads it.
    interactive: isatty(0),
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

/** The terminal a person types on: stdin when it is one, else the controlling terminal; undefined without either. */
function openTerminal(): { input: ReadStream; output: NodeJS.WritableStream; close: () => void } | undefined {
  if (process.stdin.isTTY) return { input: process.stdin as ReadStream, output: process.stderr, close: () => process.stdin.pause() };
  try {
    const fd = openSync('/dev/tty', 'r+');
    const input = new ReadStream(fd);
    return { input, output: new WriteStream(fd), close: () => input.destroy() };
  } catch {
    return undefined;
  }
}

/**
 * Asks on the terminal without showing what is typed (a secret key, a passphrase); undefined
 * when there is no terminal. Ctrl-C and Ctrl-D on an empty line cancel.
 */
export function askHidden(question: string): Promise<string | undefined> {
  const terminal = openTerminal();
  if (!terminal) return Promise.resolve(undefined);
  const { input, output } = terminal;
  output.write(question);
  input.setRawMode(true);
  input.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let typed = '';
    const finish = (error?: AnwbisError) => {
      input.removeListener('data', onData);
      input.setRawMode(false);
      output.write('\n');
      terminal.close();
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return finish();
        if (ch === '\u0003' || (ch === '\u0004' && typed === '')) return finish(new AnwbisError('usage', 'cancelled: nothing was entered'));
        if (ch === '\u007f' || ch === '\b') typed = typed.slice(0, -1);
        else if (ch >= ' ') typed += ch;
      }
    };
    input.on('data', onData);
    input.resume();
  });
}

/** The key file's passphrase from the terminal; a new file's is asked twice so a typo does not lock the keys away. */
export const askPassphrase: PassphrasePrompt = async (purpose) => {
  const first = await askHidden(purpose === 'create' ? 'New passphrase for the anwbis key file: ' : 'Passphrase of the anwbis key file: ');
  if (first === undefined || purpose === 'open') return first;
  if (first.length < 8) throw new AnwbisError('usage', 'that passphrase is shorter than 8 characters', { next: 'run again and choose a longer one' });
  if ((await askHidden('The same passphrase again: ')) !== first) throw new AnwbisError('usage', 'the two passphrases differ; nothing was stored', { next: 'run again' });
  return first;
};

/**
 * Long-term keys typed at hidden prompts, or two lines on a piped stdin (access key id, then
 * secret access key): never from the command line, where other users' `ps` would show them.
 */
export async function readKeysFromPerson(): Promise<StoredKeys> {
  if (!process.stdin.isTTY) {
    const text = await readPipedStdin(
      (data) => {
        if (data.length > 4096) throw new AnwbisError('usage', 'stdin holds more than two keys would take');
        return data.split('\n').length > 2 ? data : undefined;
      },
      (data) => data,
    );
    const lines = (text ?? '').split(/\r?\n/).map((l) => l.trim());
    const [accessKeyId = '', secretAccessKey = ''] = lines;
    if (accessKeyId === '' || secretAccessKey === '') {
      throw new AnwbisError('usage', 'stdin holds no keys: give the access key id on the first line and the secret access key on the second', {
        next: 'or put them in the profile\'s section of the credentials file, or run in a terminal to be asked',
      });
    }
    return { accessKeyId, secretAccessKey };
  }
  const accessKeyId = (await askHidden('Access key id: ')) ?? '';
  const secretAccessKey = (await askHidden('Secret access key: ')) ?? '';
  return { accessKeyId: accessKeyId.trim(), secretAccessKey: secretAccessKey.trim() };
}

/**
 * Reads a piped stdin until `enough` makes an answer of what has come (it may throw to refuse
 * it), or stdin ends (`atEnd` makes the answer), then lets go of stdin. Nothing within
 * `timeoutMs` is undefined: a stdin left open by a scheduler or ssh must not hang anwbis forever.
 */
function readPipedStdin<T>(enough: (data: string) => T | undefined, atEnd: (data: string) => T | undefined, timeoutMs = 15_000): Promise<T | undefined> {
  return new Promise((resolve, reject) => {
    let data = '';
    const done = (value: T | undefined, error?: unknown) => {
      clearTimeout(timer);
      process.stdin.removeAllListeners('data');
      // A paused stdin that its writer keeps open would keep anwbis running after its work is done.
      process.stdin.destroy();
      if (error === undefined) resolve(value);
      else reject(error);
    };
    const timer = setTimeout(() => done(undefined), timeoutMs);
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (chunk: string) => {
      data += chunk;
      try {
        const answer = enough(data);
        if (answer !== undefined) done(answer);
      } catch (error) {
        done(undefined, error);
      }
    });
    process.stdin.once('end', () => done(atEnd(data)));
    process.stdin.once('error', reject);
  });
}

/**
 * The first line of a piped stdin (an MFA code), or undefined when stdin is empty or nothing
 * arrives within `timeoutMs`.
 */
export function readStdinLine(timeoutMs = 15_000): Promise<string | undefined> {
  return readPipedStdin(
    (data) => {
      const newline = data.indexOf('\n');
      if (newline !== -1) return data.slice(0, newline);
      return data.length > 1024 ? data : undefined;
    },
    (data) => (data === '' ? undefined : data),
    timeoutMs,
  );
}

/** Where a command takes an MFA code from. */
export interface MfaOptions {
  readonly mfaCode?: string | undefined;
  readonly mfaProcess?: string | undefined;
  /** Where a person is asked: stdin (default), or the controlling terminal when stdin is not theirs. */
  readonly ask?: 'stdin' | 'tty';
}

/** The MFA code's sources for core: the flag, the command, a piped stdin, a person at the terminal. */
export function mfaSourcesOf(options: MfaOptions): MfaSources {
  return {
    ...(options.mfaCode !== undefined ? { flag: options.mfaCode } : {}),
    ...(options.mfaProcess !== undefined ? { process: options.mfaProcess } : {}),
    runProcess: (line) => runMfaProcess(line),
    ...(options.ask === 'tty' ? {} : { stdinLine: () => readStdinLine() }),
    prompter: options.ask === 'tty' ? controllingTerminalPrompter() : terminalPrompter(),
  };
}
