import { describe, expect, it } from '@jest/globals';
import { cellWidth, fitCells, padCells } from './cells.js';

describe('cellWidth', () => {
  it.each<[string, number]>([
    ['admin', 5],
    ['', 0],
    ['Zürich', 6],
    ['雪山', 4],
    ['e\u0301', 1],
    ['😀', 2],
    ['▸ …', 3],
  ])('%j takes %i cells', (text, width) => {
    expect(cellWidth(text)).toBe(width);
  });
});

describe('fitCells and padCells', () => {
  it.each<[string, number, string, string]>([
    ['admin', 8, 'admin', 'admin   '],
    ['admin', 5, 'admin', 'admin'],
    ['developer', 5, 'deve…', 'deve…'],
    ['雪山雪山', 5, '雪山…', '雪山…'],
    ['雪山雪山', 4, '雪…', '雪… '],
    ['雪山', 4, '雪山', '雪山'],
    ['cafe\u0301s', 5, 'cafe\u0301s', 'cafe\u0301s'],
    ['cafe\u0301s!', 5, 'cafe\u0301…', 'cafe\u0301…'],
    ['😀😀', 3, '😀…', '😀…'],
    ['admin', 1, '…', '…'],
  ])('%j in %i cells: %j, padded %j', (text, width, fitted, padded) => {
    expect(fitCells(text, width)).toBe(fitted);
    expect(padCells(text, width)).toBe(padded);
    expect(cellWidth(padCells(text, width))).toBe(Math.max(width, cellWidth(fitted)));
  });

  it('a 5000-character name takes the width it is given', () => {
    expect(padCells(`long${'x'.repeat(5000)}`, 64)).toBe(`long${'x'.repeat(59)}…`);
  });
});
