// Bundles the `roles` and `tui` entries and those of a credential-process miss and an assume
// that must call AWS (dist/fast/roles.js, tui.js, provide.js, assume-full.js) into
// dist/fast/bundle/: one file each to start, chunks shared between them, and what they import
// lazily (the AWS SDK, Ink and React, the daemon client) in chunks loaded only when used.
import { readFile } from 'node:fs/promises';
import { build } from 'esbuild';
import { stringWidthFastPath } from './string-width-fast-path.mjs';

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

await build({
  entryPoints: ['dist/fast/roles.js', 'dist/fast/tui.js', 'dist/fast/provide.js', 'dist/fast/assume-full.js'],
  outdir: 'dist/fast/bundle',
  chunkNames: 'chunks/[name]-[hash]',
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
  plugins: [yogaWithoutFetch, stringWidthFastPath],
  logLevel: 'warning',
});
