import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Shows one line to the person at the desktop. */
export type Notifier = (message: string) => void;

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, command);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return undefined;
}

/**
 * A desktop notifier through `notify-send` (Linux) or `osascript` (macOS), when one exists;
 * undefined otherwise. The message goes as an argument, never through a shell.
 */
export function desktopNotifier(): Notifier | undefined {
  const notifySend = process.platform === 'darwin' ? undefined : onPath('notify-send');
  if (notifySend) return (message) => void execFile(notifySend, ['anwbis', message], () => undefined);
  const osascript = process.platform === 'darwin' ? onPath('osascript') : undefined;
  if (osascript) {
    return (message) =>
      void execFile(osascript, ['-e', 'on run argv', '-e', 'display notification (item 1 of argv) with title "anwbis"', '-e', 'end run', message], () => undefined);
  }
  return undefined;
}
