import { describe, expect, it } from '@jest/globals';
import { cellSegments, layoutColumns, ROLE_COLUMNS, rowSegments } from './table.js';

const LONGEST = [8, 3, 15, 12, 19, 13];

describe('layoutColumns', () => {
  it.each([
    [200, [8, 3, 15, 12, 19, 13]],
    [80, [8, 3, 15, 12, 17, 13]],
    [62, [8, 3, 15, 12, 0, 13]],
    [60, [8, 3, 14, 12, 0, 13]],
  ])('at %i columns gives %j', (width, expected) => {
    const widths = layoutColumns(ROLE_COLUMNS, LONGEST, width);
    expect(widths).toEqual(expected);
    const shown = widths.filter((w) => w > 0);
    expect(shown.reduce((a, b) => a + b, 0) + (shown.length - 1) * 2 + 2).toBeLessThanOrEqual(width);
  });
});

describe('cellSegments', () => {
  it.each([
    ['bulk', [0, 1], 6, [{ text: 'bu', highlight: true }, { text: 'lk  ', highlight: false }]],
    ['datalab', [0, 6], 5, [{ text: 'd', highlight: true }, { text: 'ata…', highlight: false }]],
    ['dev', [], 3, [{ text: 'dev', highlight: false }]],
    // Cut by terminal cells: each character takes two; the one cut off loses its highlight.
    ['雪山雪山', [0, 2], 5, [{ text: '雪', highlight: true }, { text: '山…', highlight: false }]],
    ['雪山', [], 6, [{ text: '雪山  ', highlight: false }]],
  ])('%j with %j in %i', (text, highlights, width, expected) => {
    expect(cellSegments(text, highlights, width)).toEqual(expected);
  });
});

describe('rowSegments', () => {
  it.each([
    ['no highlight: one run', '▸ ', ['bulk', 'e07', 'admin'], [[], [], []], [6, 3, 5], [{ text: '▸ bulk    e07  admin', highlight: false }]],
    [
      'highlights across cells, hidden column skipped',
      '  ',
      ['bulk', 'e07', '111111111111', 'admin'],
      [[0, 1], [0], [0], [4]],
      [4, 3, 0, 5],
      [
        { text: '  ', highlight: false },
        { text: 'bu', highlight: true },
        { text: 'lk  ', highlight: false },
        { text: 'e', highlight: true },
        { text: '07  admi', highlight: false },
        { text: 'n', highlight: true },
      ],
    ],
    ['first column hidden: no leading gap', '  ', ['x', 'dev'], [[], [0, 1, 2]], [0, 3], [{ text: '  ', highlight: false }, { text: 'dev', highlight: true }]],
  ])('%s', (_name, marker, cells, highlights, widths, expected) => {
    expect(rowSegments(marker, cells, highlights, widths)).toEqual(expected);
  });
});
