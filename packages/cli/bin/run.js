#!/usr/bin/env node
import { enableCompileCache } from 'node:module';

// Start-up is paid on every AWS client start (credential_process): reuse compiled code.
enableCompileCache?.();
// credential-process answers from its cache before oclif loads.
const answered =
  process.argv[2] === 'credential-process' &&
  (await (await import('../dist/fast/credential-process.bundle.js')).fastCredentialProcess(process.argv.slice(3)));
if (!answered) {
  const { main } = await import('../dist/entry.js');
  process.exitCode = await main(process.argv.slice(2));
}
