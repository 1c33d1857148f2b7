import { describe, expect, it } from '@jest/globals';
import type { FilterRow } from './fuzzy.js';
import { filterRows, matchRow } from './testing/reference-filter.js';

const rows: FilterRow[] = [
  { id: 'a', cells: ['datalab', 'dev', 'admin', '222222222222'] },
  { id: 'b', cells: ['datalab', 'pro', 'admin', '333333333333'] },
  { id: 'c', cells: ['web', 'dev', 'developer', '444444444444'] },
  { id: 'd', cells: ['bulk', 'e07', 'admin', '300000000007'] },
  { id: 'e', cells: ['bulk', 'e17', 'admin', '300000000017'] },
];
const lowered = rows.map((r) => r.cells.map((c) => c.toLowerCase()));
const ids = (query: string) => filterRows(rows, lowered, query).map((m) => m.row.id);

describe('filterRows', () => {
  it.each([
    ['', ['a', 'b', 'c', 'd', 'e']],
    ['datalab', ['a', 'b']],
    ['DEV', ['a', 'c']],
    ['dvl', ['c']],
    ['datalab dev', ['a']],
    ['pro 3333', ['b']],
    ['bulk e07', ['d']],
    ['bk e17', ['e']],
    ['  bulk   ', ['d', 'e']],
    ['nothing', []],
    ['dev zzz', []],
  ])('%j keeps %j', (query, expected) => {
    expect(ids(query)).toEqual(expected);
  });

  it('puts substring matches before subsequence-only ones, else keeps the order', () => {
    const mixed: FilterRow[] = [
      { id: 'sub', cells: ['datalab', 'dev'] },
      { id: 'whole', cells: ['lab', 'dev'] },
    ];
    expect(filterRows(mixed, mixed.map((r) => r.cells), 'lab').map((m) => m.row.id)).toEqual(['sub', 'whole']);
    expect(filterRows(mixed, mixed.map((r) => r.cells), 'lb').map((m) => m.row.id)).toEqual(['sub', 'whole']);
    expect(filterRows(mixed, mixed.map((r) => r.cells), 'dlb dev').map((m) => m.row.id)).toEqual(['sub']);
    const ranked: FilterRow[] = [
      { id: 'loose', cells: ['d-e-v'] },
      { id: 'tight', cells: ['dev'] },
    ];
    expect(filterRows(ranked, ranked.map((r) => r.cells), 'dev').map((m) => m.row.id)).toEqual(['tight', 'loose']);
  });
});

describe('matchRow', () => {
  it('marks the characters each term matched, in the cell it matched', () => {
    expect(matchRow(rows[3]!, lowered[3]!, ['bulk', 'e07'])?.highlights).toEqual([[0, 1, 2, 3], [0, 1, 2], [], []]);
    expect(matchRow(rows[0]!, lowered[0]!, ['dlb'])?.highlights).toEqual([[0, 4, 6], [], [], []]);
    expect(matchRow(rows[0]!, lowered[0]!, ['2222'])?.highlights[3]).toEqual([0, 1, 2, 3]);
  });
});
