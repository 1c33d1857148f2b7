import { AnwbisCommand } from '../base.js';
import { AnwbisError, credentialVariables, provideRoleCredentials } from '@anwbis/core';
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { sourceFlags, targetOrNameFlags } from '../flags.js';
import { cliRuntime } from '../runtime.js';
import { requestFromFlags } from '../target.js';

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'];

export default class Exec extends AnwbisCommand {
  static override summary = 'Run a command with the credentials of a delegated role in its environment';
  static override description = `Sets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and AWS_REGION/AWS_DEFAULT_REGION
for the command (never on its command line), removes AWS_PROFILE so it cannot override them,
passes signals on, and exits with the command's status.`;

  static override examples = ['anwbis exec -p datalab -e dev -r admin -- aws s3 ls', 'anwbis exec --target datalab-dev-admin -- terraform plan'];
  static override flags = { ...targetOrNameFlags, ...sourceFlags };

  async run(): Promise<void> {
    // Everything after `--` is the child's, untouched by flag parsing.
    const raw = [...this.argv];
    const split = raw.indexOf('--');
    const { flags } = await this.parse(Exec, split === -1 ? raw : raw.slice(0, split));
    const [command, ...args] = split === -1 ? [] : raw.slice(split + 1);
    if (!command) throw new AnwbisError('usage', 'say which command to run after --', { next: 'anwbis exec -p PROJECT -e ENV -r ROLE -- COMMAND ARGS…' });
    const runtime = cliRuntime({ verbose: flags.verbose, mfaCode: flags['mfa-code'], mfaProcess: flags['mfa-process'], quiet: true });
    const provided = await provideRoleCredentials(requestFromFlags(flags), runtime);
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const name of ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN']) delete env[name];
    for (const [name, value] of credentialVariables(provided.credentials, provided.region)) env[name] = value;
    env.ANWBIS_PROFILE = provided.profile;
    const status = await runChild(command, args, env);
    if (status !== 0) this.exit(status);
  }
}

/** Runs the child with the terminal, forwards signals, and resolves with the status to exit with. */
function runChild(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    // Listening before the spawn: the child may start and be seen (it printed "ready", say)
    // before spawn() returns here, and a SIGTERM that came before the listener would end
    // anwbis and leave the child running. A signal that arrives during spawn() is handled
    // after it, with the child known.
    const started: { child?: ReturnType<typeof spawn> } = {};
    const forward = (signal: NodeJS.Signals) => started.child?.kill(signal);
    for (const signal of FORWARDED) process.on(signal, forward);
    const child = (started.child = spawn(command, args, { stdio: 'inherit', env }));
    const cleanup = () => {
      for (const signal of FORWARDED) process.off(signal, forward);
    };
    child.once('error', (err: NodeJS.ErrnoException) => {
      cleanup();
      reject(new AnwbisError('usage', `cannot run ${JSON.stringify(command)}: ${err.code === 'ENOENT' ? 'command not found' : err.message}`));
    });
    child.once('exit', (code, signal) => {
      cleanup();
      resolve(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
}
