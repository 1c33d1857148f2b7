/** What the picker draws: the title, the screen while there is no list, the list, the line under it, the footer. */
import { Box, Text } from 'ink';
import type { ReactElement } from 'react';
import { sanitizeRemoteText } from '@anwbis/core';
import { messageOf, type Message, type Overlay, type Phase, type RoleRow } from './picker-model.js';
import { visibleMatches, type PickerState } from './picker-state.js';
import { footerLine, MARKER_WIDTH, ROLE_COLUMNS, rowSegments, type FooterKey } from './table.js';

/** The first line: the name, and once the list is read how many roles match, whose, in which order. */
export function Title({ phase, state, userName, color }: { phase: Phase; state: PickerState<RoleRow>; userName: string; color: boolean }) {
  return (
    <Text wrap="truncate-end">
      <Text bold color={color ? 'cyan' : undefined}>
        anwbis
      </Text>
      {phase.kind === 'ready' ? ` · ${state.matches.length}/${state.rows.length} roles of ${sanitizeRemoteText(userName)} · ${state.order === 'frecency' ? 'recently used first' : 'alphabetical'}` : ''}
    </Text>
  );
}

/** The screen while the list is read, or when it could not be. */
export function NotReady({ phase, title, lines, color }: { phase: Exclude<Phase, { kind: 'ready' }>; title: ReactElement; lines: number; color: boolean }) {
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

/** The query line. */
export function Query({ query, color }: { query: string; color: boolean }) {
  return (
    <Text wrap="truncate-end">
      <Text color={color ? 'cyan' : undefined}>› </Text>
      {query}
      <Text inverse> </Text>
    </Text>
  );
}

/** The column titles and the rows on screen, the highlighted one marked, matched characters stressed. */
export function RoleTable({ state, widths, listHeight, color }: { state: PickerState<RoleRow>; widths: readonly number[]; listHeight: number; color: boolean }) {
  const shown = (cells: readonly string[]) => cells.map((c, i) => ({ c, i })).filter(({ i }) => widths[i]! > 0);
  const visible = visibleMatches(state);
  return (
    <>
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
    </>
  );
}

/** The line under the list: the MFA code asked, what is being done, or the last message. */
export function StatusLine({ overlay, message, color }: { overlay: Overlay; message: Message | undefined; color: boolean }) {
  if (overlay.kind === 'mfa') {
    return (
      <Text wrap="truncate-end">
        <Text bold>MFA code</Text> for the corp session{overlay.problem ? '' : ' (asked once for this visit)'}: {overlay.code.padEnd(6, '_')} ·{' '}
        {overlay.problem ? <Text color={color ? 'red' : undefined}>{overlay.problem}</Text> : 'Enter ok'} · Esc cancel
      </Text>
    );
  }
  if (overlay.kind === 'busy') return <Text wrap="truncate-end">{sanitizeRemoteText(overlay.label)}</Text>;
  return (
    <Text wrap="truncate-end" color={color && message ? (message.kind === 'error' ? 'red' : message.kind === 'ok' ? 'green' : undefined) : undefined}>
      {message ? sanitizeRemoteText(message.text) : ' '}
    </Text>
  );
}

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

export function Footer({ watchKey, columns }: { watchKey: 'watch' | 'unwatch'; columns: number }) {
  return (
    <Text dimColor wrap="truncate-end">
      {footerLine(footerKeys(watchKey), columns)}
    </Text>
  );
}
