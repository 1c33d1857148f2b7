import { describe, expect, it } from '@jest/globals';
import type { FilterRow } from './fuzzy.js';
import { filterRows } from './testing/reference-filter.js';
import { initialPickerState, pickerReducer, visibleMatches, type PickerAction, type PickerState } from './picker-state.js';

const rows: FilterRow[] = Array.from({ length: 30 }, (_, i) => ({ id: `r${i}`, cells: [`p${String(i).padStart(2, '0')}`, i % 2 ? 'dev' : 'pro', 'admin'] }));
const run = (actions: PickerAction[], height = 5): PickerState => actions.reduce(pickerReducer, pickerReducer(initialPickerState(height, 'alphabetical'), { type: 'rows', rows }));
const view = (s: PickerState) => ({ selected: s.matches[s.selected]?.row.id, top: s.top, visible: visibleMatches(s).map((m) => m.row.id) });

describe('pickerReducer', () => {
  it.each<[string, PickerAction[], { selected: string | undefined; top: number; visible: string[] }]>([
    ['starts at the top', [], { selected: 'r0', top: 0, visible: ['r0', 'r1', 'r2', 'r3', 'r4'] }],
    ['down moves the selection', [{ type: 'move', by: 1 }], { selected: 'r1', top: 0, visible: ['r0', 'r1', 'r2', 'r3', 'r4'] }],
    ['up at the top stays', [{ type: 'move', by: -1 }], { selected: 'r0', top: 0, visible: ['r0', 'r1', 'r2', 'r3', 'r4'] }],
    ['moving past the window scrolls it', Array(6).fill({ type: 'move', by: 1 }), { selected: 'r6', top: 2, visible: ['r2', 'r3', 'r4', 'r5', 'r6'] }],
    ['page down moves a screen', [{ type: 'page', by: 1 }], { selected: 'r5', top: 5, visible: ['r5', 'r6', 'r7', 'r8', 'r9'] }],
    ['page up after page down returns', [{ type: 'page', by: 1 }, { type: 'page', by: -1 }], { selected: 'r0', top: 0, visible: ['r0', 'r1', 'r2', 'r3', 'r4'] }],
    ['end goes to the last row', [{ type: 'end' }], { selected: 'r29', top: 25, visible: ['r25', 'r26', 'r27', 'r28', 'r29'] }],
    ['home after end', [{ type: 'end' }, { type: 'home' }], { selected: 'r0', top: 0, visible: ['r0', 'r1', 'r2', 'r3', 'r4'] }],
    ['page down at the end stays on the last row', [{ type: 'end' }, { type: 'page', by: 1 }], { selected: 'r29', top: 25, visible: ['r25', 'r26', 'r27', 'r28', 'r29'] }],
    ['typing filters and selects the first match', [{ type: 'end' }, { type: 'type', text: 'p1' }], { selected: 'r10', top: 0, visible: ['r10', 'r11', 'r12', 'r13', 'r14'] }],
    ['terms narrow', [{ type: 'type', text: 'p1 ' }, { type: 'type', text: 'dev' }], { selected: 'r11', top: 0, visible: ['r11', 'r13', 'r15', 'r17', 'r19'] }],
    ['backspace widens', [{ type: 'type', text: 'p11' }, { type: 'backspace' }, { type: 'backspace' }], { selected: 'r0', top: 0, visible: ['r0', 'r1', 'r2', 'r3', 'r4'] }],
    ['no match: nothing selected', [{ type: 'type', text: 'zzz' }, { type: 'move', by: 1 }], { selected: undefined, top: 0, visible: [] }],
    ['clear shows all again', [{ type: 'type', text: 'zzz' }, { type: 'clear' }], { selected: 'r0', top: 0, visible: ['r0', 'r1', 'r2', 'r3', 'r4'] }],
    ['a smaller window keeps the selection visible', [{ type: 'move', by: 4 }, { type: 'resize', height: 2 }], { selected: 'r4', top: 3, visible: ['r3', 'r4'] }],
    ['a larger window shows more', [{ type: 'end' }, { type: 'resize', height: 40 }], { selected: 'r29', top: 0, visible: rows.map((r) => r.id) }],
  ])('%s', (_name, actions, expected) => {
    expect(view(run(actions))).toEqual(expected);
  });

  it('frecency puts used rows first, most used first; toggling keeps the selected row', () => {
    const scores = new Map([
      ['r20', 50],
      ['r7', 300],
    ]);
    let s = pickerReducer(initialPickerState<FilterRow>(5, 'frecency'), { type: 'rows', rows, scores });
    expect(visibleMatches(s).map((m) => m.row.id)).toEqual(['r7', 'r20', 'r0', 'r1', 'r2']);
    s = pickerReducer(s, { type: 'move', by: 1 });
    s = pickerReducer(s, { type: 'toggle-order' });
    expect(s.order).toBe('alphabetical');
    expect(s.matches[s.selected]?.row.id).toBe('r20');
    expect(visibleMatches(s).map((m) => m.row.id)).toContain('r20');
  });

  it('new rows (a refresh) keep the highlighted row when it is still there', () => {
    let s = run([{ type: 'move', by: 3 }]);
    s = pickerReducer(s, { type: 'rows', rows: rows.filter((r) => r.id !== 'r1') });
    expect(s.matches[s.selected]?.row.id).toBe('r3');
    s = pickerReducer(s, { type: 'rows', rows: rows.filter((r) => r.id !== 'r3') });
    expect(s.matches[s.selected]?.row.id).toBe('r0');
  });
});

describe('typing narrows among the last matches', () => {
  it.each(['p1 dev', 'p2 pro adm', 'dv p', 'admin p0', 'p 1'])('gives what filtering all rows gives, key by key: %j', (query) => {
    let s = pickerReducer(initialPickerState<FilterRow>(50, 'alphabetical'), { type: 'rows', rows });
    for (let i = 1; i <= query.length; i++) {
      s = pickerReducer(s, { type: 'type', text: query[i - 1]! });
      const full = filterRows(rows, rows.map((r) => r.cells.map((c) => c.toLowerCase())), query.slice(0, i));
      expect(s.matches.map((m) => [m.row.id, m.score])).toEqual(full.map((m) => [m.row.id, m.score]));
      expect(visibleMatches(s).map((m) => m.highlights)).toEqual(full.slice(0, 50).map((m) => m.highlights));
    }
  });
});
