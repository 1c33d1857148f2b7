import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stopChild } from '../emulator/processes.js';

/**
 * A harness around AWS's own EC2 instance-metadata mock (amazon-ec2-metadata-mock, "AEMM"),
 * an independent implementation of IMDSv1/IMDSv2 that serves role credentials the way an EC2
 * instance does. Built with Go by tools/setup.sh into tools/.bin/.
 */

/** The Go package that builds the binary, pinned. */
export const METADATA_MOCK_PACKAGE = 'github.com/aws/amazon-ec2-metadata-mock/cmd/ec2-metadata-mock@v1.13.0';
/** How to install the binary where {@link metadataMockBinary} looks by default (from the repository root). */
export const METADATA_MOCK_INSTALL = `GOBIN="$PWD/tools/.bin" go install ${METADATA_MOCK_PACKAGE}`;

const DEFAULT_BINARY = fileURLToPath(new URL('../../.bin/ec2-metadata-mock', import.meta.url));

/** Thrown when the mock is not installed or does not start; its message says what to do. */
export class MetadataMockUnavailableError extends Error {}

export interface MetadataMockCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: Date;
}

export interface MetadataMockOptions {
  /** The instance profile's role: listed at /latest/meta-data/iam/security-credentials/. */
  readonly roleName: string;
  /** Served at /latest/meta-data/iam/security-credentials/<roleName>. */
  readonly credentials: MetadataMockCredentials;
  /** Served at /latest/meta-data/instance-id. Default `i-0123456789abcdef0`. */
  readonly instanceId?: string;
  /** Refuse requests without an IMDSv2 session token (401). Default true. */
  readonly imdsv2Only?: boolean;
  /** Account in the instance profile ARN served at /latest/meta-data/iam/info. Default 123456789012. */
  readonly accountId?: string;
  /** Further `metadata.values` overrides, keyed as in AEMM's defaults (e.g. `local-ipv4`). */
  readonly extraValues?: Readonly<Record<string, unknown>>;
  /** How long to wait for the mock to answer. Default 10 s. */
  readonly startupTimeoutMs?: number;
}

/** A running mock on 127.0.0.1, owned by the process that started it. */
export interface MetadataMock {
  /** `http://127.0.0.1:PORT`, for AWS_EC2_METADATA_SERVICE_ENDPOINT. */
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  /** The last few kilobytes the mock logged (it logs every request). */
  output(): string;
  /** Stop the mock (SIGTERM, then SIGKILL) and remove its config. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * The ec2-metadata-mock executable: `ANWBIS_EC2_METADATA_MOCK` (a path, or a name looked up
 * on PATH), else `<repo>/tools/.bin/ec2-metadata-mock`.
 */
export function metadataMockBinary(): string {
  const override = process.env.ANWBIS_EC2_METADATA_MOCK;
  if (!override) return DEFAULT_BINARY;
  if (override.includes('/')) return resolve(override);
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    const candidate = join(dir, override);
    if (isExecutable(candidate)) return candidate;
  }
  return override;
}

/** Checks that the mock is installed, with an actionable message when it is not. */
export function assertMetadataMockInstalled(binary = metadataMockBinary()): void {
  if (isExecutable(binary)) return;
  throw new MetadataMockUnavailableError(
    `AWS's EC2 instance-metadata mock is not installed at ${binary}.\n` +
      `Install it (needs Go) from the repository root with:\n  ${METADATA_MOCK_INSTALL}\n` +
      '(tools/setup.sh does this too; or set ANWBIS_EC2_METADATA_MOCK to an ec2-metadata-mock binary)',
  );
}

/**
 * Starts the mock on a free loopback port serving the given role credentials, and resolves
 * once it answers an IMDSv2 token request with this configuration.
 */
export async function startMetadataMock(options: MetadataMockOptions): Promise<MetadataMock> {
  const binary = metadataMockBinary();
  assertMetadataMockInstalled(binary);
  if (!/^[\w+=,.@-]{1,64}$/.test(options.roleName)) {
    throw new Error(`Not a valid IAM role name for the metadata mock: ${JSON.stringify(options.roleName)}`);
  }
  const instanceId = options.instanceId ?? 'i-0123456789abcdef0';
  const dir = mkdtempSync(join(tmpdir(), 'anwbis-imds-'));
  const configFile = join(dir, 'aemm-config.json');
  writeFileSync(configFile, JSON.stringify(aemmConfig(options, instanceId), null, 2), { mode: 0o600 });

  try {
    for (let attempt = 0; ; attempt++) {
      const port = await freePort();
      const started = await launch(binary, dir, configFile, port, options, instanceId);
      if (started.ok) return started.mock;
      // Another process took the port between our probe and the mock's bind: try once more.
      if (attempt === 0 && /address already in use/i.test(started.output)) continue;
      throw new MetadataMockUnavailableError(`ec2-metadata-mock did not start: ${started.why}\n${started.output.slice(-4000)}`);
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** The `-c` config: only `metadata.values` overrides; everything else keeps AEMM's defaults. */
function aemmConfig(options: MetadataMockOptions, instanceId: string): unknown {
  const now = imdsTimestamp(new Date());
  const { credentials: c } = options;
  return {
    metadata: {
      values: {
        ...options.extraValues,
        'instance-id': instanceId,
        // AEMM substitutes this name into the path of `iam-security-credentials`.
        'iam-security-credentials-role': options.roleName,
        'iam-security-credentials': {
          Code: 'Success',
          LastUpdated: now,
          Type: 'AWS-HMAC',
          AccessKeyId: c.accessKeyId,
          SecretAccessKey: c.secretAccessKey,
          Token: c.sessionToken,
          Expiration: imdsTimestamp(c.expiration),
        },
        'iam-info': {
          Code: 'Success',
          LastUpdated: now,
          InstanceProfileArn: `arn:aws:iam::${options.accountId ?? '123456789012'}:instance-profile/${options.roleName}`,
          InstanceProfileId: 'AIPAMOCKINSTANCEPROFILE',
        },
      },
    },
  };
}

/** IMDS writes times as RFC 3339 in UTC without fractional seconds. */
export function imdsTimestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

type Launched = { ok: true; mock: MetadataMock } | { ok: false; why: string; output: string };

async function launch(
  binary: string,
  dir: string,
  configFile: string,
  port: number,
  options: MetadataMockOptions,
  instanceId: string,
): Promise<Launched> {
  const args = ['-c', configFile, '-n', '127.0.0.1', '-p', String(port)];
  if (options.imdsv2Only ?? true) args.push('--imdsv2');
  // AEMM also reads AEMM_* variables and $HOME/aemm-config.json: keep the caller's out of it.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AEMM_')));
  const child = spawn(binary, args, { cwd: dir, env: { ...env, HOME: dir }, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  const keep = (chunk: string) => {
    output = (output + chunk).slice(-16_000);
  };
  child.stdout?.setEncoding('utf8').on('data', keep);
  child.stderr?.setEncoding('utf8').on('data', keep);
  child.stdin?.on('error', () => undefined);

  const exited = new Promise<string>((res) => {
    child.once('error', (err) => res(err.message));
    child.once('exit', (code, signal) => res(`it exited (${signal ?? `code ${code}`})`));
  });
  if (child.pid === undefined) return { ok: false, why: await exited, output };
  const pid = child.pid;
  const guard = guardAgainstParentExit(pid, dir);
  const endpoint = `http://127.0.0.1:${port}`;

  const deadline = Date.now() + (options.startupTimeoutMs ?? 10_000);
  let gone: string | undefined;
  void exited.then((why) => (gone = why));
  for (;;) {
    if (gone !== undefined) {
      guard.release();
      return { ok: false, why: gone, output };
    }
    if (await answers(endpoint, instanceId)) break;
    if (Date.now() > deadline) {
      await stopChild(child, 3000);
      guard.release();
      return { ok: false, why: `no answer on ${endpoint} within ${options.startupTimeoutMs ?? 10_000} ms`, output };
    }
    await new Promise((r) => setTimeout(r, 25));
  }

  let stopped: Promise<void> | undefined;
  const mock: MetadataMock = {
    endpoint,
    port,
    pid,
    output: () => output,
    stop() {
      stopped ??= stopChild(child, 3000).finally(() => {
        guard.release();
        rmSync(dir, { recursive: true, force: true });
      });
      return stopped;
    },
  };
  return { ok: true, mock };
}

/** True once the mock on `endpoint` hands out a token and serves our instance id with it. */
async function answers(endpoint: string, instanceId: string): Promise<boolean> {
  try {
    const tokenRes = await fetch(`${endpoint}/latest/api/token`, {
      method: 'PUT',
      headers: { 'X-aws-ec2-metadata-token-ttl-seconds': '60' },
      signal: AbortSignal.timeout(1000),
    });
    const token = await tokenRes.text();
    if (tokenRes.status !== 200 || !token) return false;
    const idRes = await fetch(`${endpoint}/latest/meta-data/instance-id`, {
      headers: { 'X-aws-ec2-metadata-token': token },
      signal: AbortSignal.timeout(1000),
    });
    return idRes.status === 200 && (await idRes.text()) === instanceId;
  } catch {
    return false;
  }
}

/** A free TCP port on 127.0.0.1 (bound to port 0, then released). */
function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const server = createServer();
    server.unref();
    server.once('error', rej);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? res(port) : rej(new Error('could not find a free port'))));
    });
  });
}

// --- never leave a mock behind -------------------------------------------------------------

/** Mocks still running, killed synchronously if this process exits without stopping them. */
const live = new Map<number, string>();
let exitHookInstalled = false;

/**
 * The mock does not watch its stdin, so two guards make sure it dies with its parent:
 * a process 'exit' hook (normal exits, process.exit) and a tiny watchdog process that kills
 * it when our end of its stdin pipe closes (the parent crashed or was SIGKILLed).
 */
function guardAgainstParentExit(pid: number, dir: string): { release(): void } {
  live.set(pid, dir);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const [p, d] of live) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          // already gone
        }
        rmSync(d, { recursive: true, force: true });
      }
    });
  }
  const watchdog = spawn(process.execPath, ['-e', WATCHDOG, String(pid), dir], { stdio: ['pipe', 'ignore', 'ignore'], env: {} });
  watchdog.on('error', () => undefined);
  watchdog.stdin?.on('error', () => undefined);
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void } | null)?.unref?.();
  return {
    release() {
      live.delete(pid);
      watchdog.kill('SIGKILL');
    },
  };
}

const WATCHDOG = `
const pid = Number(process.argv[1]);
const dir = process.argv[2];
for (const s of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(s, () => {});
const fire = () => {
  try { process.kill(pid, 'SIGKILL'); } catch {}
  try { require('node:fs').rmSync(dir, { recursive: true, force: true }); } catch {}
  process.exit(0);
};
process.stdin.on('end', fire);
process.stdin.on('close', fire);
process.stdin.on('error', fire);
process.stdin.resume();
`;

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
