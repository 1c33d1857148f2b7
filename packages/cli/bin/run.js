#!/usr/bin/env node
// CommonJS (bin/package.json), parsed by whatever Node the user has: only syntax old Node
// reads, and the version checked before anything else loads. CommonJS also keeps a cache-hit
// `credential-process` off the ES module loader, which costs every AWS client's start several ms.
'use strict';
// Commands with a bundle of their own (dist/fast/bundle/<command>.js), and the function it runs.
var OWN_BUNDLES = { roles: 'fastRoles', tui: 'fastTui', exec: 'fastExec' };
var NEEDED = [22, 22];
/** Where compiled code is kept (privateCacheDir), once a command is known. */
var CACHE_DIR;
var found = process.versions.node.split('.').map(Number);
if (found[0] < NEEDED[0] || (found[0] === NEEDED[0] && found[1] < NEEDED[1])) {
  refuse(
    'anwbis needs Node ' + NEEDED.join('.') + ' or newer; this is Node ' + process.versions.node + ' (' + process.execPath + ')',
    'install Node ' + NEEDED[0] + ' (https://nodejs.org, or `nvm install ' + NEEDED[0] + '`), or use the single executable, which needs no Node',
  );
} else {
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
  // Start-up is paid on every AWS client start (credential_process): reuse compiled code, kept
  // where only this user can write. Node's default is a shared directory under /tmp, where
  // another local user could leave compiled code for anwbis to run.
  CACHE_DIR = privateCacheDir();
  if (CACHE_DIR !== undefined) require('node:module').enableCompileCache(CACHE_DIR);
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
  if (first === 'session') return session(argv);
  var assume = first === 'assume' || (first !== undefined && first.charAt(0) === '-' && first !== '--help' && first !== '-h');
  if (first !== 'credential-process' && !assume) return full(argv);
  // A cache-hit credential-process and a reused profile are answered before oclif or the AWS
  // SDK load; on a credential-process miss it waits there for whoever is fetching, or takes
  // the lock for the full command.
  var loaded = loadBundle('fast', assume ? 'assume' : 'credential-process');
  var fast = loaded.exports;
  var args = assume && first !== 'assume' ? argv : argv.slice(1);
  var answering = assume ? fast.fastAssume(args) : fast.fastCredentialProcess(args);
  return answering.then(function (answered) {
    loaded.saveCodeCache();
    if (answered) return;
    // With a daemon running, a plain assume goes to it from a small bundle of its own, before
    // the ES module loader and the bundle with the AWS SDK load.
    var forwarded = assume && fast.daemonSocketPresent();
    return (forwarded ? forward('assume', 'forwardPlainAssume', args) : Promise.resolve(undefined)).then(function (offered) {
      if (typeof offered === 'number') {
        process.exitCode = offered;
        return;
      }
      // Credentials to make (for credential-process, this process holds the role's lock now,
      // and every other caller waits for it): from the bundle without oclif when the flags are
      // plain ones; anything else goes to oclif.
      return import(assume ? '../dist/fast/bundle/assume-full.js' : '../dist/fast/bundle/provide.js')
        .then(function (bundle) {
          return assume ? bundle.fastAssumeFull(args, { forwarded: forwarded, left: offered }) : bundle.fastProvide(args);
        })
        .then(function (status) {
          if (status === undefined) return full(argv, fast);
          process.exitCode = status;
          return fast.releaseUnusedLocks();
        });
    });
  });
}

/**
 * `anwbis session` with plain flags offered to a running daemon from the small forwarding bundle,
 * before the ES module loader, oclif and the AWS SDK load (it finds no daemon from the socket's
 * token file alone); when the daemon does not take it, the bundle without oclif does the work,
 * without offering it again. Anything else (`--json`, `--help`) goes to oclif.
 */
function session(argv) {
  var args = argv.slice(1);
  return forward('session', 'forwardPlainSession', args)
    .then(function (status) {
      if (status !== undefined) return status;
      return import('../dist/fast/bundle/session-full.js').then(function (bundle) {
        return bundle.fastSessionFull(args);
      });
    })
    .then(function (status) {
      if (status === undefined) return full(argv);
      process.exitCode = status;
    });
}

/**
 * Work offered to the daemon from the small forwarding bundle (src/fast/forward-entry.ts) by its
 * function `run` for the entry `entry` ('assume' or 'session'): its exit status, else what the
 * daemon did not take.
 */
function forward(entry, run, args) {
  var loaded = loadBundle('forward', entry);
  return loaded.exports[run](args).then(function (answer) {
    loaded.saveCodeCache();
    return answer;
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

/**
 * `$XDG_CACHE_HOME/anwbis/node-<version>-<arch>` (else `~/.cache/…`), made 0700; undefined (no
 * cache at all) unless it and `anwbis` above it are directories of this user's that no one else
 * can write, since whoever can write there chooses the code anwbis runs.
 */
function privateCacheDir() {
  try {
    var fs = require('node:fs');
    var path = require('node:path');
    var env = process.env;
    var base = env.XDG_CACHE_HOME || (env.HOME ? path.join(env.HOME, '.cache') : '');
    if (!path.isAbsolute(base)) return undefined;
    var own = path.join(base, 'anwbis');
    var dir = path.join(own, 'node-' + process.version + '-' + process.arch);
    // Root under another user's HOME (sudo keeping HOME) would make directories that user's own
    // runs then refuse for good: none is made there.
    if (process.getuid && process.getuid() === 0 && ownerOfNearest(fs, path, dir) !== 0) return undefined;
    fs.mkdirSync(dir, { recursive: true, mode: 448 /* 0700 */ });
    return ownPrivateDir(fs, own) && ownPrivateDir(fs, dir) ? dir : undefined;
  } catch {
    return undefined;
  }
}

/** The owner of `dir`, or of the nearest directory above it that exists. */
function ownerOfNearest(fs, path, dir) {
  for (;;) {
    try {
      return fs.statSync(dir).uid;
    } catch {
      if (path.dirname(dir) === dir) return undefined;
      dir = path.dirname(dir);
    }
  }
}

function ownPrivateDir(fs, dir) {
  var stat = fs.lstatSync(dir);
  if (!stat.isDirectory()) return false;
  if (typeof process.getuid !== 'function') return true;
  return stat.uid === process.getuid() && (stat.mode & 18 /* 022 */) === 0;
}

/**
 * The small bundle dist/fast/<name>.bundle.cjs ('fast', or 'forward' for work offered to a
 * running daemon), for the entry `entry` ('assume', 'credential-process' or 'session'), with a V8 code cache
 * of its own made after it answered: Node's compile cache holds only the code compiled before a
 * module runs, so every function the answer calls would be compiled again on every start (about
 * 4 ms of a cache-hit credential_process; bench:startup). One cache per bundle and entry, named
 * by the bundle's content id (scripts/bundle-fast.mjs), written once (0600, by rename) when there
 * was none or V8 refused it. Without a private cache directory or an id, Node's require.
 */
function loadBundle(name, entry) {
  var none = function () {};
  var path = require('node:path');
  var file = path.join(__dirname, '..', 'dist', 'fast', name + '.bundle.cjs');
  if (CACHE_DIR === undefined) return { exports: require(file), saveCodeCache: none };
  var fs = require('node:fs');
  var source = fs.readFileSync(file, 'utf8');
  var id = /\n\/\/# anwbis-bundle-id=([0-9a-f]{32})\n$/.exec(source.slice(-80));
  if (id === null) return { exports: require(file), saveCodeCache: none };
  var cacheFile = path.join(CACHE_DIR, name + '-' + id[1] + '-' + entry + '.v8');
  var cached;
  try {
    cached = fs.readFileSync(cacheFile);
  } catch {
    // None yet: made after this run answers.
    cached = undefined;
  }
  var vm = require('node:vm');
  // Node's own CommonJS wrapper, on the source's first line so that line numbers stay true.
  var script = new vm.Script('(function (exports, require, module, __filename, __dirname) { ' + source + '\n})', { filename: file, cachedData: cached });
  var mod = { exports: {} };
  script.runInThisContext().call(mod.exports, mod.exports, require, mod, file, path.dirname(file));
  var fresh = cached === undefined || script.cachedDataRejected === true;
  return {
    exports: mod.exports,
    saveCodeCache: fresh
      ? function () {
          saveCodeCache(fs, path, script, cacheFile, name, entry);
        }
      : none,
  };
}

function saveCodeCache(fs, path, script, cacheFile, name, entry) {
  var temporary = cacheFile + '.' + process.pid + '.tmp';
  try {
    fs.writeFileSync(temporary, script.createCachedData(), { mode: 384 /* 0600 */, flag: 'wx' });
    fs.renameSync(temporary, cacheFile);
    // Those of other builds not written for a week: two anwbis installed side by side (a global
    // one and a project's) each keep theirs, written once, instead of deleting each other's and
    // compiling again on every start; an upgraded one's old cache goes a week later.
    var dir = path.dirname(cacheFile);
    // Names and entries are plain words: no character here means anything to a RegExp.
    var other = new RegExp('^' + name + '-[0-9a-f]{32}-' + entry + '\\.v8$');
    var weekAgo = Date.now() - 7 * 24 * 3600 * 1000;
    fs.readdirSync(dir).forEach(function (file) {
      var found = path.join(dir, file);
      if (other.test(file) && found !== cacheFile && fs.lstatSync(found).mtimeMs < weekAgo) fs.rmSync(found, { force: true });
    });
  } catch {
    // Only speed is lost.
    removeQuietly(fs, temporary);
  }
}

function removeQuietly(fs, file) {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // Left for the next run that writes a cache to take over or remove.
  }
}
