import { lstatSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SeededUser } from './scenario.js';

/** A throw-away home for one test: AWS files, `ANWBIS_HOME`, and the environment to run with. */
export interface Sandbox {
  readonly dir: string;
  readonly credentialsFile: string;
  readonly configFile: string;
  readonly anwbisHome: string;
  /** A complete environment: the caller's, without any AWS or anwbis settings, plus the sandbox's. */
  readonly env: Record<string, string>;
  read(file: 'credentials' | 'config'): string;
  write(file: 'credentials' | 'config', text: string): void;
  remove(): void;
}

export interface SandboxOptions {
  /** The emulator endpoint, exported as `AWS_ENDPOINT_URL`. */
  readonly endpoint?: string;
  /** Profiles to write into the credentials file: profile name → user keys. */
  readonly profiles?: Readonly<Record<string, SeededUser>>;
  /** Region written into `[default]` of the config file. */
  readonly region?: string;
}

const CLEARED = /^(AWS_|ANWBIS_|XDG_RUNTIME_DIR$|XDG_STATE_HOME$|XDG_CACHE_HOME$|NO_COLOR$|FORCE_COLOR$|NODE_OPTIONS$)/;

/**
 * Where the anwbis a test runs keeps its compiled code (bin/run.js: `$XDG_CACHE_HOME/anwbis`):
 * one directory for all the sandboxes of this user, outside them, so a sandbox holds only what
 * the test is about and each anwbis start is as warm as a person's. A directory of this name
 * that is not this user's private one is not used: a fresh one is made instead.
 */
let codeCache: string | undefined;
function sharedCodeCache(): string {
  if (codeCache !== undefined) return codeCache;
  const shared = join(tmpdir(), `anwbis-test-code-cache-${process.getuid?.() ?? 'user'}`);
  try {
    mkdirSync(shared, { recursive: true, mode: 0o700 });
    const stat = lstatSync(shared);
    if (stat.isDirectory() && stat.uid === process.getuid?.() && (stat.mode & 0o077) === 0) return (codeCache = shared);
  } catch {
    // A fresh one below.
  }
  return (codeCache = mkdtempSync(join(tmpdir(), 'anwbis-test-code-cache-')));
}

/** Creates a sandbox in a new temporary directory. */
export function createSandbox(options: SandboxOptions = {}): Sandbox {
  const dir = mkdtempSync(join(tmpdir(), 'anwbis-test-'));
  const awsDir = join(dir, '.aws');
  mkdirSync(awsDir, { mode: 0o700 });
  const credentialsFile = join(awsDir, 'credentials');
  const configFile = join(awsDir, 'config');
  const anwbisHome = join(dir, 'anwbis-home');

  const credentials = Object.entries(options.profiles ?? {})
    .map(([profile, user]) => `[${profile}]\naws_access_key_id = ${user.accessKeyId}\naws_secret_access_key = ${user.secretAccessKey}\n`)
    .join('\n');
  writeFileSync(credentialsFile, credentials, { mode: 0o600 });
  writeFileSync(configFile, `[default]\nregion = ${options.region ?? 'eu-west-1'}\noutput = json\n`, { mode: 0o600 });

  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !CLEARED.test(k)) env[k] = v;
  Object.assign(env, {
    HOME: dir,
    XDG_CACHE_HOME: sharedCodeCache(),
    AWS_SHARED_CREDENTIALS_FILE: credentialsFile,
    AWS_CONFIG_FILE: configFile,
    ANWBIS_HOME: anwbisHome,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_PAGER: '',
    NO_COLOR: '1',
    ...(options.endpoint ? { AWS_ENDPOINT_URL: options.endpoint } : {}),
  });
  const path = (file: 'credentials' | 'config') => (file === 'credentials' ? credentialsFile : configFile);
  return {
    dir,
    credentialsFile,
    configFile,
    anwbisHome,
    env,
    read: (file) => readFileSync(path(file), 'utf8'),
    write: (file, text) => writeFileSync(path(file), text, { mode: 0o600 }),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
