import { isSea } from 'node:sea';
import { fileURLToPath } from 'node:url';
import { AnwbisError } from '@anwbis/core';

/**
 * This anwbis's bin script, for starting it again (the daemon, service units). Computed when
 * asked, not at import: in the single executable every command module is loaded up front and
 * there is no script file beside the program.
 */
export function binScript(what: string): string {
  if (isSea()) {
    throw new AnwbisError('usage', `${what} is not available from the single executable yet`, { next: 'install anwbis with npm for this (see Install in the README)' });
  }
  return fileURLToPath(new URL('../bin/run.js', import.meta.url));
}
