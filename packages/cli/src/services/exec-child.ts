import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { AnwbisError, credentialVariables, type ProvidedCredentials } from '@anwbis/core';

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'];

/** Variables that name a profile or hold keys: an inherited one would override the role's. */
export const PROFILE_AND_KEY_VARIABLES = ['AWS_PROFILE', 'AWS_DEFAULT_PROFILE', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_SECURITY_TOKEN'];

/**
 * The environment `anwbis exec` gives its command: this one's, without the variables that name
 * other credentials or a profile (AWS_PROFILE would override the keys), with the role's keys,
 * region and profile name.
 */
export function execEnv(provided: ProvidedCredentials): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of PROFILE_AND_KEY_VARIABLES) delete env[name];
  for (const [name, value] of credentialVariables(provided.credentials, provided.region)) env[name] = value;
  env.ANWBIS_PROFILE = provided.profile;
  return env;
}

/**
 * Runs the child with the terminal, forwards signals, and resolves with the status to exit with.
 * `inherit`: descriptors the child gets as well, as 3, 4, …
 */
export function runChild(command: string, args: string[], env: NodeJS.ProcessEnv, inherit: readonly number[] = []): Promise<number> {
  return new Promise((resolve, reject) => {
    // Listening before the child exists: a signal sent once the child has printed something
    // could otherwise reach anwbis before it listens (on a busy machine) and end it by default,
    // leaving the child running.
    const to: { child?: ReturnType<typeof spawn> } = {};
    const forward = (signal: NodeJS.Signals) => to.child?.kill(signal);
    for (const signal of FORWARDED) process.on(signal, forward);
    const child = (to.child = spawn(command, args, { stdio: ['inherit', 'inherit', 'inherit', ...inherit], env }));
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
