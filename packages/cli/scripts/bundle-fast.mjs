// Bundles the `roles` and `tui` entries and those of a credential-process miss and an assume
// that must call AWS (dist/fast/roles.js, tui.js, provide.js, assume-full.js) into
// dist/fast/bundle/: one file each to start, chunks shared between them, and what they import
// lazily (the AWS SDK, Ink and React, the daemon client) in chunks loaded only when used.
import { build } from 'esbuild';
import { stringWidthFastPath, yogaWithoutFetch } from './bundle-plugins.mjs';

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
