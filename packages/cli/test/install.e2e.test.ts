import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ANWBIS_BIN, conventionScenario, createSandbox, run, runAwsCli, seedScenario, startMoto, type MotoServer, type ProcessResult } from '@anwbis/tools/emulator';
import { startFederationStandIn, type FederationStandIn } from '@anwbis/tools/federation';

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

  it('prints one line naming the Node it needs and the one it found, and exits non-zero', async () => {
    if (!oldNode) throw new Error('no Node older than 22 found at /usr/bin/node: run tools/setup.sh (it installs Debian\'s nodejs)');
    const found = spawnSync(oldNode, ['--version'], { encoding: 'utf8' }).stdout.trim().slice(1);
    const engines = (JSON.parse(readFileSync(join(WORKSPACE, 'packages/cli/package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    const res = await run(oldNode, [ANWBIS_BIN, '-p', 'datalab', '-e', 'dev', '-r', 'admin'], { env: { PATH: '/usr/bin:/bin' } });
    expect(res.stdout).toBe('');
    expect(res.stderr).toBe(`anwbis needs Node ${engines.replace(/^>=|\.0$/g, '')} or newer; this is Node ${found} (${oldNode})\n`);
    expect(res.code).toBe(3);
  });
});

let moto: MotoServer;
let standIn: FederationStandIn;
beforeAll(async () => {
  moto = await startMoto();
  standIn = await startFederationStandIn();
});
afterAll(async () => {
  await moto?.stop();
  await standIn?.close();
});

/** How a test reaches one installed anwbis: its path and the PATH it runs with. */
interface Installed {
  readonly bin: string;
  readonly path: string;
}

/**
 * The seed's flow with an installed anwbis: assume with an MFA code, then every command that
 * needs no browser, each checked with the AWS CLI against the emulator.
 */
function seedFlow(name: string, install: () => Promise<Installed>, cleanup: () => void) {
  describe(name, () => {
    let installed: Installed;
    // After the servers are up, not beside them: on two cores both at once can starve moto.
    beforeAll(async () => {
      installed = await install();
    }, 600_000);
    afterAll(cleanup);

    it('runs every command through the seed flow; the AWS CLI accepts the profiles it writes', async () => {
      await moto.reset();
      const seeded = await seedScenario(moto.endpoint, conventionScenario({ users: [USER], projects: { datalab: { envs: { dev: DEV }, roles: ['admin', 'developer', 'devops'] } } }));
      const sandbox = createSandbox({ endpoint: moto.endpoint, profiles: { default: seeded.users[USER]! } });
      try {
        const env = { ...sandbox.env, PATH: installed.path, ANWBIS_FEDERATION_ENDPOINT: standIn.endpoint };
        const anwbis = (args: string[], input = ''): Promise<ProcessResult> => run(installed.bin, args, { env, input, cwd: sandbox.dir });
        const aws = (args: string[]) => runAwsCli(args, { env: sandbox.env, endpoint: moto.endpoint });
        const account = async (profile: string) => (JSON.parse((await aws(['sts', 'get-caller-identity', '--profile', profile])).stdout) as { Account: string }).Account;

        expect((await anwbis(['--version'])).stdout).toMatch(/^anwbis\/\d+\.\d+\.\d+ /);
        const help = await anwbis(['--help']);
        for (const command of ['assume', 'session', 'configure', 'credential-process', 'env', 'exec', 'console', 'logout', 'autocomplete', 'roles', 'tui', 'daemon', 'watch']) expect(help.stdout).toMatch(new RegExp(`^\\s+${command}\\s`, 'm'));

        const assumed = await anwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin'], '123456\n');
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

let prefixRoot: string | undefined;
seedFlow(
  'anwbis installed with npm install -g from the packed tarballs',
  async () => {
    prefixRoot = mkdtempSync(join(tmpdir(), 'anwbis-install-'));
    const packs = join(prefixRoot, 'packs');
    const nodeDir = join(prefixRoot, 'node-bin');
    mkdirSync(packs);
    mkdirSync(nodeDir);
    // Node 24 and nothing else of the workspace on the PATH.
    symlinkSync(process.execPath, join(nodeDir, 'node'));
    const path = `${join(prefixRoot, 'prefix', 'bin')}:${nodeDir}:/usr/bin:/bin`;
    const npm = (args: string[], cwd: string) => {
      const res = spawnSync('npm', args, { cwd, encoding: 'utf8', env: { ...process.env, PATH: `${nodeDir}:${process.env.PATH}` } });
      if (res.status !== 0) throw new Error(`npm ${args.join(' ')} failed: ${res.stderr}`);
    };
    for (const pkg of PACKAGES) npm(['pack', '--pack-destination', packs, '--loglevel=error'], join(WORKSPACE, 'packages', pkg));
    const tarballs = readdirSync(packs).map((f) => `./${f}`);
    npm(['install', '-g', '--prefix', join(prefixRoot, 'prefix'), '--prefer-offline', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], packs);
    return { bin: join(prefixRoot, 'prefix', 'bin', 'anwbis'), path };
  },
  () => {
    if (prefixRoot) rmSync(prefixRoot, { recursive: true, force: true });
  },
);

let seaDir: string | undefined;
seedFlow(
  'the single executable, with no node and no node_modules',
  async () => {
    seaDir = mkdtempSync(join(tmpdir(), 'anwbis-sea-'));
    const built = join(seaDir, 'build', `anwbis-${process.platform}-${process.arch}`);
    // Built once for this run (the build copies Node and injects the bundle: about a minute).
    const res = await run(process.execPath, [join(WORKSPACE, 'tools/dist/sea/build.js'), built], { env: { ...process.env } as Record<string, string>, timeoutMs: 600_000 });
    if (res.code !== 0) throw new Error(`build:sea failed: ${res.stderr}`);
    const bin = join(seaDir, 'bin');
    mkdirSync(bin);
    copyFileSync(built, join(bin, 'anwbis'));
    chmodSync(join(bin, 'anwbis'), 0o755);
    rmSync(join(seaDir, 'build'), { recursive: true });
    // Only the executable on the PATH: no node to fall back on.
    expect(readdirSync(bin)).toEqual(['anwbis']);
    return { bin: join(bin, 'anwbis'), path: bin };
  },
  () => {
    if (seaDir) rmSync(seaDir, { recursive: true, force: true });
  },
);
