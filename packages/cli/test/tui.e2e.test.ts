import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ANWBIS_BIN, bulkAccount, manyGroupsScenario, run, runAnwbis, runAwsCli, seedHostileRoles } from '@anwbis/tools/emulator';
import { emulatorWorld, writeLoadTrace } from './helpers.js';

// A real terminal (tmux) and a real process: slower than the default allows on a busy machine.
jest.setTimeout(120_000);

const USER = 'ana.ruiz';
const world = emulatorWorld(() => manyGroupsScenario({ user: USER, groups: 12 }));
const exec = promisify(execFile);

/** A tmux server of this test's own (its own socket), running `anwbis tui` (or another command) in a 100×30 pane. */
interface Terminal {
  keys(...keys: string[]): Promise<void>;
  type(text: string): Promise<void>;
  screen(): Promise<string>;
  waitFor(text: string | RegExp): Promise<string>;
  alternateScreen(): Promise<boolean>;
  /** What programs in the pane wrote to the clipboard (OSC 52), one tmux buffer each. */
  buffers(): Promise<string>;
  /** The pane's title (OSC 0 and 2 set it). */
  title(): Promise<string>;
  /** Resizes the terminal as a person dragging its window would (tmux sends SIGWINCH). */
  resize(columns: number, rows: number): Promise<void>;
  readonly dir: string;
}

let servers: string[] = [];
let count = 0;

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

async function openTerminal(args: string[], env: Record<string, string>, command: 'tui' | 'roles' = 'tui'): Promise<Terminal> {
  const socket = `anwbis-tui-test-${process.pid}-${++count}`;
  const dir = world.sandbox.dir;
  const tmux = (...a: string[]) => exec('tmux', ['-L', socket, ...a], { env });
  const script = [
    "printf 'BEFORE-TUI\\n'",
    // The picker draws on the terminal itself; `roles` prints its table on stdout, left on the pane.
    `${shellQuote(process.execPath)} ${shellQuote(ANWBIS_BIN)} ${command} ${args.map(shellQuote).join(' ')} ${command === 'tui' ? `>${shellQuote(join(dir, 'tui.out'))}` : ''} 2>${shellQuote(join(dir, 'tui.err'))}`,
    `echo $? >${shellQuote(join(dir, 'tui.rc'))}`,
    "printf 'AFTER-TUI\\n'",
    'exec sleep 3600',
  ].join('; ');
  // set-clipboard on: tmux takes a program's clipboard writes (OSC 52) into buffers, as a
  // terminal that honours them would, so a test sees them.
  await tmux('-f', '/dev/null', 'set-option', '-g', 'set-clipboard', 'on', ';', 'new-session', '-d', '-x', '100', '-y', '30', 'sh', '-c', script);
  servers.push(socket);
  const screen = async () => (await tmux('capture-pane', '-p')).stdout;
  return {
    dir,
    keys: async (...keys) => void (await tmux('send-keys', ...keys)),
    async type(text) {
      for (const ch of text) await tmux('send-keys', '-l', ch);
    },
    screen,
    async waitFor(text) {
      let last = '';
      for (let i = 0; i < 600; i++) {
        last = await screen();
        if (typeof text === 'string' ? last.includes(text) : text.test(last)) return last;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`the terminal never showed ${String(text)}; it shows:\n${last}\nstderr: ${existsSync(join(dir, 'tui.err')) ? readFileSync(join(dir, 'tui.err'), 'utf8') : ''}`);
    },
    alternateScreen: async () => (await tmux('display-message', '-p', '#{alternate_on}')).stdout.trim() === '1',
    buffers: async () => (await tmux('list-buffers', '-F', '#{buffer_sample}')).stdout,
    title: async () => (await tmux('display-message', '-p', '#{pane_title}')).stdout.trim(),
    resize: async (columns, rows) => void (await tmux('resize-window', '-x', String(columns), '-y', String(rows))),
  };
}

/** A daemon's runtime directory (short: a socket path is limited to about 107 bytes), and the daemon started there. */
let daemon: { runtime: string; pid?: number } | undefined;

afterEach(async () => {
  for (const socket of servers) await exec('tmux', ['-L', socket, 'kill-server']).catch(() => undefined);
  servers = [];
  if (daemon) {
    await runAnwbis(['daemon', 'stop'], { env: { ...world.sandbox.env, XDG_RUNTIME_DIR: daemon.runtime } });
    try {
      if (daemon.pid) process.kill(daemon.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    rmSync(daemon.runtime, { recursive: true, force: true });
    daemon = undefined;
  }
});

/** The sandbox's environment without CI, as a person's shell has it (Ink draws nothing live under CI). */
const personEnv = () => {
  const env: Record<string, string> = { ...world.sandbox.env, TERM: 'xterm-256color' };
  delete env.CI;
  return env;
};

/** Starts a daemon for the test (stopped after it); the environment of its clients. */
async function startDaemon(): Promise<Record<string, string>> {
  daemon = { runtime: mkdtempSync('/tmp/anwt-') };
  chmodSync(daemon.runtime, 0o700);
  const env = { ...personEnv(), XDG_RUNTIME_DIR: daemon.runtime };
  mkdirSync(world.sandbox.anwbisHome, { recursive: true, mode: 0o700 });
  writeFileSync(join(world.sandbox.anwbisHome, 'config'), '[daemon]\nnotifications = false\n');
  const started = await runAnwbis(['daemon', 'start'], { env });
  expect(started.stderr).toMatch(/The anwbis daemon is running \(pid (\d+)/);
  daemon.pid = Number(/pid (\d+)/.exec(started.stderr)![1]);
  return env;
}

describe('anwbis tui in a real terminal', () => {
  it('lists the roles, narrows as "bulk e07" is typed, Enter asks the MFA code once and writes bulk-e07-admin, Esc restores the terminal', async () => {
    const term = await openTerminal([], personEnv());
    const first = await term.waitFor(`roles of ${USER}`);
    expect(first).toMatch(/▸ bulk\s+e00\s+admin\s+300000000000\s+bulk-e00-admin\s+not assumed/);
    expect(first).toContain('Enter assume');
    expect(await term.alternateScreen()).toBe(true);

    const total = Number(/\/(\d+) roles/.exec(first)![1]);
    let shown = total;
    const query = 'bulk e07';
    for (let i = 1; i <= query.length; i++) {
      await term.type(query[i - 1]!);
      // tmux trims the space at the end of a line, so "bulk " reads as "bulk".
      const screen = await term.waitFor(`› ${query.slice(0, i).trimEnd()}`);
      const now = Number(/ (\d+)\/\d+ roles/.exec(screen)![1]);
      expect(now).toBeLessThanOrEqual(shown);
      shown = now;
    }
    const narrowed = await term.waitFor(`1/${total} roles`);
    expect(narrowed).toMatch(/▸ bulk\s+e07\s+admin\s+300000000007\s+bulk-e07-admin/);

    await term.keys('Enter');
    await term.waitFor('MFA code for the corp session');
    await term.type('123456');
    await term.keys('Enter');
    const written = await term.waitFor('Written: profile bulk-e07-admin');
    expect(written).toMatch(/bulk-e07-admin\s+valid for (59m|1h 00m)/);

    await term.keys('Escape');
    const after = await term.waitFor('AFTER-TUI');
    expect(after).toContain('BEFORE-TUI');
    expect(after).not.toContain('roles of');
    expect(await term.alternateScreen()).toBe(false);
    expect(readFileSync(join(term.dir, 'tui.rc'), 'utf8').trim()).toBe('0');
    expect(readFileSync(join(term.dir, 'tui.out'), 'utf8')).toBe('');

    const id = await runAwsCli(['sts', 'get-caller-identity', '--profile', 'bulk-e07-admin'], { env: world.sandbox.env, endpoint: world.moto.endpoint });
    expect(JSON.parse(id.stdout)).toMatchObject({ Account: bulkAccount(7), Arn: `arn:aws:sts::${bulkAccount(7)}:assumed-role/e07-bulk-delegated-admin/${USER}` });
    expect(world.sandbox.read('credentials')).toContain('[corp-session-default]');
  });

  it('--stdout leaves after Enter with export lines for eval, drawing on the terminal even with CI set', async () => {
    const term = await openTerminal(['--stdout', '--mfa-code', '123456'], { ...personEnv(), CI: 'true' });
    await term.waitFor(`roles of ${USER}`);
    await term.type('e03');
    await term.waitFor(/▸ bulk\s+e03/);
    await term.keys('Enter');
    await term.waitFor('AFTER-TUI');
    expect(readFileSync(join(term.dir, 'tui.rc'), 'utf8').trim()).toBe('0');
    const exports = readFileSync(join(term.dir, 'tui.out'), 'utf8');
    expect(exports).toMatch(/^export AWS_ACCESS_KEY_ID='ASIA/m);
    const shell = await run('bash', ['-c', `eval "$(cat ${shellQuote(join(term.dir, 'tui.out'))})"; aws sts get-caller-identity`], { env: world.sandbox.env });
    expect(shell.code).toBe(0);
    expect(JSON.parse(shell.stdout).Account).toBe(bulkAccount(3));
  });

  it('sends --source-identity and --tag with the AssumeRole of the role picked', async () => {
    const term = await openTerminal(['--stdout', '--mfa-code', '123456', '--source-identity', 'auto', '--tag', 'team=data', '--transitive-tag', 'team'], personEnv());
    await term.waitFor(`roles of ${USER}`);
    await term.type('e03');
    await term.waitFor(/▸ bulk\s+e03/);
    await world.moto.startRecording();
    await term.keys('Enter');
    await term.waitFor('AFTER-TUI');
    expect(readFileSync(join(term.dir, 'tui.rc'), 'utf8').trim()).toBe('0');
    const call = (await world.moto.recording()).find((c) => c.action === 'AssumeRole')!;
    expect(call.params).toMatchObject({ SourceIdentity: USER, 'Tags.member.1.Key': 'team', 'Tags.member.1.Value': 'data', 'TransitiveTagKeys.member.1': 'team' });
  });

  it('refuses a bad --tag before the picker opens or AWS is called', async () => {
    await world.moto.startRecording();
    const res = await runAnwbis(['tui', '--tag', 'team'], { env: world.sandbox.env });
    expect(res.code).toBe(2);
    expect(res.stderr).toContain('[ ERROR ] invalid --tag "team": a tag is KEY=VALUE');
    expect(await world.moto.recording()).toEqual([]);
  });

  // Issue 23 item 2: the picker draws on its own /dev/tty stream, which Node never told of a
  // resize: after 100 → 70 columns the table wrapped, and the 60-column message never came.
  it('draws again for the new size when the terminal is resized, below 60 columns says so, and comes back', async () => {
    const term = await openTerminal([], personEnv());
    await term.waitFor(`roles of ${USER}`);
    await term.resize(70, 20);
    // One row a line, its cells cut to the width (drawn 100 wide, it wrapped), and the footer
    // still ends with the quit key.
    const narrow = await term.waitFor(/▸ bulk\s+e00\s+admin\s+300000000000\s+bulk-e00-ad…\s+not assumed *\n/);
    expect(narrow).toMatch(/\nEnter assume · .* · Esc quit *\n*$/);
    await term.resize(55, 20);
    await term.waitFor('anwbis tui: needs 60 columns, has 55; widen it or Esc');
    await term.resize(100, 30);
    await term.waitFor(/▸ bulk\s+e00\s+admin\s+300000000000\s+bulk-e00-admin\s+not assumed/);
    await term.keys('Escape');
    await term.waitFor('AFTER-TUI');
  });

  // Issue 23 item 7: ctrl-y assumed again from a corp session (asking a code) and replaced the
  // profile `anwbis -p … --mfa-code` had written a minute before.
  it('ctrl-y exports a still-valid profile the CLI wrote, without a code and without replacing it', async () => {
    expect((await runAnwbis(['-p', 'bulk', '-e', 'e02', '-r', 'admin', '--mfa-code', '123456'], { env: world.sandbox.env })).code).toBe(0);
    const before = world.sandbox.read('credentials');
    const term = await openTerminal([], personEnv());
    await term.waitFor(`roles of ${USER}`);
    await term.type('e02');
    await term.waitFor(/▸ bulk\s+e02/);
    await term.keys('C-y');
    await term.waitFor('export lines sent to the clipboard');
    expect(await term.screen()).not.toContain('MFA code');
    expect(world.sandbox.read('credentials')).toBe(before);
    await term.keys('Escape');
    await term.waitFor('AFTER-TUI');
  });

  it('the second visit reads the list from the cache and puts the role used last first', async () => {
    const first = await openTerminal(['--mfa-code', '123456'], personEnv());
    await first.waitFor(`roles of ${USER}`);
    await first.type('e05');
    await first.waitFor(/▸ bulk\s+e05/);
    await first.keys('Enter');
    await first.waitFor('Written: profile bulk-e05-admin');
    await first.keys('Escape');
    await first.waitFor('AFTER-TUI');

    await world.moto.startRecording();
    const second = await openTerminal([], personEnv());
    const screen = await second.waitFor(`roles of ${USER}`);
    expect(screen).toMatch(/▸ bulk\s+e05\s+admin\s+\d+\s+bulk-e05-admin\s+valid for/);
    expect(await world.moto.recording()).toEqual([]);
    await second.keys('C-c');
    await second.waitFor('AFTER-TUI');
  });

  it('ctrl-t hands the highlighted role to a running daemon after one MFA code, the row and anwbis roles show it watched, ctrl-t again stops it', async () => {
    const env = await startDaemon();
    const daemonStatus = async () => JSON.parse((await runAnwbis(['daemon', 'status', '--json'], { env })).stdout) as { profiles: Array<{ profile: string }> };

    const term = await openTerminal([], env);
    await term.waitFor(`roles of ${USER}`);
    await term.type('e04');
    await term.waitFor(/▸ bulk\s+e04/);
    await term.keys('C-t');
    await term.waitFor('MFA code for the corp session');
    await term.type('123456');
    await term.keys('Enter');
    const watched = await term.waitFor('The daemon keeps bulk-e04-admin fresh from corp-session-default');
    expect(watched).toMatch(/▸ bulk\s+e04\s+admin\s+300000000004\s+bulk-e04-admin\s+valid for (59m|1h 00m), watched/);
    expect((await daemonStatus()).profiles.map((p) => p.profile)).toEqual(['bulk-e04-admin']);

    const listed = await runAnwbis(['roles'], { env });
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/bulk-e04-admin\s+valid for (59m|1h 00m), watched\n/);
    expect(listed.stdout).toMatch(/bulk-e05-admin\s+not assumed\n/);

    await term.keys('C-t');
    await term.waitFor('The daemon no longer refreshes bulk-e04-admin');
    expect(await term.waitFor(/bulk-e04-admin\s+valid for (59m|1h 00m)\s*\n/)).not.toMatch(/bulk-e04-admin\s+valid for \S+ \S+, watched/);
    expect((await daemonStatus()).profiles).toEqual([]);
    await term.keys('Escape');
    await term.waitFor('AFTER-TUI');
    expect(readFileSync(join(term.dir, 'tui.rc'), 'utf8').trim()).toBe('0');
  });

  it('role names with escape sequences in a Delegated_Roles policy are shown escaped: the clipboard and the title stay untouched, no forged row', async () => {
    await seedHostileRoles(world.moto.endpoint, USER);
    const term = await openTerminal([], personEnv());
    const titleBefore = await term.title();
    await term.waitFor(`roles of ${USER}`);
    await term.type('evil');
    await term.waitFor('› evil');
    const screen = await term.waitFor(/^\s+evil\s+-\s+title/m);
    for (const escaped of ['clip\\x1b]52;c;cHduZWQ', 'title\\x1b]2;pwned-title', 'clear\\x1b[2J\\x1b[H', 'csi\\x9b2J', 'bell\\x07', 'bidi\\u202enimda-live', 'cr\\rteam999', 'nl\\nteam999']) {
      expect(screen).toContain(escaped);
    }
    expect(screen).not.toMatch(/^\s*team999/m);
    expect(screen).toContain(`roles of ${USER}`);
    expect(await term.buffers()).toBe('');
    expect(await term.title()).toBe(titleBefore);
    expect(await term.title()).not.toContain('pwned');
    await term.keys('Escape');
    await term.waitFor('AFTER-TUI');
    expect(readFileSync(join(term.dir, 'tui.rc'), 'utf8').trim()).toBe('0');
  });

  it('anwbis roles printed on a terminal: role names with escape sequences leave the clipboard and the title untouched', async () => {
    await seedHostileRoles(world.moto.endpoint, USER);
    const term = await openTerminal([], personEnv(), 'roles');
    const screen = await term.waitFor('AFTER-TUI');
    expect(await term.buffers()).toBe('');
    expect(await term.title()).not.toContain('pwned');
    // The pane keeps the end of the table (roles.e2e.test.ts reads all of it).
    expect(screen).toMatch(/^- +- +LegacyAdmin +500000000001/m);
    expect(readFileSync(join(term.dir, 'tui.rc'), 'utf8').trim()).toBe('0');
  });
});

describe('anwbis tui with a daemon running', () => {
  it("the picker's corp session (its code typed in the picker) and assume are the daemon's work: the picker loads no AWS SDK", async () => {
    const env = await startDaemon();
    // A first visit lists the roles (with the corp keys, no code) and caches the list.
    const first = await openTerminal([], env);
    await first.waitFor(`roles of ${USER}`);
    await first.keys('Escape');
    await first.waitFor('AFTER-TUI');

    const dir = mkdtempSync(join(world.sandbox.dir, 'trace-'));
    const { hook, loaded } = writeLoadTrace(dir);
    const term = await openTerminal([], { ...env, NODE_OPTIONS: `--import=${hook}` });
    await term.waitFor(`roles of ${USER}`);
    await term.type('e07');
    await term.waitFor(/▸ bulk\s+e07/);
    await term.keys('Enter');
    await term.waitFor('MFA code for the corp session');
    await term.type('123456');
    await term.keys('Enter');
    await term.waitFor('Written: profile bulk-e07-admin');
    await term.keys('Escape');
    await term.waitFor('AFTER-TUI');
    expect(readFileSync(join(term.dir, 'tui.rc'), 'utf8').trim()).toBe('0');

    const log = readFileSync(join(world.sandbox.anwbisHome, 'logs', 'daemon.log'), 'utf8');
    expect(log).toContain('corp session corp-session-default for a client: written');
    expect(log).toContain('assume of bulk-e07-admin for a client: written');
    const modules = loaded().join('');
    expect(modules).toContain('dist/fast/bundle/tui.js');
    expect(modules).not.toMatch(/sdk-(sts|iam|http|shared-files)|@aws-sdk|@smithy|@oclif|entry\.js/);
    const id = await runAwsCli(['sts', 'get-caller-identity', '--profile', 'bulk-e07-admin'], { env: world.sandbox.env, endpoint: world.moto.endpoint });
    expect(JSON.parse(id.stdout)).toMatchObject({ Account: bulkAccount(7) });
  });
});
