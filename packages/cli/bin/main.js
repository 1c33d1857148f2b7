import { readFileSync } from 'node:fs';
import { enableCompileCache } from 'node:module';

// Start-up is paid on every AWS client start (credential_process): reuse compiled code.
enableCompileCache?.();
const argv = process.argv.slice(2);
let answered = false;
if (argv.length === 1 && argv[0] === '--version') {
  // oclif's own format, without loading oclif.
  const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  process.stdout.write(`anwbis/${version} ${process.platform}-${process.arch} node-${process.version}\n`);
  answered = true;
} else if (argv[0] === 'credential-process') {
  // Answers from its cache before oclif or the AWS SDK load.
  answered = await (await import('../dist/fast/credential-process.bundle.js')).fastCredentialProcess(argv.slice(1));
} else if (argv[0] === 'roles' || argv[0] === 'tui') {
  // Bundled and run without oclif when the flags are simple; anything else goes to oclif.
  const bundle = await import(`../dist/fast/bundle/${argv[0]}.js`);
  const status = await (argv[0] === 'roles' ? bundle.fastRoles : bundle.fastTui)(argv.slice(1));
  if (status !== undefined) {
    process.exitCode = status;
    answered = true;
  }
}
if (!answered) {
  const { main } = await import('../dist/entry.js');
  process.exitCode = await main(argv);
}
