#!/usr/bin/env node
// CommonJS (bin/package.json), parsed by whatever Node the user has: only syntax old Node
// reads, and the version checked before anything else loads. CommonJS also keeps a cache-hit
// `credential-process` off the ES module loader, which costs every AWS client's start several ms.
'use strict';
// Commands with a bundle of their own (dist/fast/bundle/<command>.js), and the function it runs.
var OWN_BUNDLES = { roles: 'fastRoles', tui: 'fastTui', exec: 'fastExec' };
var NEEDED = [22, 22];
var found = process.versions.node.split('.').map(Number);
if (found[0] < NEEDED[0] || (found[0] === NEEDED[0] && found[1] < NEEDED[1])) {
  refuse(
    'anwbis needs Node ' + NEEDED.join('.') + ' or newer; this is Node ' + process.versions.node + ' (' + process.execPath + ')',
    'install Node ' + NEEDED[0] + ' (https://nodejs.org, or `nvm install ' + NEEDED[0] + '`), or use the single executable, which needs no Node',
  );
} else {
  // Start-up is paid on every AWS client start (credential_process): reuse compiled code.
  require('node:module').enableCompileCache();
  try {
    Promise.resolve(start(process.argv.slice(2))).catch(notBuilt);
  } catch (error) {
    notBuilt(error);
  }
}

/**
 * A set-up problem (EXIT_CODES.config in @anwbis/core), in errorLines' form: this file cannot
 * load core's, which may be missing (not built yet) or too new for this Node.
 */
function refuse(message, next) {
  process.stderr.write('[ ERROR ] ' + message + '\n          ' + next + '\n');
  process.exitCode = 3;
}

/** A checkout run before its build: said so, with the command that builds, instead of a stack. */
function notBuilt(error) {
  var entry = require('node:path').join(__dirname, '..', 'dist', 'entry.js');
  var missing = error && (error.code === 'ERR_MODULE_NOT_FOUND' || error.code === 'MODULE_NOT_FOUND') && !require('node:fs').existsSync(entry);
  if (!missing) throw error;
  refuse('anwbis is not built: ' + entry + ' is missing', 'run `npm run build` in the checkout (tools/setup.sh builds too)');
}

function start(argv) {
  if (argv.length === 1 && argv[0] === '--version') {
    // oclif's own format, without loading oclif.
    var version = require('../package.json').version;
    process.stdout.write('anwbis/' + version + ' ' + process.platform + '-' + process.arch + ' node-' + process.version + '\n');
    return;
  }
  var first = argv[0];
  var own = OWN_BUNDLES[first];
  if (typeof own === 'string') {
    // Bundled and run without oclif when the flags are simple (for exec: those before `--`);
    // anything else goes to oclif.
    return import('../dist/fast/bundle/' + first + '.js').then(function (bundle) {
      return bundle[own](argv.slice(1)).then(function (status) {
        if (status === undefined) return full(argv);
        process.exitCode = status;
      });
    });
  }
  var assume = first === 'assume' || (first !== undefined && first.charAt(0) === '-' && first !== '--help' && first !== '-h');
  if (first !== 'credential-process' && !assume) return full(argv);
  // A cache-hit credential-process and a reused profile are answered before oclif or the AWS
  // SDK load; on a credential-process miss it waits there for whoever is fetching, or takes
  // the lock for the full command.
  var fast = require('../dist/fast/fast.bundle.cjs');
  var answering = assume ? fast.fastAssume(first === 'assume' ? argv.slice(1) : argv) : fast.fastCredentialProcess(argv.slice(1));
  return answering.then(function (answered) {
    if (answered) return;
    // Credentials to make (for credential-process, this process holds the role's lock now,
    // and every other caller waits for it): from the bundle without oclif when the flags are
    // plain ones; anything else goes to oclif.
    return import(assume ? '../dist/fast/bundle/assume-full.js' : '../dist/fast/bundle/provide.js')
      .then(function (bundle) {
        return assume ? bundle.fastAssumeFull(first === 'assume' ? argv.slice(1) : argv) : bundle.fastProvide(argv.slice(1));
      })
      .then(function (status) {
        if (status === undefined) return full(argv, fast);
        process.exitCode = status;
        return fast.releaseUnusedLocks();
      });
  });
}

function full(argv, fast) {
  return import('../dist/entry.js')
    .then(function (entry) {
      return entry.main(argv);
    })
    .then(function (status) {
      process.exitCode = status;
      if (fast) return fast.releaseUnusedLocks();
    });
}
