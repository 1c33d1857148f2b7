// Bundles the `roles` and `tui` fast entries (dist/fast/roles.js, dist/fast/tui.js) into
// dist/fast/bundle/: one file each to start, chunks shared between them, and what they import
// lazily (the AWS SDK, Ink and React, the daemon client) in chunks loaded only when used.
import { build } from 'esbuild';

await build({
  entryPoints: ['dist/fast/roles.js', 'dist/fast/tui.js'],
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
  logLevel: 'warning',
});
