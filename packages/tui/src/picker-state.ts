import { highlightRow, queryTerms, scoreRow, type FilterRow, type RowMatch } from './fuzzy.js';

/** The order of the list before any filter: recently used first, or by name. */
export type PickerOrder = 'frecency' | 'alphabetical';

/** What the picker shows: the query, the matching rows, the selection and the visible window. */
export interface PickerState<R extends FilterRow = FilterRow> {
  /** All rows, alphabetical. */
  readonly rows: readonly R[];
  readonly lowered: readonly (readonly string[])[];
  /** Frecency score by row id; absent is never used. */
  readonly scores: ReadonlyMap<string, number>;
  readonly order: PickerOrder;
  readonly query: string;
  /** The rows in the chosen order, with their lower-cased cells. */
  readonly base: { readonly rows: readonly R[]; readonly lowered: readonly (readonly string[])[] };
  /** The matching rows in base order: where the next, longer query looks. */
  readonly hits: readonly RowHit<R>[];
  /** The matching rows, best first. */
  readonly matches: readonly RowHit<R>[];
  /** Index of the highlighted match. */
  readonly selected: number;
  /** Index of the first visible match. */
  readonly top: number;
  /** How many rows fit on screen. */
  readonly height: number;
}

/** A row that matches the query: its place in the base order and its score. */
export interface RowHit<R extends FilterRow = FilterRow> {
  readonly row: R;
  readonly index: number;
  readonly score: number;
}

export type PickerAction<R extends FilterRow = FilterRow> =
  | { readonly type: 'rows'; readonly rows: readonly R[]; readonly scores?: ReadonlyMap<string, number> }
  | { readonly type: 'type'; readonly text: string }
  | { readonly type: 'backspace' }
  | { readonly type: 'clear' }
  | { readonly type: 'move'; readonly by: number }
  | { readonly type: 'page'; readonly by: 1 | -1 }
  | { readonly type: 'home' }
  | { readonly type: 'end' }
  | { readonly type: 'resize'; readonly height: number }
  | { readonly type: 'toggle-order' };

/** An empty picker showing `height` rows. */
export function initialPickerState<R extends FilterRow>(height: number, order: PickerOrder = 'frecency'): PickerState<R> {
  return { rows: [], lowered: [], scores: new Map(), order, query: '', base: { rows: [], lowered: [] }, hits: [], matches: [], selected: 0, top: 0, height: Math.max(1, height) };
}

function ordered<R extends FilterRow>(rows: readonly R[], lowered: readonly (readonly string[])[], scores: ReadonlyMap<string, number>, order: PickerOrder) {
  const index = rows.map((_, i) => i);
  if (order === 'frecency') index.sort((a, b) => (scores.get(rows[b]!.id) ?? 0) - (scores.get(rows[a]!.id) ?? 0) || a - b);
  return { rows: index.map((i) => rows[i]!), lowered: index.map((i) => lowered[i]!) };
}

/** Keeps the selection inside the matches and the window around the selection. */
function settle<R extends FilterRow>(state: PickerState<R>, selected: number): PickerState<R> {
  const last = state.matches.length - 1;
  const sel = last < 0 ? 0 : Math.min(Math.max(selected, 0), last);
  let top = Math.min(state.top, Math.max(0, state.matches.length - state.height));
  if (sel < top) top = sel;
  if (sel >= top + state.height) top = sel - state.height + 1;
  return { ...state, selected: sel, top: Math.max(0, top) };
}

/**
 * Recomputes the matches; the highlighted row stays highlighted when it still matches. A query
 * that only grows (typing) can only narrow the rows, so it looks among the last hits alone.
 */
function refilter<R extends FilterRow>(state: PickerState<R>, options: { keepSelection: boolean; reorder: boolean; previousQuery?: string }): PickerState<R> {
  const keepId = options.keepSelection ? state.matches[state.selected]?.row.id : undefined;
  const base = options.reorder ? ordered(state.rows, state.lowered, state.scores, state.order) : state.base;
  const terms = queryTerms(state.query);
  const narrowing = !options.reorder && options.previousQuery !== undefined && options.previousQuery !== '' && state.query.startsWith(options.previousQuery);
  const hits: RowHit<R>[] = [];
  if (narrowing) {
    for (const hit of state.hits) {
      const score = scoreRow(base.lowered[hit.index]!, terms);
      if (score >= 0) hits.push(score === hit.score ? hit : { ...hit, score });
    }
  } else {
    for (let i = 0; i < base.rows.length; i++) {
      const score = terms.length === 0 ? 0 : scoreRow(base.lowered[i]!, terms);
      if (score >= 0) hits.push({ row: base.rows[i]!, index: i, score });
    }
  }
  // Array.prototype.sort is stable: equal scores keep the base order.
  const matches = terms.length === 0 ? hits : [...hits].sort((a, b) => b.score - a.score);
  const at = keepId === undefined ? 0 : Math.max(0, matches.findIndex((m) => m.row.id === keepId));
  return settle({ ...state, base, hits, matches, top: options.keepSelection ? state.top : 0 }, at);
}

/** The cells a query looks in, lower-cased; a cell only shown is empty, so nothing matches in it. */
function searchedCells(row: FilterRow): string[] {
  const searched = row.searched ?? row.cells.length;
  return row.cells.map((c, i) => (i < searched ? c.toLowerCase() : ''));
}

/** The picker's state machine: pure, so every key is tested without a terminal. */
export function pickerReducer<R extends FilterRow>(state: PickerState<R>, action: PickerAction<R>): PickerState<R> {
  switch (action.type) {
    case 'rows':
      return refilter(
        { ...state, rows: action.rows, lowered: action.rows.map(searchedCells), scores: action.scores ?? state.scores },
        { keepSelection: true, reorder: true },
      );
    case 'type':
      return action.text === '' ? state : refilter({ ...state, query: state.query + action.text }, { keepSelection: false, reorder: false, previousQuery: state.query });
    case 'backspace':
      return state.query === '' ? state : refilter({ ...state, query: state.query.slice(0, -1) }, { keepSelection: false, reorder: false });
    case 'clear':
      return state.query === '' ? state : refilter({ ...state, query: '' }, { keepSelection: false, reorder: false });
    case 'move':
      return settle(state, state.selected + action.by);
    case 'page':
      return settle({ ...state, top: Math.max(0, state.top + action.by * state.height) }, state.selected + action.by * state.height);
    case 'home':
      return settle(state, 0);
    case 'end':
      return settle(state, state.matches.length - 1);
    case 'resize':
      return settle({ ...state, height: Math.max(1, action.height) }, state.selected);
    case 'toggle-order':
      return refilter({ ...state, order: state.order === 'frecency' ? 'alphabetical' : 'frecency' }, { keepSelection: true, reorder: true });
  }
}

/** The matches on screen, with their highlights (computed for these rows only). */
export function visibleMatches<R extends FilterRow>(state: PickerState<R>): RowMatch<R>[] {
  const terms = queryTerms(state.query);
  return state.matches.slice(state.top, state.top + state.height).map((hit) => ({
    row: hit.row,
    score: hit.score,
    highlights: terms.length === 0 ? hit.row.cells.map(() => []) : highlightRow(state.base.lowered[hit.index]!, terms),
  }));
}
