import { existsSync } from 'node:fs';
import { isSea } from 'node:sea';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AnwbisError } from '@anwbis/core';
import type { AnwbisProgram } from '@anwbis/daemon/client';

/**
 * This anwbis, for starting it again (the daemon, service units): the single executable is its
 * own program; an npm install is this Node running its bin script. Computed when asked, not at
 * import: in the single executable every command module is loaded up front and there is no
 * script file beside the program.
 */
export function selfProgram(): AnwbisProgram {
  if (isSea()) return { kind: 'executable', path: process.execPath };
  return { kind: 'script', node: process.execPath, script: binScript() };
}

/**
 * The package's bin/run.js, found upwards from this module: it runs from dist/runtime/ under
 * oclif, and from a chunk under dist/fast/bundle/ on the fast paths (exec --server).
 */
function binScript(): string {
  const from = dirname(fileURLToPath(import.meta.url));
  for (let dir = from; ; dir = dirname(dir)) {
    const script = join(dir, 'bin', 'run.js');
    if (existsSync(script)) return script;
    if (dirname(dir) === dir) throw new AnwbisError('file', `this anwbis has no bin/run.js above ${from}, so it cannot start itself again`, { next: 'install anwbis again' });
  }
}
