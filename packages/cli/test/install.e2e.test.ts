import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ANWBIS_BIN, conventionScenario, createSandbox, run, runAwsCli, seedScenario, startMoto, type MotoServer, type ProcessResult } from '@anwbis/tools/emulator';
import { startFederationStandIn, type FederationStandIn } from '@anwbis/tools/federation';
import { errorLines } from '@anwbis/core';
import { daemonRuntime, expectOk, waitFor as waitUntil } from './helpers.js';

const waitFor = <T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>) => waitUntil(what, probe, 120_000);

const WORKSPACE = fileURLToPath(new URL('../../../', import.meta.url));
const PACKAGES = ['core', 'daemon', 'tui', 'cli'];
const DEV = '222222222222';
const USER = 'luis.gonzalez';

/** The files of a packed tarball, as `npm pack --dry-run --json` lists them. */
function packedFiles(pkg: string): string[] {
  const res = spawnSync('npm', ['pack', '--dry-run', '--json', '--loglevel=error'], { cwd: join(WORKSPACE, 'packages', pkg), encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`npm pack failed in packages/${pkg}: ${res.stderr}`);
  return (JSON.parse(res.stdout) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path);
}

/** Every file an `exports` map points at, conditions included. */
function exportTargets(exports: unknown): string[] {
  if (typeof exports === 'string') return [exports];
  if (exports && typeof exports === 'object') return Object.values(exports).flatMap(exportTargets);
  return [];
}

describe('npm pack', () => {
  it.each(PACKAGES)('packages/%s packs its built code, README and LICENSE, and no sources, tests or build leftovers', (pkg) => {
    const files = packedFiles(pkg);
    expect(files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', pkg === 'cli' ? 'dist/entry.js' : 'dist/index.js']));
    expect(files.filter((f) => /^(src|test)\/|\.test\.|tsconfig|\.tsbuildinfo$|\.map$|jest\.config/.test(f))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(WORKSPACE, 'packages', pkg, 'package.json'), 'utf8')) as { exports?: unknown; bin?: Record<string, string> };
    const pointedAt = [...exportTargets(manifest.exports), ...Object.values(manifest.bin ?? {})].map((p) => p.replace(/^\.\//, ''));
    expect(pointedAt.length).toBeGreaterThan(0);
    // A subpath pattern (`./*`) must match at least one packed file.
    const packed = (target: string) => files.some((f) => new RegExp(`^${target.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.+')}$`).test(f));
    expect(pointedAt.filter((p) => !packed(p))).toEqual([]);
    if (pkg === 'cli') expect(files).toEqual(expect.arrayContaining(['oclif.manifest.json', 'bin/run.js', 'bin/package.json']));
  });
});

describe('the bin on a Node older than 22.22', () => {
  // Debian's nodejs (tools/setup.sh) is older than anwbis needs.
  const oldNode = ['/usr/bin/node', '/usr/local/bin/node'].find((node) => {
    const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout?.trim();
    return version !== undefined && /^v(\d+)\.(\d+)/.test(version) && (Number(/^v(\d+)/.exec(version)![1]) < 22);
  });

  it('names the Node it needs and the one it found, and says how to get it (issue 23 item 6: no next step)', async () => {
    if (!oldNode) throw new Error('no Node older than 22 found at /usr/bin/node: run tools/setup.sh (it installs Debian\'s nodejs)');
    const found = spawnSync(oldNode, ['--version'], { encoding: 'utf8' }).stdout.trim().slice(1);
    const engines = (JSON.parse(readFileSync(join(WORKSPACE, 'packages/cli/package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    const res = await run(oldNode, [ANWBIS_BIN, '-p', 'datalab', '-e', 'dev', '-r', 'admin'], { env: { PATH: '/usr/bin:/bin' } });
    expect(res.stdout).toBe('');
    const needed = engines.replace(/^>=|\.0$/g, '');
    expect(res.stderr).toBe(
      errorLines(
        `anwbis needs Node ${needed} or newer; this is Node ${found} (${oldNode})`,
        `install Node ${needed.split('.')[0]} (https://nodejs.org, or \`nvm install ${needed.split('.')[0]}\`), or use the single executable, which needs no Node`,
      ),
    );
    expect(res.code).toBe(3);
  });
});

// Issue 23 item 5: `npx anwbis --help` in a checkout before its build ended in a raw
// ERR_MODULE_NOT_FOUND stack (while --version, which loads nothing, worked).
describe('the bin of a checkout that is not built yet', () => {
  let checkout: string;
  beforeAll(() => {
    checkout = mkdtempSync(join(tmpdir(), 'anwbis-unbuilt-'));
    mkdirSync(join(checkout, 'bin'));
    for (const file of ['package.json', 'bin/run.js', 'bin/package.json']) copyFileSync(join(WORKSPACE, 'packages/cli', file), join(checkout, file));
  });
  afterAll(() => rmSync(checkout, { recursive: true, force: true }));

  // Each way the bin loads the built code: the full CLI, a command's own bundle, the fast path.
  it.each([[['--help']], [['roles']], [['credential-process', '--target', 'datalab-dev-admin']], [['-p', 'datalab', '-e', 'dev', '-r', 'admin']]])('%j says to build, without a stack', async (args) => {
    const res = await run(process.execPath, [join(checkout, 'bin', 'run.js'), ...args], { env: { PATH: '/usr/bin:/bin' } });
    const entry = join(checkout, 'dist', 'entry.js');
    expect(res).toMatchObject({ code: 3, stdout: '', stderr: errorLines(`anwbis is not built: ${entry} is missing`, 'run `npm run build` in the checkout (tools/setup.sh builds too)') });
  });
});

let moto: MotoServer;
let standIn: FederationStandIn;
/** Where this file's installs go: tarballs, prefixes, Node 22, the single executable. */
let work: string;
beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'anwbis-install-'));
  moto = await startMoto();
  standIn = await startFederationStandIn();
});
afterAll(async () => {
  await moto?.stop();
  await standIn?.close();
  rmSync(work, { recursive: true, force: true });
});

/** How a test reaches one installed anwbis: its path and the PATH it runs with. */
interface Installed {
  readonly bin: string;
  readonly path: string;
  /** The Node it runs on, as `anwbis --version` names it (`v24.21.0`). */
  readonly node: string;
  /** What `daemon install` must write: the command that runs the daemon, and its environment. */
  readonly daemon: { readonly execStart: readonly string[]; readonly environment: Readonly<Record<string, string>> };
}

/** The words of a systemd command line as anwbis writes them: each one double-quoted, \\ \" %% $$ escaped. */
function systemdWords(line: string): string[] {
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!.replace(/\\(.)/g, '$1').replace(/%%/g, '%').replace(/\$\$/g, '$'));
}

/** The ExecStart and Environment= of a service unit. */
function unitCommand(unit: string): { execStart: string[]; environment: Record<string, string> } {
  const execStart = systemdWords(/^ExecStart=(.*)$/m.exec(unit)?.[1] ?? '');
  const environment = Object.fromEntries([...unit.matchAll(/^Environment=(.*)$/gm)].map((m) => systemdWords(m[1]!)[0]!).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  return { execStart, environment };
}

/**
 * The seed's flow with an installed anwbis: assume with an MFA code, then every command that
 * needs no browser, each checked with the AWS CLI against the emulator.
 */
function seedFlow(name: string, install: () => Promise<Installed>) {
  describe(name, () => {
    const runtime = daemonRuntime();
    let installed: Installed;
    // After the servers are up, not beside them: on two cores both at once can starve moto.
    beforeAll(async () => {
      installed = await install();
    }, 600_000);

    it('runs every command through the seed flow; the AWS CLI accepts the profiles it writes', async () => {
      await moto.reset();
      const seeded = await seedScenario(moto.endpoint, conventionScenario({ users: [USER], projects: { datalab: { envs: { dev: DEV }, roles: ['admin', 'developer', 'devops'] } } }));
      const sandbox = createSandbox({ endpoint: moto.endpoint, profiles: { default: seeded.users[USER]! } });
      try {
        const env = { ...sandbox.env, PATH: installed.path, ANWBIS_FEDERATION_ENDPOINT: standIn.endpoint, XDG_RUNTIME_DIR: runtime.dir };
        const anwbis = (args: string[], extra: Record<string, string> = {}, input = ''): Promise<ProcessResult> => run(installed.bin, args, { env: { ...env, ...extra }, input, cwd: sandbox.dir });
        const aws = (args: string[]) => runAwsCli(args, { env: sandbox.env, endpoint: moto.endpoint });
        const account = async (profile: string) => (JSON.parse((await aws(['sts', 'get-caller-identity', '--profile', profile])).stdout) as { Account: string }).Account;

        expect((await anwbis(['--version'])).stdout).toMatch(new RegExp(`^anwbis/\\d+\\.\\d+\\.\\d+ ${process.platform}-${process.arch} node-${installed.node.replace(/\./g, '\\.')}\n$`));
        const help = await anwbis(['--help']);
        for (const command of ['assume', 'session', 'configure', 'credential-process', 'env', 'exec', 'console', 'logout', 'autocomplete', 'roles', 'tui', 'daemon', 'watch']) expect(help.stdout).toMatch(new RegExp(`^\\s+${command}\\s`, 'm'));

        const assumed = await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin'], {}, '123456\n');
        expect(assumed.stderr).toContain('[ OK ] Assumed the role successfully');
        expect(assumed.code).toBe(0);
        expect(await account('datalab-dev-admin')).toBe(DEV);

        expect((await anwbis(['session', '--mfa-code', '123456'])).code).toBe(0);
        expect((await anwbis(['--profile', 'corp-session-default', '-p', 'datalab', '-e', 'dev', '-r', 'developer', '--nomfa'])).code).toBe(0);
        expect(await account('datalab-dev-developer')).toBe(DEV);

        const roles = await anwbis(['roles', '--json']);
        expect(roles.code).toBe(0);
        expect(JSON.parse(roles.stdout)).toEqual(expect.arrayContaining([expect.objectContaining({ project: 'datalab', env: 'dev', role: 'admin', account: DEV })]));
        // The picker needs a person's terminal; without one it says what to use instead.
        const picker = await anwbis(['tui']);
        expect({ code: picker.code, stdout: picker.stdout }).toEqual({ code: 2, stdout: '' });
        expect(picker.stderr).toMatch(/anwbis tui needs a terminal/);

        expectOk(await anwbis(['daemon', 'start']));
        const watched = await anwbis(['watch', '-p', 'datalab', '-e', 'dev', '-r', 'devops']);
        expect(watched.stderr).toMatch(/The daemon keeps datalab-dev-devops fresh/);
        expect(await account('datalab-dev-devops')).toBe(DEV);
        const status = JSON.parse((await anwbis(['daemon', 'status', '--json'])).stdout) as { profiles: Array<{ profile: string }> };
        expect(status.profiles.map((p) => p.profile)).toEqual(['datalab-dev-devops']);
        expectOk(await anwbis(['daemon', 'stop']));

        // The service manager's way: the unit's own command and environment run the daemon.
        const configHome = join(sandbox.dir, 'xdg-config');
        const unitFile = join(configHome, 'systemd', 'user', 'anwbis-daemon.service');
        expectOk(await anwbis(['daemon', 'install', '--no-enable'], { XDG_CONFIG_HOME: configHome }));
        const unit = unitCommand(readFileSync(unitFile, 'utf8'));
        expect(unit.execStart).toEqual(installed.daemon.execStart);
        expect(unit.environment).toEqual({
          ANWBIS_HOME: sandbox.anwbisHome,
          AWS_SHARED_CREDENTIALS_FILE: sandbox.credentialsFile,
          AWS_CONFIG_FILE: sandbox.configFile,
          AWS_ENDPOINT_URL: moto.endpoint,
          ...installed.daemon.environment,
        });
        if (unit.environment.NODE_OPTIONS !== undefined) {
          // The settings would be lost on a program that ignored NODE_OPTIONS; this one reads it.
          const bogus = await anwbis(['--version'], { NODE_OPTIONS: `${unit.environment.NODE_OPTIONS} --no-such-node-option` });
          expect({ code: bogus.code, stderr: bogus.stderr }).toEqual({ code: 9, stderr: expect.stringContaining('--no-such-node-option is not allowed in NODE_OPTIONS') });
        }
        if (spawnSync('systemd-analyze', ['--version']).status === 0) {
          const verified = spawnSync('systemd-analyze', ['verify', '--user', unitFile, unitFile.replace(/\.service$/, '.socket')], { encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: configHome, XDG_RUNTIME_DIR: runtime.dir } });
          expect({ status: verified.status, complaints: verified.stderr.split('\n').filter((l) => /anwbis-daemon/.test(l)) }).toEqual({ status: 0, complaints: [] });
        }
        const [program, ...args] = unit.execStart;
        const daemon = spawn(program!, args, { env: { XDG_RUNTIME_DIR: runtime.dir, PATH: '/usr/bin:/bin', ...unit.environment }, stdio: 'ignore' });
        const served = await waitFor('the unit\'s daemon to answer', async () => {
          const res = await anwbis(['daemon', 'status', '--json']);
          return res.code === 0 && (JSON.parse(res.stdout) as { pid: number; profiles: Array<{ profile: string }> });
        });
        expect(served.pid).toBe(daemon.pid);
        // The watch list outlives the daemon that took it.
        expect(served.profiles.map((p) => p.profile)).toEqual(['datalab-dev-devops']);
        const exited = new Promise((resolve) => daemon.once('exit', resolve));
        expectOk(await anwbis(['daemon', 'stop']));
        await exited;
        expectOk(await anwbis(['daemon', 'uninstall'], { XDG_CONFIG_HOME: configHome }));
        expect(existsSync(unitFile)).toBe(false);

        const printed = await anwbis(['env', '--target', 'datalab-dev-admin']);
        expect(printed.stdout).toMatch(/^export AWS_ACCESS_KEY_ID=/m);
        const executed = await anwbis(['exec', '--target', 'datalab-dev-admin', '--', '/usr/bin/printenv', 'AWS_ACCESS_KEY_ID']);
        expect(executed.code).toBe(0);
        expect(executed.stdout).toMatch(/^\S+\n$/);

        expect((await anwbis(['configure', '-p', 'datalab', '-e', 'dev', '-r', 'admin', '--credential-process'])).code).toBe(0);
        expect(await account('datalab-dev-admin')).toBe(DEV);

        const link = await anwbis(['console', '--target', 'datalab-dev-developer', '-b', 'link']);
        expect(link.code).toBe(0);
        expect(link.stdout.startsWith(`${standIn.endpoint}?Action=login`)).toBe(true);

        const completion = await anwbis(['autocomplete', 'bash']);
        expect(completion.code).toBe(0);
        expect(completion.stdout).toContain('complete ');

        const loggedOut = await anwbis(['logout', '--all']);
        expect(loggedOut.code).toBe(0);
        expect(sandbox.read('credentials')).not.toContain('[datalab-dev-developer]');
        expect(sandbox.read('credentials')).toContain('[default]');
      } finally {
        sandbox.remove();
      }
    }, 600_000);
  });
}

/** Runs npm with `nodeDir` first on the PATH, so npm, and the scripts it runs, run on that Node. */
function npm(args: string[], cwd: string, nodeDir: string): void {
  const res = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, PATH: `${nodeDir}:${process.env.PATH}` } });
  if (res.status !== 0) throw new Error(`npm ${args.join(' ')} failed: ${res.stderr}`);
}

/** A directory holding only `node`, a link to this Node. */
function nodeOnly(dir: string, node: string): string {
  mkdirSync(dir, { recursive: true });
  symlinkSync(node, join(dir, 'node'));
  return dir;
}

/** The README's install lines: its sh block that packs the tarballs, as written there. */
function readmeInstallLines(): string {
  const readme = readFileSync(join(WORKSPACE, 'README.md'), 'utf8');
  const block = [...readme.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!).find((b) => b.includes('npm pack --pack-destination'));
  if (!block) throw new Error('README.md has no sh block with the npm pack lines');
  return block;
}

/** Every copy of a package in an install's node_modules tree. */
function copiesOf(tree: string, name: string): string[] {
  return readdirSync(tree, { recursive: true, encoding: 'utf8' }).filter((f) => f === `${name}/package.json` || f.endsWith(`/node_modules/${name}/package.json`));
}

/**
 * The README's install lines run as written, in a fresh HOME, with this Node first on the PATH
 * (so npm, and the scripts it runs, run on it). Issue 23 item 1: the pack loop needed a folder
 * that no line made, and four global installs held two copies of zod.
 */
function readmeInstall(name: string, node: string): Installed {
  const root = join(work, name);
  const home = join(root, 'home');
  mkdirSync(home, { recursive: true });
  const nodeDir = nodeOnly(join(root, 'node-bin'), node);
  // The one change: the tarballs go to this run's own folder, as another run may be packing into /tmp/anwbis-packs.
  const lines = readmeInstallLines().replaceAll('/tmp/anwbis-packs', join(root, 'packs'));
  const bin = join(home, '.local', 'bin');
  const res = spawnSync('bash', ['-euo', 'pipefail', '-c', lines], {
    cwd: WORKSPACE,
    encoding: 'utf8',
    env: {
      ...process.env,
      HOME: home,
      PATH: `${bin}:${nodeDir}:${process.env.PATH}`,
      // npm's settings, not the lines: the cache of this machine, and no network where it has the packages.
      npm_config_cache: process.env.npm_config_cache ?? join(homedir(), '.npm'),
      npm_config_prefer_offline: 'true',
      npm_config_loglevel: 'error',
    },
  });
  if (res.status !== 0) throw new Error(`the README's install lines failed (${res.status}): ${res.stderr}`);
  expect(res.stdout).toMatch(/^anwbis\/\d+\.\d+\.\d+ /m);
  const tree = join(home, '.local', 'lib', 'anwbis', 'node_modules');
  expect({ zod: copiesOf(tree, 'zod').length, esToolkit: copiesOf(tree, 'es-toolkit').length, ini: copiesOf(tree, 'ini').length }).toEqual({ zod: 1, esToolkit: 1, ini: 1 });
  const script = realpathSync(join(tree, 'anwbis', 'bin', 'run.js'));
  return {
    bin: join(bin, 'anwbis'),
    path: `${bin}:${nodeDir}:/usr/bin:/bin`,
    node: spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim(),
    daemon: { execStart: [realpathSync(node), '--max-semi-space-size=1', '--max-old-space-size=96', script, 'daemon', 'run'], environment: {} },
  };
}

seedFlow("anwbis installed with the README's install lines", async () => readmeInstall('node-24', process.execPath));

/** The oldest Node anwbis supports (its engines), from the npm package `node`, which carries the binary. */
const OLDEST_NODE = '~22.22.0';
seedFlow(`the same install on Node ${OLDEST_NODE}`, async () => {
  const dir = join(work, 'node-22');
  mkdirSync(dir);
  // The package's install script fetches the binary for this platform (npm's cache keeps it for the next run).
  try {
    npm(['install', '--prefix', dir, '--no-save', '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', `node@${OLDEST_NODE}`], dir, nodeOnly(join(dir, 'installer-node'), process.execPath));
  } catch (error) {
    throw new Error(`could not install Node ${OLDEST_NODE} (the npm package node@${OLDEST_NODE}) to test anwbis on it: ${(error as Error).message}`);
  }
  const node = join(dir, 'node_modules', 'node', 'bin', 'node');
  const installed = readmeInstall('node-22', node);
  expect(installed.node).toMatch(/^v22\.22\.\d+$/);
  return installed;
});

seedFlow('the single executable, with no node and no node_modules', async () => {
  const dir = join(work, 'sea');
  const built = join(dir, 'build', `anwbis-${process.platform}-${process.arch}`);
  // Built once for this run (the build copies Node and injects the bundle: about a minute).
  const res = await run(process.execPath, [join(WORKSPACE, 'tools/dist/sea/build.js'), built], { env: { ...process.env } as Record<string, string>, timeoutMs: 600_000 });
  if (res.code !== 0) throw new Error(`build:sea failed: ${res.stderr}`);
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  copyFileSync(built, join(bin, 'anwbis'));
  chmodSync(join(bin, 'anwbis'), 0o755);
  rmSync(join(dir, 'build'), { recursive: true });
  // Only the executable on the PATH: no node to fall back on.
  expect(readdirSync(bin)).toEqual(['anwbis']);
  return {
    bin: join(bin, 'anwbis'),
    path: bin,
    // Node's binary from the npm package `node`, the one these tests run on.
    node: process.version,
    daemon: { execStart: [realpathSync(join(bin, 'anwbis')), 'daemon', 'run'], environment: { NODE_OPTIONS: '--max-semi-space-size=1 --max-old-space-size=96' } },
  };
});
