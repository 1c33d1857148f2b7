import { EventEmitter } from 'node:events';
import { performance } from 'node:perf_hooks';
import type { DelegatedRole, RoleList } from '@anwbis/core';
import type { PickerServices } from '../services.js';
import { initialPickerState, pickerReducer, type PickerState } from '../picker-state.js';
import type { FilterRow } from '../fuzzy.js';

/**
 * Benchmark (it reports, it asserts nothing) of what one keystroke costs in the picker with
 * ROLES roles, in-process: the filter alone (the reducer), and the whole of it — key in, Ink
 * lays out and writes the frame of the visible rows — with React and Ink as `anwbis tui` runs
 * them, on a fake 120×40 terminal.
 *
 *   node packages/tui/dist/bench/keystroke.js [roles]
 */

const USAGE = 'usage: node packages/tui/dist/bench/keystroke.js [roles]\n';
const [given, ...extra] = process.argv.slice(2);
if (given === '--help' || given === '-h') {
  process.stdout.write(USAGE);
  process.exit(0);
}
const ROLES = Number(given ?? 5000);
if (extra.length > 0 || !Number.isInteger(ROLES) || ROLES < 1) {
  process.stderr.write(`roles must be one positive whole number, not ${JSON.stringify(process.argv.slice(2).join(' '))}\n${USAGE}`);
  process.exit(2);
}
const QUERY = 'team1 pro adm';

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
const p95 = (values: readonly number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.95)]!;

const roles: DelegatedRole[] = Array.from({ length: ROLES }, (_, i) => {
  const project = `team${String(Math.floor(i / 4)).padStart(4, '0')}`;
  const env = i % 2 ? 'pro' : 'dev';
  const role = i % 4 < 2 ? 'admin' : 'devops';
  const account = String(400000000000 + (i % 97));
  return { project, env, role, account, roleArn: `arn:aws:iam::${account}:role/${env}-${project}-delegated-${role}-${i}`, profile: `${project}-${env}-${role}`, group: `corp-${project}-master-${role}`, policy: 'Delegated_Roles' };
});

/** Keystrokes: type the query, erase it, several times. */
const keys = [...Array(4)].flatMap(() => [...QUERY.split(''), ...QUERY.split('').map(() => '\u007f')]);

function reducerOnly(): number[] {
  const rows: FilterRow[] = roles.map((r) => ({ id: r.roleArn, cells: [r.project!, r.env!, r.role, r.account, r.profile!, 'not assumed'] }));
  let state: PickerState = pickerReducer(initialPickerState(35), { type: 'rows', rows });
  const times: number[] = [];
  for (const key of keys) {
    const start = performance.now();
    state = pickerReducer(state, key === '\u007f' ? { type: 'backspace' } : { type: 'type', text: key });
    times.push(performance.now() - start);
  }
  return times;
}

class FakeTty extends EventEmitter {
  readonly columns = 120;
  readonly rows = 40;
  readonly isTTY = true;
  last = '';
  write = (frame: string) => {
    this.last = frame;
    this.emit('frame', frame);
    return true;
  };
}

class FakeStdin extends EventEmitter {
  readonly isTTY = true;
  private data: string | null = null;
  setEncoding() {}
  setRawMode() {}
  resume() {}
  pause() {}
  ref() {}
  unref() {}
  read = () => {
    const d = this.data;
    this.data = null;
    return d;
  };
  press(data: string) {
    this.data = data;
    this.emit('readable');
  }
}

async function wholeKeystroke(): Promise<number[]> {
  const [{ render }, { createElement }, { PickerApp }] = await Promise.all([import('ink'), import('react'), import('../app.js')]);
  const list: RoleList = { roles, userName: 'bench', account: '111111111111', sourceProfile: 'default', fetchedAt: new Date(), fromCache: true, problems: [] };
  const services: PickerServices = {
    loadRoles: async () => list,
    cachedRoles: async () => list,
    statuses: async () => new Map(),
    scores: async () => new Map(),
    recordUse: async () => undefined,
    needsCode: async () => false,
    startSession: async () => undefined,
    assume: async () => {
      throw new Error('not in the benchmark');
    },
    written: async () => undefined,
    openConsole: async () => '',
    copy: async () => '',
    watched: async () => undefined,
    watch: async () => '',
    unwatch: async () => '',
    onDaemonChange: () => () => undefined,
    now: () => new Date(),
  };
  const renders: number[] = [];
  const stdout = new FakeTty();
  const stdin = new FakeStdin();
  // eslint-disable-next-line no-control-regex -- frames are read without their escape codes
  const plain = (frame: string) => frame.replace(/\u001b\[[0-9;]*m/g, '');
  const frameWith = (test: (plainFrame: string) => boolean) =>
    new Promise<void>((resolve) => {
      const check = (frame: string) => {
        if (test(plain(frame))) {
          stdout.off('frame', check);
          resolve();
        }
      };
      stdout.on('frame', check);
      check(stdout.last);
    });
  const app = render(createElement(PickerApp, { services, exitOnAssume: false, color: true, onExit: () => undefined }), {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    debug: true,
    onRender: ({ renderTime }) => renders.push(renderTime),
    exitOnCtrlC: false,
    patchConsole: false,
  });
  await frameWith((f) => f.includes(`${ROLES}/${ROLES} roles`));
  const times: number[] = [];
  let query = '';
  for (const key of keys) {
    query = key === '\u007f' ? query.slice(0, -1) : query + key;
    const line = `› ${query} `;
    const shown = frameWith((f) => f.split('\n')[1] === line);
    const start = performance.now();
    stdin.press(key);
    await shown;
    times.push(performance.now() - start);
  }
  app.unmount();
  lastRenders = renders.slice(-keys.length);
  return times;
}

/** Ink's own measure of its render (layout and output) of the last run's frames. */
let lastRenders: number[] = [];

async function main(): Promise<void> {
  process.env.FORCE_COLOR ??= '1';
  // React's and Ink's production builds, as `anwbis tui` bundles them (React picks its build
  // when first loaded, below); the development build costs twice as much per keystroke.
  process.env.NODE_ENV ??= 'production';
  reducerOnly(); // warm-up
  const filter = reducerOnly();
  await wholeKeystroke(); // warm-up: JIT, module loading
  const whole = await wholeKeystroke();
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(`picker keystroke cost with ${ROLES} roles, ${keys.length} keystrokes (typing and erasing "${QUERY}")`);
  say(`filter (reducer):                      median ${median(filter).toFixed(2)} ms, p95 ${p95(filter).toFixed(2)} ms`);
  say(`key → frame written (React, Ink, rows): median ${median(whole).toFixed(2)} ms, p95 ${p95(whole).toFixed(2)} ms (target ≤ 16)`);
  say(`  of which Ink's render (layout, output):  median ${median(lastRenders).toFixed(2)} ms`);
}

main().catch((err: unknown) => {
  process.stderr.write(`keystroke benchmark failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
