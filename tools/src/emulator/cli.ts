import { createSandbox } from './sandbox.js';
import { demoScenario } from './demo-scenario.js';
import { seedScenario } from './scenario.js';
import { EmulatorUnavailableError, startMoto } from './moto.js';

/**
 * `npm run emulator`: a local AWS (moto) seeded with the demo accounts, and a sandbox of AWS
 * files that use it, for trying anwbis by hand. Runs until Ctrl-C.
 */
async function main(): Promise<void> {
  const moto = await startMoto();
  const seeded = await seedScenario(moto.endpoint, demoScenario());
  const sandbox = createSandbox({ endpoint: moto.endpoint, profiles: { default: seeded.users['luis.gonzalez']! } });
  const exported = ['AWS_ENDPOINT_URL', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE', 'ANWBIS_HOME', 'AWS_EC2_METADATA_DISABLED'];
  process.stdout.write(
    [
      `# moto is listening on ${moto.endpoint} with a corp account (111111111111) and two delegated accounts.`,
      '# Paste these lines into another shell, then try for example:',
      '#   npx anwbis -p datalab -e dev -r admin --mfa-code 123456',
      '#   aws sts get-caller-identity --profile datalab-dev-admin',
      ...exported.map((name) => `export ${name}='${sandbox.env[name]}'`),
      '# Ctrl-C stops the emulator and removes the sandbox.',
      '',
    ].join('\n'),
  );
  const stop = async () => {
    await moto.stop();
    sandbox.remove();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof EmulatorUnavailableError ? err.message : (err as Error).stack}\n`);
  process.exitCode = 1;
});
