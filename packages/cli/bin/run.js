#!/usr/bin/env node
// Parsed by whatever Node the user has, so only syntax Node 14 reads, and nothing imported
// statically: an older Node fails to link main.js (node:module's enableCompileCache) before
// any of it runs, with an error that does not say which Node is needed.
var NEEDED = [22, 22];
var found = process.versions.node.split('.').map(Number);
if (found[0] < NEEDED[0] || (found[0] === NEEDED[0] && found[1] < NEEDED[1])) {
  process.stderr.write('anwbis needs Node ' + NEEDED.join('.') + ' or newer; this is Node ' + process.versions.node + ' (' + process.execPath + ')\n');
  // EXIT_CODES.config in @anwbis/core: a local set-up problem.
  process.exitCode = 3;
} else {
  import('./main.js');
}
