import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

/** The environment anwbis reads; passed in so tests and the daemon can supply their own. */
export type Env = Readonly<Record<string, string | undefined>>;

function expandHome(path: string, env: Env): string {
  const home = env.HOME ?? homedir();
  return path === '~' ? home : path.startsWith('~/') ? join(home, path.slice(2)) : path;
}

/** `AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`. */
export function credentialsFilePath(env: Env): string {
  return resolve(expandHome(env.AWS_SHARED_CREDENTIALS_FILE || '~/.aws/credentials', env));
}

/** `AWS_CONFIG_FILE`, else `~/.aws/config`. */
export function configFilePath(env: Env): string {
  return resolve(expandHome(env.AWS_CONFIG_FILE || '~/.aws/config', env));
}

/** anwbis's own state: `ANWBIS_HOME`, else `$XDG_STATE_HOME/anwbis`, else `~/.local/state/anwbis`. */
export function anwbisHome(env: Env): string {
  if (env.ANWBIS_HOME) return resolve(expandHome(env.ANWBIS_HOME, env));
  const state = env.XDG_STATE_HOME ? expandHome(env.XDG_STATE_HOME, env) : expandHome('~/.local/state', env);
  return resolve(state, 'anwbis');
}
