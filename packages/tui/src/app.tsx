import { Box, Text, useApp, useInput, useWindowSize, type Key } from 'ink';
import { useCallback, useMemo } from 'react';
import { isPrintable, listKey, splitInput } from './picker-keys.js';
import { usePickerModel, type PickerOutcome } from './picker-model.js';
import { Footer, NotReady, Query, RoleTable, StatusLine, Title } from './picker-view.js';
import type { ListRead, PickerServices } from './services.js';
import { layoutColumns, longestCells, ROLE_COLUMNS } from './table.js';

export type { PickerOutcome } from './picker-model.js';

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

/** The full-screen role picker. Every effect goes through `services`; errors are shown, never thrown. */
export function PickerApp({ services, initial, exitOnAssume, color, onExit }: PickerAppProps) {
  const { exit } = useApp();
  const { columns, rows: lines } = useWindowSize();
  const listHeight = Math.max(1, lines - CHROME_LINES);
  const quit = useCallback(
    (outcome: PickerOutcome = { kind: 'quit' }) => {
      onExit(outcome);
      exit();
    },
    [exit, onExit],
  );
  const model = usePickerModel({ services, initial, exitOnAssume, quit, listHeight });
  const { data, state, phase, overlay, message, userName } = model;

  const onKey = (input: string, key: Key): void => {
    const overlay = model.overlayRef();
    const phase = model.phaseRef();
    if (key.ctrl && input === 'c') return quit();
    if (overlay.kind === 'busy') return;
    if (overlay.kind === 'mfa') return model.codeKey(overlay, input, key);
    if (key.escape) return quit();
    if (phase.kind === 'error' || phase.kind === 'empty') {
      if (input === 'r' || (key.ctrl && input === 'r')) void model.load(true);
      return;
    }
    if (phase.kind !== 'ready') return;
    const does = listKey(input, key);
    if (does && 'list' in does) return model.dispatch(does.list);
    if (does && 'reload' in does) return void model.load(true);
    if (does) {
      const state = model.stateRef();
      const selected = state.matches[state.selected]?.row.role;
      if (!selected) return;
      model.setMessage(undefined);
      return void (does.role === 'toggle-watch' ? model.toggleWatch(selected) : model.act(does.role, selected));
    }
    if (!key.ctrl && !key.meta && isPrintable(input)) model.dispatch({ type: 'type', text: input });
  };
  useInput((input, key) => {
    for (const [one, oneKey] of splitInput(input, key)) onKey(one, oneKey);
  });

  const longest = useMemo(() => longestCells(state.rows, ROLE_COLUMNS.length), [state.rows]);
  if (columns < MIN_COLUMNS) {
    // Wrapped, not cut: on the narrowest terminals the way out is at its end.
    return <Text wrap="wrap">anwbis tui: needs {MIN_COLUMNS} columns, has {columns}; widen it or Esc</Text>;
  }
  const title = <Title phase={phase} state={state} userName={userName} color={color} />;
  if (phase.kind !== 'ready') return <NotReady phase={phase} title={title} lines={lines} color={color} />;

  const highlighted = state.matches[state.selected]?.row.role;
  const watchKey = highlighted?.profile && data.current.watched?.has(highlighted.profile) ? 'unwatch' : 'watch';
  return (
    <Box flexDirection="column" height={lines}>
      {title}
      <Query query={state.query} color={color} />
      <RoleTable state={state} widths={layoutColumns(ROLE_COLUMNS, longest, columns)} listHeight={listHeight} color={color} />
      <StatusLine overlay={overlay} message={message} color={color} />
      <Footer watchKey={watchKey} columns={columns} />
    </Box>
  );
}
