/** Shared by the benchmarks: their command-line numbers and the figure they quote. */
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

/** `--name N`: a positive whole number, or the fallback when not given. */
export function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive whole number, not ${JSON.stringify(value)}`);
  return n;
}

/** The median of some samples (NaN for none): noisy machines are quoted by their median. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * A benchmark's options, read strictly: `--help` prints `usage` and ends the process; an
 * unknown option, a missing value or a stray argument prints what is wrong with `usage`, and
 * exits 2 before anything is started.
 */
export function benchArgs<const T extends ParseArgsOptionsConfig>(usage: string, options: T) {
  const say = (stream: NodeJS.WriteStream, text: string) => stream.write(`${text}usage: ${usage}\n`);
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    say(process.stdout, '');
    process.exit(0);
  }
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values;
  } catch (err) {
    say(process.stderr, `${(err as Error).message}\n`);
    process.exit(2);
  }
}
