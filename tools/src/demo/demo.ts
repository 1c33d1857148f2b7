import { createSandbox, runAnwbis, runAwsCli, seedScenario, startMoto, demoScenario, DEMO_ACCOUNTS, awsCli, type ProcessResult } from '../emulator/index.js';

/**
 * The README's first command: anwbis's main job end to end on a local AWS (moto), in a
 * throw-away home. Nothing outside a temporary directory is touched.
 */
async function main(): Promise<void> {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  const moto = await startMoto();
  const seeded = await seedScenario(moto.endpoint, demoScenario());
  const sandbox = createSandbox({ endpoint: moto.endpoint, profiles: { default: seeded.users['luis.gonzalez']! } });
  const show = (title: string, result: ProcessResult) => {
    say(`\n$ ${title}`);
    if (result.stderr.trim()) say(result.stderr.trimEnd());
    if (result.stdout.trim()) say(result.stdout.trimEnd());
    if (result.code !== 0) throw new Error(`${title} exited with ${result.code}`);
  };
  try {
    say(`Local AWS emulator on ${moto.endpoint}: corp account ${DEMO_ACCOUNTS.corp} (user luis.gonzalez, with an MFA device),`);
    say(`delegated accounts ${DEMO_ACCOUNTS.dev} (dev) and ${DEMO_ACCOUNTS.pro} (pro). Files live in ${sandbox.dir}.`);
    await moto.startRecording();
    show(
      'echo 123456 | anwbis -p datalab -e dev -r admin',
      await runAnwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin'], { env: sandbox.env, input: '123456\n' }),
    );
    const calls = await moto.recording();
    say(`\nAWS calls made: ${calls.map((c) => `${c.service}:${c.action}`).join(', ')}`);
    const assumeCall = calls.find((c) => c.action === 'AssumeRole');
    if (assumeCall) say(`AssumeRole sent RoleArn=${assumeCall.params.RoleArn} SerialNumber=${assumeCall.params.SerialNumber} TokenCode=${assumeCall.params.TokenCode}`);
    say(`\n$ cat ${sandbox.credentialsFile}   (secrets shortened here)`);
    say(sandbox.read('credentials').replace(/(= )(\S{6})\S+/g, '$1$2…'));
    let haveAwsCli = true;
    try {
      awsCli();
    } catch {
      haveAwsCli = false;
    }
    if (haveAwsCli) {
      show(
        'aws sts get-caller-identity --profile datalab-dev-admin',
        await runAwsCli(['sts', 'get-caller-identity', '--profile', 'datalab-dev-admin'], { env: sandbox.env, endpoint: moto.endpoint }),
      );
    } else {
      say('\n(the AWS CLI v2 is not installed: `apt-get install awscli` to see it use the profile)');
    }
    show('anwbis -p datalab -e dev -r admin   (again: still valid, reused without MFA or AWS calls)', await runAnwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin'], { env: sandbox.env }));
    say('\nDone. The emulator is stopped and the temporary files are removed.');
  } finally {
    await moto.stop();
    sandbox.remove();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${(err as Error).message}\n`);
  process.exitCode = 1;
});
