// Bundles the fast paths' CommonJS entry (dist/fast/index.js, for a cache hit and a reuse) into
// dist/fast/fast.bundle.cjs, and the entries of a credential-process miss and an assume that must call AWS
// (dist/fast/provide.js, assume-full.js), and those of `roles` and `tui` (roles.js, tui.js), into
// dist/fast/bundle/: one file each to start, chunks shared within each pair, and what they import
// lazily (the AWS SDK clients, Ink and React, the daemon client) in chunks loaded only when used.
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { builtinModules, createRequire } from 'node:module';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);

/**
 * yoga-layout (Ink's layout engine) carries its WebAssembly as a base64 data: URL and, when a
 * global fetch exists, reads it with fetch, which loads Node's whole HTTP client (undici) and
 * decodes the URL slowly: about 50 ms of every picker start. Its own fallback decodes the same
 * base64 directly; this makes it take that path. A yoga-layout without that test fails the build.
 */
const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(b) {
    b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const test = '"function"!=typeof fetch';
      if (!source.includes(test)) throw new Error(`${path} no longer tests for fetch: see scripts/bundle-fast.mjs`);
      return { contents: source.replaceAll(test, '!0'), loader: 'js' };
    });
  },
};

/**
 * Node's built-in modules through `require` instead of `import`. An ES module import of a
 * built-in makes Node build a facade that reads every export, which runs the lazy getters too:
 * `node:http` then loads its WebSocket export, that is all of undici (about 25 ms of every run
 * that calls AWS), and `node:crypto` loads Web Crypto. Here the module comes from `require`,
 * its plain exports are read once, and of its getters only those below, which bundled code
 * imports by name. A new one fails the build with "No matching export": add it here.
 */
const GETTERS_READ = {
  'node:fs': ['ReadStream', 'WriteStream', 'promises'],
  'node:crypto': ['getRandomValues'],
};
const RESERVED = new Set(['default', 'delete', 'new', 'function', 'class', 'import', 'export', 'return', 'var', 'let', 'const', 'enum', 'in', 'do', 'if', 'for', 'while', 'with', 'switch', 'case', 'break', 'continue', 'throw', 'try', 'catch', 'finally', 'this', 'super', 'null', 'true', 'false', 'typeof', 'instanceof', 'void', 'yield', 'await', 'static', 'debugger', 'extends']);
const builtinsThroughRequire = {
  name: 'builtins-through-require',
  setup(b) {
    const names = new Set(builtinModules.filter((m) => !m.startsWith('_')));
    b.onResolve({ filter: /^[a-z0-9_/:]+$/ }, ({ path, namespace }) => {
      const name = path.replace(/^node:/, '');
      if (!names.has(name) && !path.startsWith('node:')) return undefined;
      // The shim's own require is Node's.
      if (namespace === 'builtin-require') return { path: `node:${name}`, external: true };
      // Unused, it is dropped like an unused import of Node's own.
      return { path: `node:${name}`, namespace: 'builtin-require', sideEffects: false };
    });
    b.onLoad({ filter: /.*/, namespace: 'builtin-require' }, ({ path }) => {
      const exports = require(path);
      const plain = Object.entries(Object.getOwnPropertyDescriptors(exports))
        .filter(([key, d]) => /^[A-Za-z_$][\w$]*$/.test(key) && !RESERVED.has(key) && (!d.get || (GETTERS_READ[path] ?? []).includes(key)))
        .map(([key]) => key);
      const lines = [`const m = require(${JSON.stringify(path)});`, 'export default m;'];
      for (const key of plain) lines.push(`export const ${key} = m.${key};`);
      return { contents: lines.join('\n'), loader: 'js' };
    });
  },
};

/**
 * For the small CommonJS bundle every AWS client start runs (dist/fast/fast.bundle.cjs): the
 * built-ins it needs only on some paths come as functions that require them on first call. A
 * cache hit needs neither `node:fs/promises` (which loads readline's interface and the streams,
 * for FileHandle.readLines) nor `node:net` (the daemon client, asked on a miss only).
 */
const LAZY_BUILTINS = ['node:fs/promises', 'node:net', 'node:os'];
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: /^node:(fs\/promises|net|os)$/ }, ({ path, namespace }) =>
      namespace === 'lazy-builtin' ? { path, external: true } : { path, namespace: 'lazy-builtin' },
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, ({ path }) => {
      if (!LAZY_BUILTINS.includes(path)) throw new Error(`${path} is not one of the lazy built-ins`);
      // Only functions: importing anything else from these by name fails the build.
      const functions = Object.entries(Object.getOwnPropertyDescriptors(require(path)))
        .filter(([key, d]) => typeof d.value === 'function' && /^[a-z][\w$]*$/.test(key))
        .map(([key]) => key);
      const lines = [`let m;`, `const load = () => (m ??= require(${JSON.stringify(path)}));`];
      for (const key of functions) lines.push(`export function ${key}(...args) { return load().${key}(...args); }`);
      return { contents: lines.join('\n'), loader: 'js' };
    });
  },
};

await build({
  entryPoints: ['dist/fast/index.js'],
  outfile: 'dist/fast/fast.bundle.cjs',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  plugins: [lazyBuiltins],
  logLevel: 'warning',
});

// Chunks are named by content hash: old ones would pile up in the package.
rmSync('dist/fast/bundle', { recursive: true, force: true });

const common = {
  outdir: 'dist/fast/bundle',
  bundle: true,
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  // CommonJS dependencies inside an ES module bundle call require.
  banner: { js: "import { createRequire as __anwbisCreateRequire } from 'node:module'; const require = __anwbisCreateRequire(import.meta.url);" },
  // React's and Ink's production builds: the development ones cost a second of start-up.
  define: { 'process.env.NODE_ENV': '"production"' },
  // Ink loads it only under DEV=true, for React's devtools, which anwbis does not ship.
  external: ['react-devtools-core'],
  // The AWS SDK's ES modules: its CommonJS builds lose named exports through import() here.
  mainFields: ['module', 'main'],
  plugins: [yogaWithoutFetch, builtinsThroughRequire],
  logLevel: 'warning',
};

// Two builds: what one entry uses of a shared module is kept in the chunk every entry loads,
// so the picker's (the daemon client's full zod with its 50 locales, Ink) would load on every
// assume that calls AWS.
await build({ ...common, entryPoints: ['dist/fast/provide.js', 'dist/fast/assume-full.js'], chunkNames: 'chunks-assume/[name]-[hash]' });
await build({ ...common, entryPoints: ['dist/fast/roles.js', 'dist/fast/tui.js'], chunkNames: 'chunks-picker/[name]-[hash]' });
