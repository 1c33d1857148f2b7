import { openSync } from 'node:fs';
import { ReadStream, WriteStream } from 'node:tty';
import { AnwbisError } from '@anwbis/core';
import type { PickerOutcome } from './app.js';
import { readList, type PickerServices } from './services.js';

/** The person's terminal, apart from stdin and stdout (which may be a pipe: `eval "$(anwbis tui --stdout)"`). */
export interface PickerTerminal {
  readonly input: ReadStream;
  readonly output: WriteStream;
  close(): void;
}

/**
 * Opens the controlling terminal (`/dev/tty`) for reading keys and drawing. Node follows the
 * window size (SIGWINCH) for process.stdout only: this stream is told here, so Ink sees its
 * `resize` and draws again for the new size.
 */
export function openTerminal(): PickerTerminal {
  let fd: number;
  try {
    fd = openSync('/dev/tty', 'r+');
  } catch {
    throw new AnwbisError('usage', 'anwbis tui needs a terminal, and this process has none', {
      next: 'run it in a terminal, or list the roles with `anwbis roles --json`',
    });
  }
  const input = new ReadStream(fd);
  const output = new WriteStream(fd);
  // What Node's own handler does for process.stdout: read the size from the terminal, and emit
  // `resize` when it changed. getWindowSize() only returns the size the stream last read.
  const resized = () => (output as WriteStream & { _refreshSize(): void })._refreshSize();
  process.on('SIGWINCH', resized);
  return {
    input,
    output,
    close() {
      process.off('SIGWINCH', resized);
      input.destroy();
      output.destroy();
    },
  };
}

/** Copies text to the terminal's clipboard with the OSC 52 escape (xterm, iTerm2, kitty, tmux with set-clipboard). */
export function osc52Copy(output: NodeJS.WritableStream): (text: string) => Promise<string> {
  return async (text) => {
    output.write(`\u001b]52;c;${Buffer.from(text).toString('base64')}\u0007`);
    return 'export lines sent to the clipboard (OSC 52: your terminal must allow it)';
  };
}

export interface RunPickerOptions {
  readonly services: PickerServices;
  readonly terminal: Pick<PickerTerminal, 'input' | 'output'>;
  readonly exitOnAssume: boolean;
  readonly color: boolean;
}

/**
 * Runs the picker full-screen on the given terminal (the alternate screen, restored on exit)
 * and resolves with how it ended. Ink and React are loaded here, on first use, so no other
 * command pays for them. Ink draws interactively even when `CI` is set: this runs only on a
 * terminal a person typed the command in, and Ink's CI mode would draw nothing until exit.
 */
export async function runPicker(options: RunPickerOptions): Promise<PickerOutcome> {
  // Ink's colour support is judged on process.stdout, which may be a pipe here; styles go to
  // the terminal, so they are forced on (colours themselves follow options.color).
  process.env.FORCE_COLOR ??= '1';
  // React is CommonJS: its module object is the default export, which is also all a bundle's
  // chunk for it exports.
  const [[{ render }, { default: React }, { PickerApp }], initial] = await Promise.all([
    Promise.all([import('ink'), import('react'), import('./app.js')]),
    // Read from the cache, with the statuses and order of its roles, while Ink loads, so the
    // first frame shows them; a list that needs AWS (or a cache that fails to read) is the
    // picker's to read, with its progress and errors.
    options.services
      .cachedRoles()
      .then((cached) => cached && readList(options.services, Promise.resolve(cached)))
      .catch(() => undefined),
  ]);
  let outcome: PickerOutcome = { kind: 'quit' };
  const app = render(
    React.createElement(PickerApp, {
      services: options.services,
      ...(initial ? { initial } : {}),
      exitOnAssume: options.exitOnAssume,
      color: options.color,
      onExit: (o: PickerOutcome) => (outcome = o),
    }),
    {
      stdout: options.terminal.output,
      stdin: options.terminal.input,
      stderr: options.terminal.output,
      exitOnCtrlC: false,
      patchConsole: false,
      interactive: true,
      alternateScreen: true,
    },
  );
  await app.waitUntilExit();
  return outcome;
}
