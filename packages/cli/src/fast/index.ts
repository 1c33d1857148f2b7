/**
 * The fast paths, one small bundle (dist/fast/fast.bundle.cjs) that bin/run.js loads before
 * oclif: a cache-hit `credential-process` and a reused `assume`, and whether a daemon may take
 * an assume that cannot be reused (forward-entry.ts is then loaded).
 */
export { fastAssume } from './assume.js';
export { fastCredentialProcess, releaseUnusedLocks } from './credential-process.js';
export { daemonSocketPresent } from './daemon-cache.js';
