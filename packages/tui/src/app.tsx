import { Box, Text, useApp, useInput, useWindowSize, type Key } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState, type SetStateAction } from 'react';
import { AnwbisError, describeStatus, NoDelegatedRolesError, sanitizeRemoteText, type AssumeResult, type DelegatedRole, type DiscoveryProgress, type RoleStatus } from '@anwbis/core';
import type { FilterRow } from './fuzzy.js';
import { initialPickerState, pickerReducer, visibleMatches, type PickerAction, type PickerState } from './picker-state.js';
import { exportLines, readList, type ListRead, type PickerServices } from './services.js';
import { footerLine, layoutColumns, longestCells, MARKER_WIDTH, ROLE_COLUMNS, rowSegments, type FooterKey } from './table.js';

/** How a visit to the picker ended. */
export type PickerOutcome = { readonly kind: 'quit' } | { readonly kind: 'assumed'; readonly role: DelegatedRole; readonly result: AssumeResult };

/** The narrowest terminal the picker draws in; below it, one line says so. */
export const MIN_COLUMNS = 60;
/** Lines around the list: title, query, column titles, message, footer. */
const CHROME_LINES = 5;

export interface PickerAppProps {
  readonly services: PickerServices;
  /** The list read before the picker was drawn (from the cache): the first frame shows it. */
  readonly initial?: ListRead;
  /** Leave after the first assume, handing over its credentials (`--stdout`, `--json`). */
  readonly exitOnAssume: boolean;
  /** Colours (off with NO_COLOR); bold, underline and inverse are used either way. */
  readonly color: boolean;
  readonly onExit: (outcome: PickerOutcome) => void;
}

interface RoleRow extends FilterRow {
  readonly role: DelegatedRole;
}

type Phase =
  | { readonly kind: 'loading'; readonly progress?: DiscoveryProgress }
  | { readonly kind: 'empty'; readonly error: AnwbisError }
  | { readonly kind: 'error'; readonly error: Error }
  | { readonly kind: 'ready' };

type Action = 'assume' | 'console' | 'copy' | 'watch';
type Overlay =
  | { readonly kind: 'none' }
  | { readonly kind: 'mfa'; readonly code: string; readonly action: Action; readonly role: DelegatedRole; readonly problem?: string }
  | { readonly kind: 'busy'; readonly label: string };

/** What the CLI's prompt says to a code that is not one (core's mfa/code.ts). */
const NOT_SIX_DIGITS = 'That is not six digits';
interface Message {
  readonly kind: 'ok' | 'error' | 'info';
  readonly text: string;
}

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

function applyUpdate<T>(current: T, update: SetStateAction<T>): T {
  return typeof update === 'function' ? (update as (c: T) => T)(current) : update;
}

/**
 * useState whose latest value can also be read at once (the third element), for handlers that
 * run several times before the next render.
 */
function useMirror<S, A>(init: () => S, reduce: (state: S, action: A) => S): [S, (action: A) => void, () => S] {
  const [state, setState] = useState(init);
  const ref = useRef(state);
  const apply = useCallback(
    (action: A) => {
      ref.current = reduce(ref.current, action);
      setState(ref.current);
    },
    [reduce],
  );
  return [state, apply, useCallback(() => ref.current, [])];
}

interface RowData {
  readonly roles: readonly DelegatedRole[];
  readonly statuses: ReadonlyMap<string, RoleStatus>;
  /** Profiles the daemon keeps fresh; undefined while no daemon answers. */
  readonly watched: ReadonlySet<string> | undefined;
}

/** Every cell but STATUS: "59m" or "valid" is no key to find a role by. */
const SEARCHED_CELLS = ROLE_COLUMNS.length - 1;

function rowsOf({ roles, statuses, watched }: RowData, now: Date): RoleRow[] {
  return roles.map((role) => {
    const status = statuses.get(role.roleArn) ?? { state: 'not-assumed', expiresAt: null };
    const isWatched = role.profile !== null && watched?.has(role.profile) === true;
    // Names from policies are shown (and filtered) escaped: a role name must not drive the terminal.
    const cells = [role.project ?? '-', role.env ?? '-', role.role, role.account, role.profile ?? '-', describeStatus({ ...status, watched: isWatched }, now)];
    return { id: role.roleArn, role, searched: SEARCHED_CELLS, cells: cells.map(sanitizeRemoteText) };
  });
}

const DAEMON_NOT_RUNNING = 'The anwbis daemon is not running: start it with `anwbis daemon start` (in another terminal), then ^T again';

/** The footer's keys; those that drop first go when the terminal is narrow, assume and quit never. */
function footerKeys(watchKey: 'watch' | 'unwatch'): FooterKey[] {
  return [
    { label: '↑↓ PgUp PgDn Home End move', drop: 5 },
    { label: 'Enter assume', drop: 0 },
    { label: '^O console', drop: 1 },
    { label: '^Y copy', drop: 1 },
    { label: `^T ${watchKey}`, drop: 1 },
    { label: '^R refresh', drop: 2 },
    { label: 'Tab order', drop: 3 },
    { label: '^U clear', drop: 4 },
    { label: 'Esc quit', drop: 0 },
  ];
}

/** Typed text, not a control character (a paste arrives as one string). */
function isPrintable(input: string): boolean {
  return input !== '' && [...input].every((ch) => ch.codePointAt(0)! >= 0x20 && ch !== '\u007f');
}

function messageOf(error: unknown): Message {
  if (error instanceof AnwbisError) return { kind: 'error', text: error.next ? `${error.message}; ${error.next}` : error.message };
  return { kind: 'error', text: `unexpected error (please report it): ${(error as Error)?.message ?? String(error)}` };
}

/** The full-screen role picker. Every effect goes through `services`; errors are shown, never thrown. */
export function PickerApp({ services, initial, exitOnAssume, color, onExit }: PickerAppProps) {
  const { exit } = useApp();
  const { columns, rows: lines } = useWindowSize();
  const listHeight = Math.max(1, lines - CHROME_LINES);
  // State the key handler reads lives in refs as well: keys typed faster than React renders
  // (a pasted code and its Enter in one chunk) must see what the keys before them did.
  const data = useRef<RowData>({ roles: initial?.list.roles ?? [], statuses: initial?.statuses ?? new Map(), watched: undefined });
  const [state, dispatch, stateRef] = useMirror<PickerState<RoleRow>, PickerAction<RoleRow>>(() => {
    const empty = initialPickerState<RoleRow>(listHeight);
    return initial ? pickerReducer(empty, { type: 'rows', rows: rowsOf(data.current, services.now()), scores: initial.scores }) : empty;
  }, pickerReducer);
  const [phase, setPhase, phaseRef] = useMirror<Phase, SetStateAction<Phase>>(() => ({ kind: initial ? 'ready' : 'loading' }), applyUpdate);
  const [overlay, setOverlay, overlayRef] = useMirror<Overlay, SetStateAction<Overlay>>(() => ({ kind: 'none' }), applyUpdate);
  const [message, setMessage] = useState<Message | undefined>();
  const [userName, setUserName] = useState(initial?.list.userName ?? '');

  const quit = useCallback(
    (outcome: PickerOutcome = { kind: 'quit' }) => {
      onExit(outcome);
      exit();
    },
    [exit, onExit],
  );

  const showRows = useCallback(
    (scores?: ReadonlyMap<string, number>) => {
      dispatch({ type: 'rows', rows: rowsOf(data.current, services.now()), ...(scores ? { scores } : {}) });
    },
    [services],
  );

  /** Reads the daemon's watched profiles; the picker works on without a daemon, so no error is shown. */
  const daemonWatched = useCallback(() => services.watched().catch(() => undefined), [services]);

  const refreshStatuses = useCallback(
    async (scores?: ReadonlyMap<string, number>) => {
      const roles = data.current.roles;
      const [statuses, watched] = await Promise.all([services.statuses(roles), daemonWatched()]);
      // A list read in the meantime came with its own statuses.
      data.current = data.current.roles === roles ? { ...data.current, statuses, watched } : { ...data.current, watched };
      showRows(scores);
    },
    [services, showRows, daemonWatched],
  );

  const load = useCallback(
    async (refresh: boolean) => {
      setPhase({ kind: 'loading' });
      try {
        const { list, statuses, scores } = await readList(services, services.loadRoles(refresh, (progress) => setPhase({ kind: 'loading', progress })));
        data.current = { ...data.current, roles: list.roles, statuses };
        setUserName(list.userName);
        dispatch({ type: 'rows', rows: rowsOf(data.current, services.now()), scores });
        for (const problem of list.problems) setMessage({ kind: 'info', text: `skipped: ${problem}` });
        setPhase({ kind: 'ready' });
      } catch (error) {
        setPhase(error instanceof NoDelegatedRolesError ? { kind: 'empty', error } : { kind: 'error', error: error as Error });
      }
    },
    [services],
  );

  useEffect(() => {
    if (!initial) void load(false);
  }, [load, initial]);

  useEffect(() => {
    dispatch({ type: 'resize', height: listHeight });
  }, [listHeight]);

  useEffect(() => {
    // Statuses drawn a moment late are better than a picker that fails for them.
    const refresh = () => void refreshStatuses().catch(() => undefined);
    // The daemon is asked apart from the list, so the first frame never waits for it.
    refresh();
    const stop = services.onDaemonChange(refresh);
    // Time left is shown in minutes: redraw the status column as it ticks down. A daemon
    // started (or a profile watched from another terminal) since shows up at the next tick.
    const timer = setInterval(refresh, 30_000);
    return () => {
      clearInterval(timer);
      stop();
    };
  }, [services, refreshStatuses]);

  const act = useCallback(
    async (action: Action, role: DelegatedRole, code?: string) => {
      try {
        // Exported or opened as they are: a still-valid profile is not replaced (nor a code asked) for that.
        let result = code === undefined && (action === 'copy' || action === 'console') ? await services.written(role) : undefined;
        if (!result) {
          if (code !== undefined) {
            setOverlay({ kind: 'busy', label: 'Starting the corp session…' });
            await services.startSession(code);
          } else if (await services.needsCode()) {
            setOverlay({ kind: 'mfa', code: '', action, role });
            return;
          }
          setOverlay({ kind: 'busy', label: `Getting credentials for ${role.profile ?? role.roleArn}…` });
          result = await services.assume(role);
        }
        await services.recordUse(role);
        // "Recently used first" takes the use at once; the highlight stays on the role as it moves.
        await refreshStatuses(await services.scores().catch(() => undefined));
        if (action === 'assume' && exitOnAssume) {
          quit({ kind: 'assumed', role, result });
          return;
        }
        if (action === 'assume') {
          const until = result.credentials.expiration;
          setMessage({ kind: 'ok', text: `${result.reused ? 'Still valid' : 'Written'}: profile ${result.profile}, ${describeStatus({ state: 'valid', expiresAt: until }, services.now())} (until ${until.toISOString()})` });
        } else if (action === 'watch') {
          setMessage({ kind: 'ok', text: await services.watch(role, result) });
          await refreshStatuses();
        } else if (action === 'console') {
          setMessage({ kind: 'ok', text: await services.openConsole(role, result) });
        } else {
          setMessage({ kind: 'ok', text: await services.copy(exportLines(result)) });
        }
      } catch (error) {
        setMessage(messageOf(error));
      }
      setOverlay({ kind: 'none' });
    },
    [services, exitOnAssume, quit, refreshStatuses],
  );

  /** ^T: unwatches a watched role; otherwise assumes it (asking the code if need be) and hands it to the daemon. */
  const toggleWatch = useCallback(
    async (role: DelegatedRole) => {
      try {
        setOverlay({ kind: 'busy', label: 'Asking the daemon…' });
        const watched = await services.watched();
        data.current = { ...data.current, watched };
        showRows();
        if (watched === undefined) {
          setMessage({ kind: 'info', text: DAEMON_NOT_RUNNING });
        } else if (role.profile !== null && watched.has(role.profile)) {
          setMessage({ kind: 'ok', text: await services.unwatch(role) });
          await refreshStatuses();
        } else {
          return void (await act('watch', role));
        }
      } catch (error) {
        setMessage(messageOf(error));
      }
      setOverlay({ kind: 'none' });
    },
    [services, act, showRows, refreshStatuses],
  );

  const onKey = (input: string, key: Key): void => {
    const overlay = overlayRef();
    const phase = phaseRef();
    const state = stateRef();
    if (key.ctrl && input === 'c') return quit();
    if (overlay.kind === 'busy') return;
    if (overlay.kind === 'mfa') {
      if (key.escape) {
        setOverlay({ kind: 'none' });
        setMessage({ kind: 'info', text: 'MFA code not entered; nothing was done' });
      } else if (key.backspace || key.delete) setOverlay((o) => (o.kind === 'mfa' ? { kind: 'mfa', action: o.action, role: o.role, code: o.code.slice(0, -1) } : o));
      else if (key.return) {
        if (overlay.code.length === 6) void act(overlay.action, overlay.role, overlay.code);
        else setOverlay({ ...overlay, problem: NOT_SIX_DIGITS });
      } else if (isPrintable(input)) {
        // A code is six digits, as the CLI's prompt takes it: a paste with anything else, or a
        // seventh digit, is refused whole and said so, not cut or dropped without a word.
        const code = overlay.code + input;
        setOverlay(/^\d{1,6}$/.test(code) ? { kind: 'mfa', action: overlay.action, role: overlay.role, code } : { ...overlay, problem: NOT_SIX_DIGITS });
      }
      return;
    }
    if (key.escape) return quit();
    if (phase.kind === 'error' || phase.kind === 'empty') {
      if (input === 'r' || (key.ctrl && input === 'r')) void load(true);
      return;
    }
    if (phase.kind !== 'ready') return;
    const selected = state.matches[state.selected]?.row.role;
    const move: PickerAction<RoleRow> | undefined = key.upArrow
      ? { type: 'move', by: -1 }
      : key.downArrow
        ? { type: 'move', by: 1 }
        : key.pageUp
          ? { type: 'page', by: -1 }
          : key.pageDown
            ? { type: 'page', by: 1 }
            : key.home
              ? { type: 'home' }
              : key.end
                ? { type: 'end' }
                : key.tab
                  ? { type: 'toggle-order' }
                  : key.backspace || key.delete
                    ? { type: 'backspace' }
                    : key.ctrl && input === 'u'
                      ? { type: 'clear' }
                      : undefined;
    if (move) return dispatch(move);
    if (key.ctrl && input === 'r') return void load(true);
    if (key.ctrl && input === 't') {
      if (!selected) return;
      setMessage(undefined);
      return void toggleWatch(selected);
    }
    if (key.return || (key.ctrl && (input === 'o' || input === 'y'))) {
      if (!selected) return;
      setMessage(undefined);
      return void act(key.return ? 'assume' : input === 'o' ? 'console' : 'copy', selected);
    }
    if (!key.ctrl && !key.meta && isPrintable(input)) dispatch({ type: 'type', text: input });
  };
  useInput((input, key) => {
    // Ink hands text and a following Enter or Tab over as one input: take them apart.
    if (input.length > 1 && /[\r\t]/.test(input)) {
      for (const ch of input) onKey(ch, ch === '\r' ? { ...NO_KEY, return: true } : ch === '\t' ? { ...NO_KEY, tab: true } : NO_KEY);
    } else onKey(input, key);
  });

  const longest = useMemo(() => longestCells(state.rows, ROLE_COLUMNS.length), [state.rows]);
  if (columns < MIN_COLUMNS) {
    // Wrapped, not cut: on the narrowest terminals the way out is at its end.
    return <Text wrap="wrap">anwbis tui: needs {MIN_COLUMNS} columns, has {columns}; widen it or Esc</Text>;
  }
  const accent = color ? 'cyan' : undefined;
  const title = (
    <Text wrap="truncate-end">
      <Text bold color={accent}>
        anwbis
      </Text>
      {phase.kind === 'ready' ? ` · ${state.matches.length}/${state.rows.length} roles of ${sanitizeRemoteText(userName)} · ${state.order === 'frecency' ? 'recently used first' : 'alphabetical'}` : ''}
    </Text>
  );
  if (phase.kind !== 'ready') {
    const body =
      phase.kind === 'loading'
        ? phase.progress && phase.progress.groupsTotal > 0
          ? `Reading your groups' policies… ${phase.progress.groupsRead}/${phase.progress.groupsTotal}`
          : 'Reading your groups…'
        : phase.kind === 'empty'
          ? `No delegated roles: ${phase.error.message}`
          : `Could not list your roles: ${messageOf(phase.error).text}`;
    const next = phase.kind === 'empty' ? phase.error.next : undefined;
    return (
      <Box flexDirection="column" height={lines}>
        {title}
        <Text color={phase.kind === 'error' && color ? 'red' : undefined}>{sanitizeRemoteText(body)}</Text>
        {next ? <Text>{sanitizeRemoteText(next)}</Text> : null}
        <Box flexGrow={1} />
        <Text dimColor wrap="truncate-end">
          {phase.kind === 'loading' ? 'Esc quit' : 'r retry · Esc quit'}
        </Text>
      </Box>
    );
  }

  const widths = layoutColumns(ROLE_COLUMNS, longest, columns);
  const shown = (cells: readonly string[]) => cells.map((c, i) => ({ c, i })).filter(({ i }) => widths[i]! > 0);
  const visible = visibleMatches(state);
  const highlighted = state.matches[state.selected]?.row.role;
  const watchKey = highlighted?.profile && data.current.watched?.has(highlighted.profile) ? 'unwatch' : 'watch';
  return (
    <Box flexDirection="column" height={lines}>
      {title}
      <Text wrap="truncate-end">
        <Text color={accent}>› </Text>
        {state.query}
        <Text inverse> </Text>
      </Text>
      <Text dimColor wrap="truncate-end">
        {' '.repeat(MARKER_WIDTH)}
        {shown(ROLE_COLUMNS.map((c) => c.title))
          .map(({ c, i }) => c.padEnd(widths[i]!))
          .join('  ')}
      </Text>
      <Box flexDirection="column" height={listHeight}>
        {visible.length === 0 ? <Text dimColor>  no role matches “{state.query}” (ctrl-u clears)</Text> : null}
        {visible.map((m, n) => {
          const isSelected = state.top + n === state.selected;
          return (
            <Text key={m.row.id} wrap="truncate-end" inverse={isSelected && color}>
              {rowSegments(isSelected ? '▸ ' : '  ', m.row.cells, m.highlights, widths).map((s, k) =>
                s.highlight ? (
                  <Text key={k} bold underline={!color} color={color ? 'yellow' : undefined}>
                    {s.text}
                  </Text>
                ) : (
                  s.text
                ),
              )}
            </Text>
          );
        })}
      </Box>
      {overlay.kind === 'mfa' ? (
        <Text wrap="truncate-end">
          <Text bold>MFA code</Text> for the corp session{overlay.problem ? '' : ' (asked once for this visit)'}: {overlay.code.padEnd(6, '_')} ·{' '}
          {overlay.problem ? <Text color={color ? 'red' : undefined}>{overlay.problem}</Text> : 'Enter ok'} · Esc cancel
        </Text>
      ) : overlay.kind === 'busy' ? (
        <Text wrap="truncate-end">{sanitizeRemoteText(overlay.label)}</Text>
      ) : (
        <Text wrap="truncate-end" color={color && message ? (message.kind === 'error' ? 'red' : message.kind === 'ok' ? 'green' : undefined) : undefined}>
          {message ? sanitizeRemoteText(message.text) : ' '}
        </Text>
      )}
      <Text dimColor wrap="truncate-end">
        {footerLine(footerKeys(watchKey), columns)}
      </Text>
    </Box>
  );
}
