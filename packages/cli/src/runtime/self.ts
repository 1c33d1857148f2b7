import { isSea } from 'node:sea';
import { fileURLToPath } from 'node:url';
import type { AnwbisProgram } from '@anwbis/daemon';

/**
 * This anwbis, for starting it again (the daemon, service units): the single executable is its
 * own program; an npm install is this Node running its bin script. Computed when asked, not at
 * import: in the single executable every command module is loaded up front and there is no
 * script file beside the program.
 */
export function selfProgram(): AnwbisProgram {
  if (isSea()) return { kind: 'executable', path: process.execPath };
  return { kind: 'script', node: process.execPath, script: fileURLToPath(new URL('../../bin/run.js', import.meta.url)) };
}
