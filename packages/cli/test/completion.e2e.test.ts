import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ANWBIS_BIN, run } from '@anwbis/tools/emulator';

// Types `anwbis -p da<TAB>` into a real interactive shell; see the script.
const DRIVER = fileURLToPath(new URL('./complete-in-shell.zsh', import.meta.url));

const SHELLS = [
  { shell: 'bash', command: 'bash --norc --noprofile -i', load: 'eval "$(anwbis autocomplete bash)"', marker: 'X:$((1+1))' },
  { shell: 'zsh', command: 'zsh -f -i', load: 'autoload -Uz compinit && compinit -u -D && eval "$(anwbis autocomplete zsh)"', marker: 'X:$((1+1))' },
  { shell: 'fish', command: 'fish --no-config --private -i', load: 'anwbis autocomplete fish | source', marker: 'X:(math 1+1)' },
];

describe('shell completion in real shells', () => {
  let dir: string;
  let path: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'anwbis-completion-'));
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    // `anwbis` on the PATH, as an installed one would be.
    symlinkSync(ANWBIS_BIN, join(bin, 'anwbis'));
    symlinkSync(process.execPath, join(bin, 'node'));
    path = `${bin}:/usr/bin:/bin`;
  });
  // A shell hung up on may still be exiting when the last test ends.
  afterAll(() => rmSync(dir, { recursive: true, force: true, maxRetries: 20 }));

  /** A fresh ANWBIS_HOME holding `files` (path → JSON). */
  function home(name: string, files: Record<string, unknown>): string {
    const root = join(dir, name);
    for (const [file, value] of Object.entries(files)) {
      mkdirSync(join(root, file, '..'), { recursive: true });
      writeFileSync(join(root, file), JSON.stringify(value));
    }
    return root;
  }

  const tab = (shell: (typeof SHELLS)[number], anwbisHome: string, line = 'anwbis -p da') =>
    run('zsh', ['-f', DRIVER, shell.command, shell.load, shell.marker, line], {
      env: { PATH: path, HOME: dir, HISTFILE: '', ANWBIS_HOME: anwbisHome, TERM: 'dumb', NO_COLOR: '1' },
      cwd: dir,
      timeoutMs: 45_000,
    });

  it.each(SHELLS)('$shell offers datalab for -p da<TAB> from the profiles anwbis wrote', async (shell) => {
    const anwbisHome = home(`profiles-${shell.shell}`, { 'profiles/datalab-dev-admin.json': { version: 1, kind: 'assume', profile: 'datalab-dev-admin' } });
    const res = await tab(shell, anwbisHome);
    expect(res.stdout).toBe('X:2 anwbis -p datalab\n');
  });

  // Issue 23 item 3: bash offered file names after `daemon` (its commands were known only as daemon:start, …).
  it.each(SHELLS)('$shell completes daemon u<TAB> to the subcommand, not a file name', async (shell) => {
    writeFileSync(join(dir, 'unrelated-file'), '');
    const res = await tab(shell, home(`topic-${shell.shell}`, {}), 'anwbis daemon u');
    expect(res.stdout).toBe('X:2 anwbis daemon uninstall\n');
  });

  it('bash offers datalab from the cached role list alone', async () => {
    const anwbisHome = home('roles', {
      'roles/0123.json': { version: 1, sourceProfile: 'default', roles: [{ project: 'datalab', env: 'dev', role: 'admin', account: '222222222222', roleArn: 'arn:aws:iam::222222222222:role/dev-datalab-delegated-admin' }] },
    });
    expect((await tab(SHELLS[0]!, anwbisHome)).stdout).toBe('X:2 anwbis -p datalab\n');
  });

  it('with nothing cached, TAB leaves -p da as typed', async () => {
    const anwbisHome = home('empty', {});
    expect((await tab(SHELLS[0]!, anwbisHome)).stdout).toBe('X:2 anwbis -p da\n');
  });
});
