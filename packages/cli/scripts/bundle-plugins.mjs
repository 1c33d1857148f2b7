// esbuild plugins for the bundles that start without oclif: scripts/bundle-fast.mjs (bin/run.js)
// and tools/src/sea/build.ts (the single executable).
import { readFile } from 'node:fs/promises';
import { builtinModules, createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);

/**
 * yoga-layout (Ink's layout engine) carries its WebAssembly as a base64 data: URL and, when a
 * global fetch exists, reads it with fetch, which loads Node's whole HTTP client (undici) and
 * decodes the URL slowly: about 50 ms of every picker start. Its own fallback decodes the same
 * base64 directly; this makes it take that path. A yoga-layout without that test fails the build.
 */
export const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(b) {
    b.onLoad({ filter: /yoga-layout[\\/]dist[\\/]binaries[\\/]yoga-wasm-base64-esm\.js$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      const test = '"function"!=typeof fetch';
      if (!source.includes(test)) throw new Error(`${path} no longer tests for fetch: see scripts/bundle-plugins.mjs`);
      return { contents: source.replaceAll(test, '!0'), loader: 'js' };
    });
  },
};

/** Blocks the picker's symbols come from: Latin-1, general punctuation, arrows, box drawing and shapes. */
const CANDIDATE_BLOCKS = [
  [0x00a0, 0x00ff],
  [0x2010, 0x205f],
  [0x2190, 0x21ff],
  [0x2500, 0x25ff],
];

const REGEX = 'const rgiEmojiRegex = /^\\p{RGI_Emoji}$/v;';
const LAZY_REGEX = 'let rgiEmojiRegexBuilt;\nconst rgiEmojiRegex = {test: (segment) => (rgiEmojiRegexBuilt ??= /^\\p{RGI_Emoji}$/v).test(segment)};';
const SLOW_PATH = '\tlet width = 0;\n\tconst eastAsianWidthOptions';

const hex = (c) => `\\u${c.toString(16).padStart(4, '0')}`;

/** A character class of the code points the original counts as one column, as ranges. */
async function narrowClass(path) {
  const { default: stringWidth } = await import(pathToFileURL(path).href);
  const ranges = [[0x20, 0x7e]];
  for (const [from, to] of CANDIDATE_BLOCKS) {
    for (let c = from; c <= to; c++) {
      const ch = String.fromCodePoint(c);
      if (stringWidth(ch) !== 1 || stringWidth(ch + ch) !== 2 || stringWidth(`a${ch}`) !== 2 || stringWidth(`${ch}a`) !== 2) continue;
      const last = ranges.at(-1);
      if (last[1] === c - 1) last[1] = c;
      else ranges.push([c, c]);
    }
  }
  return ranges.map(([a, b]) => (a === b ? hex(a) : `${hex(a)}-${hex(b)}`)).join('');
}

/**
 * string-width (Ink, cli-truncate and slice-ansi each carry a copy) builds a /^\p{RGI_Emoji}$/v
 * regex when loaded, about 20 ms of every picker start, and measures every string that is not
 * plain ASCII grapheme by grapheme. The picker draws only ASCII and a few narrow symbols
 * (· › ▸ … ↑↓). This builds the regex on first use and counts strings made of ASCII and of code
 * points that string-width itself measures as one column, alone and in pairs, by their length.
 * That set is computed here, with the very copy being bundled, so the answer is always the one
 * the original gives.
 */
export const stringWidthFastPath = {
  name: 'string-width-fast-path',
  setup(b) {
    const classes = new Map();
    b.onLoad({ filter: /[\\/]node_modules[\\/]string-width[\\/]index\.js$/ }, async ({ path }) => {
      const source = await readFile(path, 'utf8');
      // string-width 4 and 5 (other tools' dependencies) have no such regex: left as they are.
      if (!source.includes('RGI_Emoji')) return undefined;
      if (!source.includes(REGEX) || !source.includes(SLOW_PATH) || !source.includes('ambiguousIsNarrow = true')) {
        throw new Error(`${path} is not the string-width scripts/bundle-plugins.mjs knows: see there`);
      }
      if (!classes.has(path)) classes.set(path, await narrowClass(path));
      const fast = `\tif (ambiguousIsNarrow && /^[${classes.get(path)}]*$/.test(string)) {\n\t\treturn string.length;\n\t}\n\n`;
      return { contents: source.replace(REGEX, LAZY_REGEX).replace(SLOW_PATH, fast + SLOW_PATH), loader: 'js' };
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
  'node:async_hooks': ['AsyncLocalStorage'],
};
const RESERVED = new Set(['default', 'delete', 'new', 'function', 'class', 'import', 'export', 'return', 'var', 'let', 'const', 'enum', 'in', 'do', 'if', 'for', 'while', 'with', 'switch', 'case', 'break', 'continue', 'throw', 'try', 'catch', 'finally', 'this', 'super', 'null', 'true', 'false', 'typeof', 'instanceof', 'void', 'yield', 'await', 'static', 'debugger', 'extends']);
export const builtinsThroughRequire = {
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
 * for FileHandle.readLines) nor `node:net` (the daemon client, asked on a miss only). The
 * forwarding client (forward.bundle.cjs) needs `node:readline` only to prompt and
 * `node:child_process` only for `--mfa-process`: loaded at start they cost it about 4 ms.
 */
const LAZY_BUILTINS = ['node:fs/promises', 'node:net', 'node:os', 'node:readline', 'node:child_process'];
export const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    const filter = new RegExp(`^(${LAZY_BUILTINS.join('|')})$`);
    b.onResolve({ filter }, ({ path, namespace }) => (namespace === 'lazy-builtin' ? { path, external: true } : { path, namespace: 'lazy-builtin' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, ({ path }) => {
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
