/* eslint-disable no-control-regex -- these tests read the terminal escape codes the picker draws */
import { afterEach, describe, expect, it } from '@jest/globals';
import { AnwbisError, NoDelegatedRolesError, type AssumeResult, type DelegatedRole, type RoleList, type RoleStatus } from '@anwbis/core';
import type { PickerOutcome } from './app.js';
import type { ListRead, PickerServices } from './services.js';

// Styles on, before Ink's colour support is decided at its first import (below, dynamically).
process.env.FORCE_COLOR = '1';
const { render, cleanup } = await import('ink-testing-library');
const { PickerApp } = await import('./app.js');

const ESC = '\u001b';
const DOWN = '\u001b[B';
const ENTER = '\r';
const TAB = '\t';
const CTRL_T = '\u0014';
const plain = (frame: string | undefined) => (frame ?? '').replace(/\u001b\[[0-9;]*m/g, '');

const role = (project: string, env: string, name: string, account: string): DelegatedRole => ({
  project,
  env,
  role: name,
  account,
  roleArn: `arn:aws:iam::${account}:role/${env}-${project}-delegated-${name}`,
  profile: `${project}-${env}-${name}`,
  group: `corp-${project}-master-${name}`,
  policy: 'Delegated_Roles',
});
const ROLES = [
  role('bulk', 'e06', 'admin', '300000000006'),
  role('bulk', 'e07', 'admin', '300000000007'),
  role('bulk', 'e17', 'admin', '300000000017'),
  role('datalab', 'pro', 'admin', '333333333333'),
];
const NOW = new Date('2030-01-01T10:00:00Z');

/** A fake daemon: not running until `running` is set; `emit` is an event from it. */
function fakeDaemon() {
  const listeners = new Set<() => void>();
  return {
    running: false,
    watched: new Set<string>(),
    emit: () => listeners.forEach((l) => l()),
    listeners,
  };
}

/** A fake of everything the picker calls, recording what it was asked. */
function fakeServices(overrides: Partial<PickerServices> = {}) {
  const calls: string[] = [];
  const daemon = fakeDaemon();
  let sessionStarted = false;
  const statuses = new Map<string, RoleStatus>();
  const list = (roles: DelegatedRole[]): RoleList => ({ roles, userName: 'ana', account: '111111111111', sourceProfile: 'default', fetchedAt: NOW, fromCache: true, problems: [] });
  const services: PickerServices = {
    loadRoles: async (refresh, onProgress) => {
      calls.push(`load refresh=${refresh}`);
      onProgress({ groupsRead: 0, groupsTotal: 4 });
      return list(ROLES);
    },
    cachedRoles: async () => undefined,
    statuses: async () => statuses,
    scores: async () => new Map(),
    recordUse: async (r) => void calls.push(`used ${r.profile}`),
    needsCode: async () => !sessionStarted,
    startSession: async (code) => {
      calls.push(`session ${code}`);
      sessionStarted = true;
    },
    assume: async (r) => {
      calls.push(`assume ${r.profile}`);
      const expiration = new Date(NOW.getTime() + 3_600_000);
      statuses.set(r.roleArn, { state: 'valid', expiresAt: expiration });
      const result: AssumeResult = {
        profile: r.profile!,
        credentials: { accessKeyId: 'ASIA', secretAccessKey: 's', sessionToken: 't', expiration },
        region: 'eu-west-1',
        roleArn: r.roleArn,
        account: r.account,
        reused: false,
        credentialsFile: '/x',
      };
      return result;
    },
    written: async () => undefined,
    openConsole: async (r) => (calls.push(`console ${r.profile}`), `opened the console for ${r.profile}`),
    copy: async (text) => (calls.push(`copy ${text.split('\n')[0]}`), 'copied'),
    watched: async () => (daemon.running ? new Set(daemon.watched) : undefined),
    watch: async (r, result) => {
      calls.push(`watch ${result.profile}`);
      daemon.watched.add(result.profile);
      return `The daemon keeps ${result.profile} fresh`;
    },
    unwatch: async (r) => {
      calls.push(`unwatch ${r.profile}`);
      daemon.watched.delete(r.profile!);
      return `The daemon no longer refreshes ${r.profile}`;
    },
    onDaemonChange: (changed) => {
      daemon.listeners.add(changed);
      return () => void daemon.listeners.delete(changed);
    },
    now: () => NOW,
    ...overrides,
  };
  return { services, calls, list, daemon };
}

let lastFrameShown = '';

async function until(check: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 7000;
  while (Date.now() < deadline) {
    if (check()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`timed out waiting for ${what}; last frame:\n${lastFrameShown}`);
}

function renderPicker(services: PickerServices, options: { columns?: number; rows?: number; exitOnAssume?: boolean; color?: boolean; initial?: ListRead } = {}) {
  const outcomes: PickerOutcome[] = [];
  const app = render(<PickerApp services={services} {...(options.initial ? { initial: options.initial } : {})} exitOnAssume={options.exitOnAssume ?? false} color={options.color ?? true} onExit={(o) => outcomes.push(o)} />);
  const size = { columns: options.columns ?? 100, rows: options.rows ?? 20 };
  Object.defineProperty(app.stdout, 'columns', { get: () => size.columns });
  Object.defineProperty(app.stdout, 'rows', { get: () => size.rows });
  app.stdout.emit('resize');
  const frame = () => (lastFrameShown = plain(app.lastFrame()));
  return {
    ...app,
    outcomes,
    frame,
    resize(columns: number, rows: number) {
      size.columns = columns;
      size.rows = rows;
      app.stdout.emit('resize');
    },
    shows: (text: string) => until(() => frame().includes(text), JSON.stringify(text)),
    async type(keys: string) {
      for (const key of keys) {
        app.stdin.write(key);
        await new Promise((r) => setTimeout(r, 1));
      }
    },
  };
}

afterEach(() => cleanup());

describe('PickerApp', () => {
  it('shows the loading progress, then the roles', async () => {
    let finish!: (list: RoleList) => void;
    const { services, list } = fakeServices();
    services.loadRoles = (_refresh, onProgress) => {
      onProgress({ groupsRead: 3, groupsTotal: 40 });
      return new Promise((resolve) => (finish = resolve));
    };
    const picker = renderPicker(services);
    await picker.shows("Reading your groups' policies… 3/40");
    finish(list(ROLES));
    await picker.shows('4/4 roles of ana');
    expect(picker.frame()).toMatch(/▸ bulk\s+e06\s+admin\s+300000000006\s+bulk-e06-admin\s+not assumed/);
  });

  it('given the list read from the cache, draws the roles in its first frame and reads nothing more', async () => {
    const { services, calls, list } = fakeServices({ scores: async () => new Map([[ROLES[2]!.roleArn, 5]]) });
    const initial: ListRead = { list: list(ROLES), statuses: new Map([[ROLES[1]!.roleArn, { state: 'valid', expiresAt: new Date(NOW.getTime() + 600_000) }]]), scores: new Map([[ROLES[2]!.roleArn, 5]]) };
    const picker = renderPicker(services, { initial });
    expect(picker.frame()).toContain('4/4 roles of ana · recently used first');
    expect(picker.frame()).toMatch(/▸ bulk\s+e17/);
    expect(picker.frame()).toMatch(/bulk-e07-admin\s+valid for 10m/);
    await picker.type('e06');
    await picker.shows('1/4 roles');
    expect(calls).toEqual([]);
  });

  it('narrows as "bulk e07" is typed one key at a time, with the matched characters highlighted', async () => {
    const picker = renderPicker(fakeServices().services);
    await picker.shows('4/4 roles');
    await picker.type('bulk');
    await picker.shows('3/4 roles');
    await picker.type(' e07');
    await picker.shows('1/4 roles');
    expect(picker.frame()).toContain('› bulk e07');
    expect(picker.frame()).toMatch(/▸ bulk\s+e07\s+admin/);
    expect(picker.frame()).not.toContain('e17');
    // bold yellow runs: the project and the env matched.
    expect(picker.lastFrame()).toMatch(/\u001b\[1m\u001b\[33mbulk\u001b\[39m\u001b\[22m/);
    expect(picker.lastFrame()).toMatch(/\u001b\[1m\u001b\[33me07\u001b\[39m\u001b\[22m/);
    await picker.type('\u007f\u007f\u007f');
    await picker.shows('3/4 roles');
  });

  it('matches the account id', async () => {
    const picker = renderPicker(fakeServices().services);
    await picker.shows('4/4 roles');
    await picker.type('pro 3333');
    await picker.shows('1/4 roles');
    expect(picker.frame()).toMatch(/▸ datalab\s+pro/);
  });

  it('asks for the MFA code once, in the picker, then assumes without asking again', async () => {
    const { services, calls } = fakeServices();
    const picker = renderPicker(services);
    await picker.shows('4/4 roles');
    await picker.type(DOWN);
    await picker.type(ENTER);
    await picker.shows('MFA code for the corp session');
    await picker.type('12345');
    await picker.type(ENTER);
    expect(calls).not.toContain('session 12345');
    await picker.type('6');
    await picker.shows('123456');
    await picker.type(ENTER);
    await picker.shows('Written: profile bulk-e07-admin, valid for 1h 00m');
    expect(picker.frame()).toMatch(/bulk-e07-admin\s+valid for 1h 00m/);
    await picker.type(DOWN);
    await picker.type(ENTER);
    await picker.shows('Written: profile bulk-e17-admin');
    expect(calls).toEqual(['load refresh=false', 'session 123456', 'assume bulk-e07-admin', 'used bulk-e07-admin', 'assume bulk-e17-admin', 'used bulk-e17-admin']);
  });

  it('a code arriving with its Enter in one chunk (a fast terminal, a paste) starts the session', async () => {
    const { services, calls } = fakeServices();
    const picker = renderPicker(services);
    await picker.shows('4/4 roles');
    picker.stdin.write('e07\r');
    await picker.shows('MFA code for the corp session');
    expect(calls).toEqual(['load refresh=false']);
    picker.stdin.write('123456\r');
    await picker.shows('Written: profile bulk-e07-admin');
    expect(calls).toContain('session 123456');
  });

  it('ctrl-o opens the console and ctrl-y copies the export lines of the highlighted role', async () => {
    const { services, calls } = fakeServices({ needsCode: async () => false });
    const picker = renderPicker(services);
    await picker.shows('4/4 roles');
    await picker.type('\u000f');
    await picker.shows('opened the console for bulk-e06-admin');
    await picker.type('\u0019');
    await picker.shows('copied');
    expect(calls.slice(1).filter((c) => !c.startsWith('used'))).toEqual(['assume bulk-e06-admin', 'console bulk-e06-admin', 'assume bulk-e06-admin', "copy export AWS_ACCESS_KEY_ID='ASIA'"]);
  });

  it('ctrl-t without a daemon says how to start it, and assumes nothing', async () => {
    const { services, calls } = fakeServices({ needsCode: async () => false });
    const picker = renderPicker(services);
    await picker.shows('4/4 roles');
    expect(picker.frame()).toContain('^T watch');
    await picker.type(CTRL_T);
    await picker.shows('The anwbis daemon is not running: start it with `anwbis daemon start`');
    expect(calls).toEqual(['load refresh=false']);
  });

  it('ctrl-t asks the code once, assumes, hands the profile to the daemon and shows it watched; ctrl-t again unwatches', async () => {
    const { services, calls, daemon } = fakeServices();
    daemon.running = true;
    const picker = renderPicker(services, { columns: 120 });
    await picker.shows('4/4 roles');
    await picker.type(CTRL_T);
    await picker.shows('MFA code for the corp session');
    await picker.type('123456');
    await picker.type(ENTER);
    await picker.shows('The daemon keeps bulk-e06-admin fresh');
    expect(picker.frame()).toMatch(/▸ bulk\s+e06\s+admin\s+300000000006\s+bulk-e06-admin\s+valid for 1h 00m, watched/);
    expect(picker.frame()).toContain('^T unwatch');
    expect(calls).toEqual(['load refresh=false', 'session 123456', 'assume bulk-e06-admin', 'used bulk-e06-admin', 'watch bulk-e06-admin']);

    await picker.type(CTRL_T);
    await picker.shows('The daemon no longer refreshes bulk-e06-admin');
    expect(picker.frame()).toMatch(/bulk-e06-admin\s+valid for 1h 00m\s*\n/);
    expect(picker.frame()).toContain('^T watch');
    expect(calls.at(-1)).toBe('unwatch bulk-e06-admin');
  });

  it('shows what the daemon watches as it reports it, without a key', async () => {
    const { services, daemon } = fakeServices();
    daemon.running = true;
    daemon.watched.add('bulk-e17-admin');
    const picker = renderPicker(services);
    await picker.shows('not assumed, watched');
    expect(picker.frame()).toMatch(/bulk-e17-admin\s+not assumed, watched/);
    // The daemon gives the profile up (its --until passed) and says so.
    daemon.watched.delete('bulk-e17-admin');
    daemon.emit();
    await until(() => !picker.frame().includes('watched'), 'the watch to go from the row');
    // It stops: the rows say nothing about the daemon any more.
    daemon.watched.add('bulk-e07-admin');
    daemon.emit();
    await picker.shows('not assumed, watched');
    daemon.running = false;
    daemon.emit();
    await until(() => !picker.frame().includes('watched'), 'the daemon to be gone from the rows');
  });

  it('shows an error of an action and goes on running', async () => {
    const { services } = fakeServices({
      needsCode: async () => false,
      assume: async () => {
        throw new AnwbisError('denied', 'AWS denied assuming the role', { next: 'ask for access' });
      },
    });
    const picker = renderPicker(services);
    await picker.shows('4/4 roles');
    await picker.type(ENTER);
    await picker.shows('AWS denied assuming the role; ask for access');
    await picker.type('datalab');
    await picker.shows('1/4 roles');
    expect(picker.outcomes).toEqual([]);
  });

  it('shows an AWS error with a retry key that reads the list again', async () => {
    let fail = true;
    const { services, calls, list } = fakeServices();
    services.loadRoles = async (refresh) => {
      calls.push(`load refresh=${refresh}`);
      if (fail) throw new AnwbisError('aws', 'listing the groups failed: AWS could not be reached', { next: 'check the network' });
      return list(ROLES);
    };
    const picker = renderPicker(services);
    await picker.shows('Could not list your roles: listing the groups failed: AWS could not be reached; check the network');
    expect(picker.frame()).toContain('r retry · Esc quit');
    fail = false;
    await picker.type('r');
    await picker.shows('4/4 roles');
    expect(calls).toEqual(['load refresh=false', 'load refresh=true']);
  });

  it('explains a user without roles', async () => {
    const { services } = fakeServices({
      loadRoles: async () => {
        throw new NoDelegatedRolesError('your corp user ana is in no IAM group, so no delegated role is granted to it', 'anwbis reads groups named corp-{project}-master-{role}');
      },
    });
    const picker = renderPicker(services);
    await picker.shows('No delegated roles: your corp user ana is in no IAM group');
    expect(picker.frame()).toContain('anwbis reads groups named corp-{project}-master-{role}');
  });

  it('below 60 columns says so in one line, and draws the list again when widened', async () => {
    const picker = renderPicker(fakeServices().services, { columns: 59 });
    await picker.shows('anwbis tui: needs 60 columns, has 59; widen it or Esc');
    expect(picker.frame().trim().split('\n')).toHaveLength(1);
    picker.resize(60, 12);
    await picker.shows('4/4 roles');
    const lines = picker.frame().split('\n');
    expect(lines.every((l) => l.length <= 60)).toBe(true);
    expect(lines).toHaveLength(12);
  });

  it('draws only the rows that fit, for thousands of roles', async () => {
    const many = Array.from({ length: 5000 }, (_, i) => role(`p${String(i).padStart(4, '0')}`, 'dev', 'admin', String(100000000000 + i)));
    const { services, list } = fakeServices();
    services.loadRoles = async () => list(many);
    const picker = renderPicker(services, { rows: 15 });
    await picker.shows('5000/5000 roles');
    expect(picker.frame().split('\n')).toHaveLength(15);
    expect(picker.frame()).toContain('p0009');
    expect(picker.frame()).not.toContain('p0010');
    await picker.type('\u001b[F');
    await picker.shows('p4999');
  });

  it('Tab switches between recently used first and alphabetical', async () => {
    const { services } = fakeServices({ scores: async () => new Map([[ROLES[3]!.roleArn, 100]]) });
    const picker = renderPicker(services);
    await picker.shows('recently used first');
    expect(picker.frame()).toMatch(/▸ datalab/);
    await picker.type(TAB);
    await picker.shows('alphabetical');
    expect(picker.frame()).toMatch(/▸ datalab/);
    expect(picker.frame().indexOf('bulk')).toBeLessThan(picker.frame().indexOf('datalab'));
  });

  it('Esc quits', async () => {
    const picker = renderPicker(fakeServices().services);
    await picker.shows('4/4 roles');
    await picker.type(ESC);
    await until(() => picker.outcomes.length > 0, 'the exit');
    expect(picker.outcomes).toEqual([{ kind: 'quit' }]);
  });

  it('with --stdout, Enter assumes and leaves with the credentials', async () => {
    const picker = renderPicker(fakeServices({ needsCode: async () => false }).services, { exitOnAssume: true });
    await picker.shows('4/4 roles');
    await picker.type('e07');
    await picker.shows('1/4 roles');
    await picker.type(ENTER);
    await until(() => picker.outcomes.length > 0, 'the exit');
    expect(picker.outcomes[0]).toMatchObject({ kind: 'assumed', role: { profile: 'bulk-e07-admin' }, result: { profile: 'bulk-e07-admin' } });
  });

  // Issue 23 item 7, one test per thing a new user tripped on.
  it.each([120, 100, 80, 60])('the footer at %i columns fits, with Enter and the quit key', async (columns) => {
    const picker = renderPicker(fakeServices().services, { columns });
    await picker.shows('4/4 roles');
    const footer = picker.frame().trimEnd().split('\n').at(-1)!;
    expect(footer.length).toBeLessThanOrEqual(columns);
    expect(footer).toMatch(/^Enter assume · .* · Esc quit$|^↑↓ .* · Esc quit$/);
    expect(footer).toContain('Enter assume');
  });

  it('the MFA field says "That is not six digits" to a pasted non-digit, a seventh digit, and Enter before six', async () => {
    const { services, calls } = fakeServices();
    const picker = renderPicker(services);
    await picker.shows('4/4 roles');
    await picker.type(ENTER);
    await picker.shows('MFA code for the corp session');
    picker.stdin.write('12 34');
    await picker.shows('That is not six digits');
    expect(picker.frame()).toContain('MFA code for the corp session: ______');
    await picker.type('1234');
    await picker.shows(': 1234__ · Enter ok');
    await picker.type(ENTER);
    await picker.shows(': 1234__ · That is not six digits');
    await picker.type('56');
    await picker.shows(': 123456 · Enter ok');
    await picker.type('7');
    await picker.shows(': 123456 · That is not six digits');
    expect(calls).toEqual(['load refresh=false']);
    await picker.type(ENTER);
    await picker.shows('Written: profile bulk-e06-admin');
    expect(calls).toContain('session 123456');
  });

  it('a role just used moves up in "recently used first" at once, with the highlight on it', async () => {
    const uses = new Map<string, number>();
    const { services } = fakeServices({ needsCode: async () => false, scores: async () => new Map(uses) });
    services.recordUse = async (r) => void uses.set(r.roleArn, (uses.get(r.roleArn) ?? 0) + 1);
    const picker = renderPicker(services);
    await picker.shows('recently used first');
    await picker.type(DOWN + DOWN);
    await until(() => /▸ bulk\s+e17/.test(picker.frame()), 'bulk-e17 highlighted');
    expect(picker.frame().split('\n')[3]).toMatch(/^ {2}bulk\s+e06/);
    await picker.type(ENTER);
    await picker.shows('Written: profile bulk-e17-admin');
    await until(() => /^▸ bulk\s+e17/m.test(picker.frame().split('\n').slice(3).join('\n')), 'bulk-e17 to be the first row');
    expect(picker.frame().split('\n')[3]).toMatch(/^▸ bulk\s+e17/);
  });

  it('the filter does not look in the STATUS column', async () => {
    const statuses = new Map<string, RoleStatus>([[ROLES[1]!.roleArn, { state: 'valid', expiresAt: new Date(NOW.getTime() + 59 * 60_000) }]]);
    const picker = renderPicker(fakeServices({ statuses: async () => statuses }).services);
    await picker.shows('valid for 59m');
    await picker.type('59m');
    await picker.shows('0/4 roles');
    await picker.type('\u0015valid');
    await picker.shows('0/4 roles');
    expect(picker.frame()).toContain('› valid');
  });

  it('ctrl-y exports a still-valid profile as it is: no code asked, nothing assumed or replaced', async () => {
    const expiration = new Date(NOW.getTime() + 1_800_000);
    const { services, calls } = fakeServices({
      written: async (r) => ({ profile: r.profile!, credentials: { accessKeyId: 'ASIAHELD', secretAccessKey: 's', sessionToken: 't', expiration }, region: 'eu-west-1', roleArn: r.roleArn, account: r.account, reused: true, credentialsFile: '/x' }),
    });
    const picker = renderPicker(services);
    await picker.shows('4/4 roles');
    await picker.type('\u0019');
    await picker.shows('copied');
    expect(calls).toEqual(['load refresh=false', 'used bulk-e06-admin', "copy export AWS_ACCESS_KEY_ID='ASIAHELD'"]);
    expect(picker.frame()).not.toContain('MFA code');
  });

  it('uses no colour with NO_COLOR: highlights are bold and underlined, the selection has its marker', async () => {
    const picker = renderPicker(fakeServices().services, { color: false });
    await picker.shows('4/4 roles');
    await picker.type('e07');
    await picker.shows('1/4 roles');
    const raw = picker.lastFrame() ?? '';
    expect(raw).not.toMatch(/\u001b\[(3\d|9\d|4\d)m/);
    expect(raw).toMatch(/\u001b\[4m\u001b\[1me07\u001b\[22m\u001b\[24m/);
    expect(picker.frame()).toContain('▸ bulk');
  });
});
