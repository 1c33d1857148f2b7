import { writeSync } from 'node:fs';

/**
 * Writes to stdout straight to the descriptor: process.stdout would first build a stream for
 * the pipe, which costs a fast path several ms. A pipe that would block takes the rest through
 * the stream.
 */
export function writeOut(text: string): void {
  writeTo(1, text, () => process.stdout);
}

/**
 * Writes to stderr straight to the descriptor, as {@link writeOut} does to stdout: building
 * process.stderr loads Node's stream modules, 3–5 ms of every reused profile's "Reusing"
 * line (bench:startup).
 */
export function writeErr(text: string): void {
  writeTo(2, text, () => process.stderr);
}

function writeTo(fd: 1 | 2, text: string, stream: () => NodeJS.WriteStream): void {
  const bytes = Buffer.from(text);
  let written = 0;
  try {
    while (written < bytes.length) written += writeSync(fd, bytes, written);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
    stream().write(bytes.subarray(written));
  }
}
