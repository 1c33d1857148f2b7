import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ANWBIS_BIN, awsCli, createSandbox, type Sandbox, type SeededUser } from '../../emulator/index.js';

/** The MFA code every tool is given; moto does not check codes. */
export const MFA_CODE = '123456';

/** A program run: never through a shell, secrets only in the environment or files. */
export interface Command {
  readonly file: string;
  readonly args: readonly string[];
  readonly env: Record<string, string>;
  /** argv[0] as the program sees it (granted picks `assume` or `granted` by it). */
  readonly argv0?: string;
}

export interface Outcome {
  readonly ms: number;
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end and times it from spawn to exit. */
export function timed(cmd: Command, timeoutMs = 60_000): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(cmd.file, cmd.args, { env: cmd.env, stdio: ['ignore', 'pipe', 'pipe'], ...(cmd.argv0 ? { argv0: cmd.argv0 } : {}) });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(0, 8000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ ms: performance.now() - start, code, stdout, stderr });
    });
  });
}

/** Runs a command that must succeed; the error shows its stderr (tools here never print secrets there). */
export async function mustRun(what: string, cmd: Command): Promise<Outcome> {
  const out = await timed(cmd);
  if (out.code !== 0) throw new Error(`${what}: \`${[cmd.argv0 ?? cmd.file, ...cmd.args].join(' ')}\` exited with ${out.code}\n${out.stderr.trimEnd()}`);
  return out;
}

/** How one tool is driven through each row, and what it was told. */
export interface Driver {
  readonly name: 'anwbis' | 'anwbis [against]' | 'aws-vault' | 'granted';
  /** What the tool was given (config, flags), for the table's notes. */
  readonly told: string;
  readonly box: Sandbox;
  /** Back to "never logged in": no session, no cached or remembered credentials. */
  resetCold(): void;
  readonly cold: Command;
  /** A second run with the role already remembered; undefined when the tool has no such state. */
  readonly remembered?: Command;
  /** A valid MFA session (where the tool has one) and no cached role credentials. */
  emptyCache(): Promise<void>;
  /** The command AWS tools run as `credential_process`. */
  readonly credentialProcess: Command;
  /** The config profile whose `credential_process` is {@link credentialProcess}. */
  readonly cliProfile: string;
  /**
   * A long-running helper of the tool's own that its credential_process calls use when it runs
   * (anwbis's daemon); `start` resolves with its pid, so that its CPU can be counted too.
   */
  readonly helper?: {
    readonly name: string;
    start(): Promise<number>;
    stop(): Promise<void>;
    /** As {@link Driver.resetCold}, the running helper and its own files kept (for the cold row with it running). */
    resetColdKeepingIt?(): void;
  };
}

/** User + system CPU (ms) a running process has used so far. */
export function processCpuMs(pid: number): number {
  // utime and stime.
  return statTicksMs(`/proc/${pid}/stat`, 14, 15);
}

/** The sum of two fields of a /proc stat file (1-based, as proc(5) numbers them), clock ticks as ms. */
function statTicksMs(path: string, a: number, b: number): number {
  const stat = readFileSync(path, 'utf8');
  // Fields after the command name start at 3 (state); ticks are USER_HZ = 100 on Linux.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[a - 3]) + Number(fields[b - 3])) * 10;
}

export interface World {
  readonly user: SeededUser;
  readonly roleArn: string;
  /** Where anwbis sends AWS requests (`AWS_ENDPOINT_URL`): the delay proxy, over HTTPS signed by {@link caFile} when `https:`. */
  readonly endpoint: string;
  /** HTTPS_PROXY and CA for the Go tools, which reach the same delay proxy through it. */
  readonly httpsProxy: string;
  readonly caFile: string;
}

const PROXY_VARS = /^(https?_proxy|no_proxy|all_proxy)$/i;

function cleanEnv(env: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !PROXY_VARS.test(k)));
}

/** The AWS CLI profile that runs `command` as its credential_process (argument words, no shell). */
function credentialProcessProfile(profile: string, command: Command): string {
  return `[profile ${profile}]\nregion = us-east-1\ncredential_process = ${[command.file, ...command.args].join(' ')}\n`;
}

/** anwbis, as its README says: the corp profile holds the user's keys; the role ARN is looked up once and remembered. */
/** @param bin the CLI's bin script: this build's, or another build's (`--against`). */
export function anwbisDriver(world: World, bin = ANWBIS_BIN, name: 'anwbis' | 'anwbis [against]' = 'anwbis'): Driver {
  const box = createSandbox({ endpoint: world.endpoint, profiles: { default: world.user } });
  const env = { ...cleanEnv(box.env), ...(world.endpoint.startsWith('https:') ? { NODE_EXTRA_CA_CERTS: world.caFile } : {}) };
  const node = process.execPath;
  const assume = ['-p', 'datalab', '-e', 'dev', '-r', 'admin'];
  const credentialProcess: Command = { file: node, args: [bin, 'credential-process', ...assume], env };
  box.write('config', `${box.read('config')}\n${credentialProcessProfile('via-anwbis', credentialProcess)}`);
  const cold: Command = { file: node, args: [bin, ...assume, '--mfa-code', MFA_CODE, '--refresh'], env };
  return {
    name,
    told: '`-p datalab -e dev -r admin --mfa-code` and the corp user\'s keys; finds the role ARN and MFA device itself (cold) or remembers them',
    box,
    resetCold: () => rmSync(box.anwbisHome, { recursive: true, force: true }),
    cold,
    remembered: cold,
    async emptyCache() {
      await mustRun('anwbis session', { file: node, args: [bin, 'session', '--mfa-code', MFA_CODE], env });
      rmSync(join(box.anwbisHome, 'credentials'), { recursive: true, force: true });
    },
    credentialProcess,
    cliProfile: 'via-anwbis',
    helper: {
      name: 'the anwbis daemon',
      async start() {
        const out = await mustRun('anwbis daemon start', { file: node, args: [bin, 'daemon', 'start'], env });
        const pid = /\(pid (\d+)/.exec(out.stderr);
        if (!pid) throw new Error(`anwbis daemon start named no pid: ${out.stderr}`);
        return Number(pid[1]);
      },
      async stop() {
        await mustRun('anwbis daemon stop', { file: node, args: [bin, 'daemon', 'stop'], env });
      },
      resetColdKeepingIt() {
        for (const entry of readdirSync(box.anwbisHome)) if (!/^(daemon(\.(sock|token))?|logs)$/.test(entry)) rmSync(join(box.anwbisHome, entry), { recursive: true, force: true });
      },
    },
  };
}

function goToolEnv(box: Sandbox, world: World, extra: Record<string, string>): Record<string, string> {
  return { ...cleanEnv(box.env), HTTPS_PROXY: world.httpsProxy, SSL_CERT_FILE: world.caFile, AWS_REGION: 'us-east-1', ...extra };
}

/**
 * aws-vault 7.2.0 as its README sets it up: the user's keys in its (file) keyring under `corp`,
 * a role profile with `source_profile`, `role_arn`, `mfa_serial` and an `mfa_process`. With the
 * MFA serial on the role only, it caches the AssumeRole credentials (a chained MFA serial would
 * make it call AssumeRole on every run).
 */
export async function awsVaultDriver(world: World, bin: string): Promise<Driver> {
  const box = createSandbox({ region: 'us-east-1' });
  const keys = join(box.dir, '.awsvault', 'keys');
  const pristine = join(box.dir, 'keys-master-only');
  const env = goToolEnv(box, world, { AWS_VAULT_BACKEND: 'file', AWS_VAULT_FILE_PASSPHRASE: 'bench-only', AWS_VAULT_FILE_DIR: keys });
  const credentialProcess: Command = { file: bin, args: ['exec', '--json', 'bench'], env };
  box.write(
    'config',
    `[default]\nregion = us-east-1\n\n[profile corp]\nregion = us-east-1\n\n` +
      `[profile bench]\nsource_profile = corp\nrole_arn = ${world.roleArn}\nmfa_serial = ${world.user.mfaSerial}\n` +
      `mfa_process = echo ${MFA_CODE}\nrole_session_name = ${world.user.name}\nregion = us-east-1\n\n` +
      credentialProcessProfile('via-aws-vault', credentialProcess),
  );
  mkdirSync(keys, { recursive: true, mode: 0o700 });
  await mustRun('aws-vault add', {
    file: bin,
    args: ['add', 'corp', '--env'],
    env: { ...env, AWS_ACCESS_KEY_ID: world.user.accessKeyId, AWS_SECRET_ACCESS_KEY: world.user.secretAccessKey },
  });
  cpSync(keys, pristine, { recursive: true });
  const resetCold = () => {
    rmSync(keys, { recursive: true, force: true });
    cpSync(pristine, keys, { recursive: true });
  };
  return {
    name: 'aws-vault',
    told: 'keys in its file keyring; `bench` profile with role_arn, mfa_serial, mfa_process; cold run `exec --json --mfa-token`',
    box,
    resetCold,
    cold: { file: bin, args: ['exec', '--json', '--mfa-token', MFA_CODE, 'bench'], env },
    async emptyCache() {
      // Its session (GetSessionToken) stays; only the cached AssumeRole credentials go.
      for (const file of readdirSync(keys)) if (decodeURIComponent(file).startsWith('sts.AssumeRole')) rmSync(join(keys, file));
    },
    credentialProcess,
    cliProfile: 'via-aws-vault',
  };
}

/**
 * granted 0.38.0 with an IAM user: the keys in the credentials file (granted reads them through
 * the AWS SDK), `bench` with role_arn and mfa_serial. Its credential-process asks for an MFA code
 * only on a terminal, so the concurrent row uses `bench-nomfa` (same role, no MFA serial).
 */
export function grantedDriver(world: World, bin: string): Driver {
  const box = createSandbox({ profiles: { corp: world.user }, region: 'us-east-1' });
  const grantedDir = join(box.dir, '.granted');
  const keyring = join(grantedDir, 'keyring');
  mkdirSync(grantedDir, { mode: 0o700 });
  writeFileSync(
    join(grantedDir, 'config'),
    `DefaultBrowser = "STDOUT"\nCustomBrowserPath = ""\nCustomSSOBrowserPath = ""\nOrdering = ""\nExportCredentialSuffix = ""\n\n[Keyring]\nBackend = "file"\nFileDir = "${keyring}"\n`,
    { mode: 0o600 },
  );
  const env = goToolEnv(box, world, {
    GRANTED_DISABLE_UPDATE_CHECK: 'true',
    GRANTED_ALIAS_CONFIGURED: 'true',
    GRANTED_QUIET: 'true',
    CF_KEYRING_FILE_PASSWORD: 'bench-only',
  });
  const credentialProcess: Command = { file: bin, args: ['credential-process', '--profile', 'bench-nomfa'], env };
  const role = `source_profile = corp\nrole_arn = ${world.roleArn}\nrole_session_name = ${world.user.name}\nregion = us-east-1\n`;
  box.write(
    'config',
    `[default]\nregion = us-east-1\n\n[profile corp]\nregion = us-east-1\n\n` +
      `[profile bench]\n${role}mfa_serial = ${world.user.mfaSerial}\n\n[profile bench-nomfa]\n${role}\n` +
      credentialProcessProfile('via-granted', credentialProcess),
  );
  const clearCache = () => rmSync(keyring, { recursive: true, force: true });
  return {
    name: 'granted',
    told: 'keys in ~/.aws/credentials; `bench` with role_arn, mfa_serial (cold: `assume --mfa-token bench`); credential-process on `bench-nomfa` (no MFA serial)',
    box,
    resetCold: clearCache,
    cold: { file: bin, args: ['--mfa-token', MFA_CODE, 'bench'], env, argv0: 'assumego' },
    async emptyCache() {
      clearCache();
    },
    credentialProcess,
    cliProfile: 'via-granted',
  };
}

/** The AWS CLI's `sts get-caller-identity`, straight to `endpoint`, with the profile's credentials. */
export function cliCall(env: Record<string, string>, endpoint: string, profile?: string): Command {
  return { file: awsCli(), args: ['--endpoint-url', endpoint, '--output', 'json', 'sts', 'get-caller-identity', ...(profile === undefined ? [] : ['--profile', profile])], env };
}

/** A profile with the corp user's static keys, for the AWS CLI baseline. */
export function addStaticProfile(box: Sandbox, user: SeededUser): void {
  box.write('credentials', `${box.read('credentials')}\n[static]\naws_access_key_id = ${user.accessKeyId}\naws_secret_access_key = ${user.secretAccessKey}\n`);
  box.write('config', `${box.read('config')}\n[profile static]\nregion = us-east-1\n`);
}

/** CPU milliseconds (user + system) of this process's children that have been waited for, from /proc. */
export function childrenCpuMs(): number {
  // cutime and cstime.
  return statTicksMs('/proc/self/stat', 16, 17);
}

/** Peak resident memory of a command in kB, from GNU time. */
export async function peakRssKb(cmd: Command): Promise<number> {
  const out = await mustRun('peak memory', { ...cmd, file: '/usr/bin/time', args: ['-f', 'maxrss-kb=%M', cmd.file, ...cmd.args] });
  const match = /maxrss-kb=(\d+)/.exec(out.stderr);
  if (!match) throw new Error(`/usr/bin/time printed no peak memory: ${out.stderr}`);
  return Number(match[1]);
}
