/**
 * `npm run build:sea`: builds `dist/anwbis-<os>-<arch>`, one executable that needs neither Node
 * nor node_modules, with Node's single executable applications (SEA).
 *
 * The CLI is bundled with esbuild into one ES module, the Ink, React and AWS SDK modules it
 * imports lazily included. Node 24's SEA main script must be CommonJS and can load no files, so
 * the bundle travels as a SEA asset and a small CommonJS main imports it from a `data:` URL;
 * an ES module keeps top-level await in dependencies (yoga-layout, under Ink) working.
 * oclif normally finds commands as files through a manifest; here the commands come from an
 * explicit map built from `packages/cli/dist/commands/`, so a new command is in the SEA too.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const CLI = join(ROOT, 'packages', 'cli');
const require = createRequire(import.meta.url);

/** The sentinel Node's SEA loader looks for (from Node's documentation). */
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/** Where the executable for this machine goes. */
export function seaOutputPath(root = ROOT): string {
  return join(root, 'dist', `anwbis-${process.platform}-${process.arch}`);
}

/** The Node 24 binary of the npm `node` package, which the workspace runs on. */
function nodeBinary(): string {
  return join(dirname(require.resolve('node/package.json')), 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
}

/**
 * The bundle's entry: the CLI's own argv rewriting and error rendering, and oclif run on a root
 * plugin that holds the command map.
 */
function entrySource(): string {
  // Nested folders are topics (`daemon/start.js` is `daemon start`, oclif's id `daemon:start`).
  const commands = (readdirSync(join(CLI, 'dist', 'commands'), { recursive: true }) as string[])
    .filter((f) => f.endsWith('.js'))
    .map((f) => f.split(sep).join('/'))
    .sort();
  const pjson = JSON.parse(readFileSync(join(CLI, 'package.json'), 'utf8')) as { name: string; version: string; description: string; oclif: Record<string, unknown> };
  const lines = [
    "import { Config, Plugin, run, flush } from '@oclif/core';",
    "import { normalizeArgv } from './dist/flags/argv.js';",
    "import { renderError } from './dist/output/error.js';",
    ...commands.map((f, i) => `import C${i} from './dist/commands/${f}';`),
    `const COMMANDS = { ${commands.map((f, i) => `${JSON.stringify(f.slice(0, -3).split('/').join(':'))}: C${i}`).join(', ')} };`,
    `const PJSON = ${JSON.stringify({
      name: pjson.name,
      version: pjson.version,
      description: pjson.description,
      type: 'module',
      oclif: { ...pjson.oclif, commands: { strategy: 'explicit', target: './commands.js', identifier: 'COMMANDS' } },
    })};`,
    `export async function main(argv) {
  try {
    const root = process.execPath.slice(0, process.execPath.lastIndexOf('/')) || '/';
    // The explicit strategy would import its target file; the plugin is handed the map instead,
    // and builds its manifest from the classes rather than reading oclif.manifest.json.
    const plugin = new Plugin({ root, pjson: PJSON, isRoot: true, ignoreManifest: true });
    plugin.commandCache = COMMANDS;
    await plugin.load();
    const config = await Config.load({ root, pjson: PJSON, plugins: new Map([[PJSON.name, plugin]]) });
    await run(normalizeArgv(argv), config);
    await flush();
    return 0;
  } catch (error) {
    return renderError(error);
  }
}`,
  ];
  return lines.join('\n');
}

/**
 * The SEA's main script: CommonJS, loads only built-ins; the bundles are assets. Like
 * `bin/run.js` it answers `--version`, a cached `credential-process` from the small fast
 * bundle, and `roles`, `tui` and `exec` from their own, before the CLI's bundle (megabytes to
 * compile on every start) loads.
 */
function mainSource(version: string): string {
  return `const { getAsset } = require('node:sea');
const load = (name) => import('data:text/javascript;base64,' + Buffer.from(getAsset(name)).toString('base64'));
const argv = process.argv.slice(2);
(async () => {
  if (argv.length === 1 && argv[0] === '--version') {
    process.stdout.write('anwbis/' + ${JSON.stringify(version)} + ' ' + process.platform + '-' + process.arch + ' node-' + process.version + '\\n');
    return 0;
  }
  const first = argv[0];
  const own = { roles: 'fastRoles', tui: 'fastTui', exec: 'fastExec' }[first];
  if (typeof own === 'string') {
    // As from bin/run.js: their own bundles, without oclif, unless the flags need its parser.
    const status = await (await load(first + '.mjs'))[own](argv.slice(1));
    if (status !== undefined) return status;
  }
  const assume = first === 'assume' || (first !== undefined && first.startsWith('-') && first !== '--help' && first !== '-h');
  const fast = first === 'credential-process' || assume ? await load('fast.mjs') : undefined;
  if (fast && (await (assume ? fast.fastAssume(first === 'assume' ? argv.slice(1) : argv) : fast.fastCredentialProcess(argv.slice(1))))) return 0;
  const code = await (await load('anwbis.mjs')).main(argv);
  await fast?.releaseUnusedLocks();
  return code;
})().then((code) => { process.exitCode = code; });
`;
}

// Dependencies bundled from CommonJS call require() and read __dirname; an ES module has neither.
const BANNER = `import { createRequire as __anwbisCreateRequire } from 'node:module';
const require = __anwbisCreateRequire(process.execPath);
const __filename = process.execPath;
const __dirname = __filename.slice(0, __filename.lastIndexOf('/'));`;

function runOrThrow(command: string, args: string[]): void {
  const res = spawnSync(command, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${res.status}):\n${res.stdout}${res.stderr}`);
}

/** Builds the single executable and returns its path. */
export async function buildSea(output = seaOutputPath()): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), 'anwbis-sea-'));
  try {
    const bundle = join(work, 'anwbis.mjs');
    const fast = join(work, 'fast.mjs');
    // The keychain module is native code only Node's loader can load: left out, so a single executable
    // reports it unavailable and names the encrypted key file instead.
    const common = { bundle: true, platform: 'node', format: 'esm', target: 'node24', banner: { js: BANNER }, minify: true, keepNames: true, legalComments: 'none', logLevel: 'warning', external: ['@napi-rs/keyring'] as string[] } as const;
    // Ink loads react-devtools-core only when DEV=true, through a static import esbuild would
    // hoist; it is not installed and has no place in a release, so it is an empty module here.
    const noDevtools: Plugin = {
      name: 'no-react-devtools',
      setup(b) {
        b.onResolve({ filter: /^react-devtools-core$/ }, () => ({ path: 'react-devtools-core', namespace: 'anwbis-stub' }));
        b.onLoad({ filter: /.*/, namespace: 'anwbis-stub' }, () => ({ contents: 'export default { initialize() {}, connectToDevTools() {} };', loader: 'js' }));
      },
    };
    // The picker's start as bin/run.js has it: yoga without fetch, string-width's fast path; and
    // Node's built-ins through require (an ES import of node:http loads all of undici).
    const { builtinsThroughRequire, stringWidthFastPath, yogaWithoutFetch } = (await import(pathToFileURL(join(CLI, 'scripts', 'bundle-plugins.mjs')).href)) as Record<
      'builtinsThroughRequire' | 'stringWidthFastPath' | 'yogaWithoutFetch',
      Plugin
    >;
    const plugins = [noDevtools, builtinsThroughRequire];
    await build({ ...common, plugins, stdin: { contents: entrySource(), resolveDir: CLI, sourcefile: 'sea-entry.js', loader: 'js' }, outfile: bundle });
    await build({ ...common, plugins, entryPoints: [join(CLI, 'dist', 'fast', 'index.js')], outfile: fast });
    // `roles`, `tui` and `exec` without oclif, as bin/run.js starts them, with React's and Ink's
    // production builds (the development ones cost a second of the picker's start).
    const fastCommands = { roles: join(work, 'roles.mjs'), tui: join(work, 'tui.mjs'), exec: join(work, 'exec.mjs') };
    for (const [name, outfile] of Object.entries(fastCommands)) {
      await build({ ...common, plugins: [...plugins, yogaWithoutFetch, stringWidthFastPath], define: { 'process.env.NODE_ENV': '"production"' }, entryPoints: [join(CLI, 'dist', 'fast', `${name}.js`)], outfile });
    }
    const { version } = JSON.parse(readFileSync(join(CLI, 'package.json'), 'utf8')) as { version: string };
    writeFileSync(join(work, 'main.cjs'), mainSource(version));
    const config = {
      main: join(work, 'main.cjs'),
      output: join(work, 'sea.blob'),
      disableExperimentalSEAWarning: true,
      // Node's default, pinned: the daemon's service units pass its V8 settings in NODE_OPTIONS,
      // the one place a single executable takes them from (see daemonLaunch).
      execArgvExtension: 'env',
      assets: { 'anwbis.mjs': bundle, 'fast.mjs': fast, 'roles.mjs': fastCommands.roles, 'tui.mjs': fastCommands.tui, 'exec.mjs': fastCommands.exec },
    };
    writeFileSync(join(work, 'sea.json'), JSON.stringify(config));
    const node = nodeBinary();
    runOrThrow(node, ['--experimental-sea-config', join(work, 'sea.json')]);

    mkdirSync(dirname(output), { recursive: true });
    rmSync(output, { force: true });
    copyFileSync(node, output);
    chmodSync(output, 0o755);
    // macOS (per Node's SEA documentation; not exercised here): unsigned for the injection, signed after.
    if (process.platform === 'darwin') runOrThrow('codesign', ['--remove-signature', output]);
    const postject = join(dirname(require.resolve('postject/package.json')), 'dist', 'cli.js');
    runOrThrow(node, [postject, output, 'NODE_SEA_BLOB', join(work, 'sea.blob'), '--sentinel-fuse', SEA_FUSE, ...(process.platform === 'darwin' ? ['--macho-segment-name', 'NODE_SEA'] : [])]);
    if (process.platform === 'darwin') runOrThrow('codesign', ['--sign', '-', output]);
    return output;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

// Usage: node tools/dist/sea/build.js [OUTPUT]
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const output = await buildSea(process.argv[2] ? resolve(process.argv[2]) : undefined);
  process.stderr.write(`built ${output} (${(statSync(output).size / 1e6).toFixed(1)} MB)\n`);
}
