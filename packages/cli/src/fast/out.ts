import { writeSync } from 'node:fs';

/**
 * Writes to stdout straight to the descriptor: process.stdout would first build a stream for
 * the pipe, which costs a fast path several ms. A pipe that would block takes the rest through
 * the stream.
 */
export function writeOut(text: string): void {
  const bytes = Buffer.from(text);
  let written = 0;
  try {
    while (written < bytes.length) written += writeSync(1, bytes, written);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
    process.stdout.write(bytes.subarray(written));
  }
}
