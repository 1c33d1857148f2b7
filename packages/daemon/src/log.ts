import { appendFileSync, mkdirSync, renameSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { sanitizeRemoteText } from '@anwbis/core';

/** Where the daemon says what it did; never a secret (it only ever sees profile names and messages). */
export interface DaemonLog {
  info(message: string): void;
  warn(message: string): void;
}

/** Keeps the log from growing without bound: past this size it is moved to `<file>.1`. */
export const LOG_MAX_BYTES = 1024 * 1024;

/**
 * A line-per-event log file, 0600 in a 0700 directory, written synchronously (a few lines an
 * hour) so a crash loses nothing; when it passes `maxBytes` the old half is kept as `<file>.1`.
 */
export function fileLog(file: string, maxBytes = LOG_MAX_BYTES): DaemonLog {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  let size = sizeOf(file);
  const write = (level: string, message: string) => {
    // One event per line: a newline in a message must not forge another entry, nor an escape
    // sequence (a role name from a policy) act on the terminal of whoever reads the log.
    const line = `${new Date().toISOString()} ${level} ${sanitizeRemoteText(message)}\n`;
    try {
      if (size + line.length > maxBytes) {
        renameSync(file, `${file}.1`);
        size = 0;
      }
      appendFileSync(file, line, { mode: 0o600 });
      size += Buffer.byteLength(line);
    } catch {
      // A full disk must not take the refresher down with it.
    }
  };
  return { info: (m) => write('info', m), warn: (m) => write('warn', m) };
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
