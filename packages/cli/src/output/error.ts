import { AnwbisError, errorLines, EXIT_CODES } from '@anwbis/core/fast';

interface OclifError extends Error {
  oclif?: { exit?: number };
  code?: string;
}

/** Prints an error for a person on stderr and returns the exit status for it. */
export function renderError(error: unknown): number {
  if (error instanceof AnwbisError) {
    process.stderr.write(errorLines(error.message, error.next));
    return error.exitCode;
  }
  const e = error as OclifError;
  if (e?.oclif?.exit === 0) return 0;
  // this.exit(status): a status to pass on (exec), not an error to report.
  if (e?.code === 'EEXIT' && typeof e.oclif?.exit === 'number') return e.oclif.exit;
  if (e && typeof e.oclif?.exit === 'number') {
    // oclif's own flag and argument errors: usage errors.
    process.stderr.write(errorLines(e.message.replace(/\n+See more help with --help$/, ''), 'see anwbis --help'));
    return EXIT_CODES.usage;
  }
  process.stderr.write(`[ BUG ] ${e?.stack ?? String(error)}\nPlease report this.\n`);
  return EXIT_CODES.bug;
}
