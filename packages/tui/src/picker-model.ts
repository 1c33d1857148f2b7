/**
 * The picker's state and what changes it: the roles and their statuses, the phase of reading
 * the list, the overlay (MFA code, busy), the message line, and the commands run on a role.
 * Every effect goes through the services; errors become the message, never thrown.
 */
import type { Key } from 'ink';
import { useCallback, useEffect, useRef, useState, type SetStateAction } from 'react';
import { AnwbisError, describeStatus, NoDelegatedRolesError, sanitizeRemoteText, type AssumeResult, type DelegatedRole, type DiscoveryProgress, type RoleStatus } from '@anwbis/core';
import type { FilterRow } from './fuzzy.js';
import { initialPickerState, pickerReducer, type PickerAction, type PickerState } from './picker-state.js';
import { isPrintable } from './picker-keys.js';
import { exportLines, readList, type ListRead, type PickerServices } from './services.js';
import { ROLE_COLUMNS } from './table.js';

/** How a visit to the picker ended. */
export type PickerOutcome = { readonly kind: 'quit' } | { readonly kind: 'assumed'; readonly role: DelegatedRole; readonly result: AssumeResult };

export interface RoleRow extends FilterRow {
  readonly role: DelegatedRole;
}

export type Phase =
  | { readonly kind: 'loading'; readonly progress?: DiscoveryProgress }
  | { readonly kind: 'empty'; readonly error: AnwbisError }
  | { readonly kind: 'error'; readonly error: Error }
  | { readonly kind: 'ready' };

export type Action = 'assume' | 'console' | 'copy' | 'watch';
export type Overlay =
  | { readonly kind: 'none' }
  | { readonly kind: 'mfa'; readonly code: string; readonly action: Action; readonly role: DelegatedRole; readonly problem?: string }
  | { readonly kind: 'busy'; readonly label: string };

/** What the CLI's prompt says to a code that is not one (core's mfa/code.ts). */
const NOT_SIX_DIGITS = 'That is not six digits';
export interface Message {
  readonly kind: 'ok' | 'error' | 'info';
  readonly text: string;
}

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

export function messageOf(error: unknown): Message {
  if (error instanceof AnwbisError) return { kind: 'error', text: error.next ? `${error.message}; ${error.next}` : error.message };
  return { kind: 'error', text: `unexpected error (please report it): ${(error as Error)?.message ?? String(error)}` };
}

export interface PickerModelProps {
  readonly services: PickerServices;
  readonly initial: ListRead | undefined;
  readonly exitOnAssume: boolean;
  /** Ends the visit. */
  readonly quit: (outcome?: PickerOutcome) => void;
  readonly listHeight: number;
}

/** The picker's state, and the commands a key may run. */
export function usePickerModel({ services, initial, exitOnAssume, quit, listHeight }: PickerModelProps) {
  const [message, setMessage] = useState<Message | undefined>();
  const list = useRoleList(services, initial, listHeight, setMessage);
  const commands = useRoleCommands(services, exitOnAssume, quit, list, setMessage);
  return { ...list, ...commands, message, setMessage };
}

type SetMessage = (message: Message | undefined) => void;

/** The roles and their statuses, read and kept current, and the list's state (query, order, highlight). */
function useRoleList(services: PickerServices, initial: ListRead | undefined, listHeight: number, setMessage: SetMessage) {
  // State the key handler reads lives in refs as well: keys typed faster than React renders
  // (a pasted code and its Enter in one chunk) must see what the keys before them did.
  const data = useRef<RowData>({ roles: initial?.list.roles ?? [], statuses: initial?.statuses ?? new Map(), watched: undefined });
  const [state, dispatch, stateRef] = useMirror<PickerState<RoleRow>, PickerAction<RoleRow>>(() => {
    const empty = initialPickerState<RoleRow>(listHeight);
    return initial ? pickerReducer(empty, { type: 'rows', rows: rowsOf(data.current, services.now()), scores: initial.scores }) : empty;
  }, pickerReducer);
  const [phase, setPhase, phaseRef] = useMirror<Phase, SetStateAction<Phase>>(() => ({ kind: initial ? 'ready' : 'loading' }), applyUpdate);
  const [userName, setUserName] = useState(initial?.list.userName ?? '');

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

  return { data, state, dispatch, stateRef, phase, phaseRef, userName, showRows, refreshStatuses, load };
}

/** What runs on a role (assume, console, copy, watch), the MFA code asked for it, and the overlay while it runs. */
function useRoleCommands(
  services: PickerServices,
  exitOnAssume: boolean,
  quit: (outcome?: PickerOutcome) => void,
  { data, showRows, refreshStatuses }: Pick<ReturnType<typeof useRoleList>, 'data' | 'showRows' | 'refreshStatuses'>,
  setMessage: SetMessage,
) {
  const [overlay, setOverlay, overlayRef] = useMirror<Overlay, SetStateAction<Overlay>>(() => ({ kind: 'none' }), applyUpdate);

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

  /** A key while the MFA code is asked: Esc cancels, Enter sends six digits, anything else edits the code. */
  const codeKey = (overlay: Extract<Overlay, { kind: 'mfa' }>, input: string, key: Key): void => {
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
  };

  return { overlay, setOverlay, overlayRef, act, toggleWatch, codeKey };
}
