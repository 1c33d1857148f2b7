/**
 * Whether `error` is a Node system error with one of `codes`.
 *
 * Checked structurally, not with `instanceof Error`: errors from Node's own modules come from
 * another realm under test runners that sandbox globals (jest's vm modules), and would fail it.
 */
export function isErrno(error: unknown, ...codes: string[]): error is NodeJS.ErrnoException {
  return typeof error === 'object' && error !== null && 'code' in error && codes.includes(String(error.code));
}

/** The code of a Node system error (`EACCES`, …), or undefined for anything else. */
export function errnoCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string' && /^E[A-Z0-9]+$/.test(error.code) ? error.code : undefined;
}
