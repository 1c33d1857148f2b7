#!/usr/bin/env node
// credential-process answers from its cache before oclif loads: AWS clients run it on every start.
const answered =
  process.argv[2] === 'credential-process' &&
  (await (await import('../dist/fast/credential-process.js')).fastCredentialProcess(process.argv.slice(3)));
if (!answered) {
  const { main } = await import('../dist/entry.js');
  process.exitCode = await main(process.argv.slice(2));
}
