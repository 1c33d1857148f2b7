import { readFileSync } from 'node:fs';
import { enableCompileCache } from 'node:module';

// Start-up is paid on every AWS client start (credential_process): reuse compiled code.
enableCompileCache?.();
const argv = process.argv.slice(2);
let answered = false;
let fast;
if (argv.length === 1 && argv[0] === '--version') {
  // oclif's own format, without loading oclif.
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`anwbis/${version} ${process.platform}-${process.arch} node-${process.version}\n`);
  answered = true;
} else if (argv[0] === 'credential-process') {
  // Answers from its cache before oclif or the AWS SDK load; on a miss, waits there for
  // whoever is fetching, or takes the lock for the full command.
  fast = await import('../dist/fast/credential-process.bundle.js');
  answered = await fast.fastCredentialProcess(argv.slice(1));
}
if (!answered) {
  const { main } = await import('../dist/entry.js');
  const status = await main(argv);
  await fast?.releaseUnusedLocks();
  process.exitCode = status;
}
