// Bundles the fast paths' CommonJS entry (dist/fast/index.js, for a cache hit and a reuse) into
// dist/fast/fast.bundle.cjs, the forwarding client (dist/fast/forward-entry.js) into
// dist/fast/forward.bundle.cjs, and the entries of a credential-process miss, an assume or a session that
// must call AWS and exec (dist/fast/provide.js, assume-full.js, session-full.js, exec.js), and those of `roles` and `tui` (roles.js, tui.js), into
// dist/fast/bundle/: one file each to start, chunks shared within each build, and what they import
// lazily (the AWS SDK clients, Ink and React, the daemon client) in chunks loaded only when used.
// The plugins are in bundle-plugins.mjs (the single executable's build uses them too).
import { createHash } from 'node:crypto';
import { appendFileSync, readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';
import { builtinsThroughRequire, lazyBuiltins, stringWidthFastPath, yogaWithoutFetch } from './bundle-plugins.mjs';

/**
 * A small CommonJS bundle that bin/run.js loads through node:vm with a V8 code cache of its own,
 * with its content id on its last line: run.js names that cache by it (V8 itself checks only the
 * source's length, so a cache of another build could otherwise be taken).
 */
async function smallBundle(entry, outfile) {
  await build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node22', plugins: [lazyBuiltins], logLevel: 'warning' });
  const bundleId = createHash('sha256').update(readFileSync(outfile)).digest('hex').slice(0, 32);
  appendFileSync(outfile, `//# anwbis-bundle-id=${bundleId}\n`);
}

await smallBundle('dist/fast/index.js', 'dist/fast/fast.bundle.cjs');
// The client of an assume or a session offered to a running daemon (src/fast/forward-entry.ts):
// loaded for an assume only when the fast bundle could not reuse and the daemon's socket is there.
await smallBundle('dist/fast/forward-entry.js', 'dist/fast/forward.bundle.cjs');

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
  // Ink loads it only under DEV=true, for React's devtools, which anwbis does not ship. The
  // keychain module is native code (a .node binary per platform) that only Node's own loader
  // can load; core imports it lazily, for a profile whose keys it keeps.
  external: ['react-devtools-core', '@napi-rs/keyring'],
  // The AWS SDK's ES modules: its CommonJS builds lose named exports through import() here.
  mainFields: ['module', 'main'],
  plugins: [yogaWithoutFetch, stringWidthFastPath, builtinsThroughRequire],
  logLevel: 'warning',
};

// Two builds: what one entry uses of a shared module is kept in the chunk every entry loads,
// so the picker's (the daemon client's full zod with its 50 locales, Ink) would load on every
// assume that calls AWS.
await build({ ...common, entryPoints: ['dist/fast/provide.js', 'dist/fast/assume-full.js', 'dist/fast/session-full.js', 'dist/fast/exec.js'], chunkNames: 'chunks-assume/[name]-[hash]' });
await build({ ...common, entryPoints: ['dist/fast/roles.js', 'dist/fast/tui.js'], chunkNames: 'chunks-picker/[name]-[hash]' });
