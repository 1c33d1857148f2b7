import { cellWidth, fitCells } from '@anwbis/core';
import type { FilterRow } from './fuzzy.js';

/** A picker column: its title, and how wide it may get. */
export interface Column {
  readonly title: string;
  readonly min: number;
  readonly max: number;
  /** Dropped first when the terminal is narrow (higher goes first); 0 never. */
  readonly drop: number;
}

/** Columns of the role picker, in the order of a row's cells. */
export const ROLE_COLUMNS: readonly Column[] = [
  { title: 'PROJECT', min: 7, max: 20, drop: 0 },
  { title: 'ENV', min: 3, max: 10, drop: 0 },
  { title: 'ROLE', min: 6, max: 24, drop: 0 },
  { title: 'ACCOUNT', min: 12, max: 12, drop: 2 },
  { title: 'PROFILE', min: 12, max: 34, drop: 1 },
  { title: 'STATUS', min: 11, max: 26, drop: 0 },
];

const GAP = 2;
/** The selection marker and its space. */
export const MARKER_WIDTH = 2;

/**
 * Widths for the columns in `width` terminal cells (0 = hidden): each as wide as its longest
 * value allows, the widest shrunk first, and the PROFILE, then ACCOUNT, columns dropped when
 * even their minimum widths do not fit.
 */
export function layoutColumns(columns: readonly Column[], longest: readonly number[], width: number): number[] {
  const available = width - MARKER_WIDTH;
  const drops = [...new Set(columns.map((c) => c.drop).filter((d) => d > 0))].sort((a, b) => a - b);
  for (let dropped = 0; dropped <= drops.length; dropped++) {
    const hidden = new Set(drops.slice(0, dropped));
    const shown = columns.map((c) => !hidden.has(c.drop) || c.drop === 0);
    const widths = columns.map((c, i) => (shown[i] ? Math.max(c.min, Math.min(c.max, Math.max(longest[i] ?? 0, c.title.length))) : 0));
    const gaps = (shown.filter(Boolean).length - 1) * GAP;
    let total = widths.reduce((a, b) => a + b, 0) + gaps;
    while (total > available) {
      let widest = -1;
      for (let i = 0; i < widths.length; i++) if (widths[i]! > columns[i]!.min && (widest === -1 || widths[i]! > widths[widest]!)) widest = i;
      if (widest === -1) break;
      widths[widest]!--;
      total--;
    }
    if (total <= available) return widths;
  }
  return columns.map((c) => (c.drop === 0 ? c.min : 0));
}

/** One cell cut to `width`: the text, padded, and which of its characters are highlighted. */
export interface CellSegment {
  readonly text: string;
  readonly highlight: boolean;
}

/**
 * The cell as runs of highlighted and plain text, cut to `width` terminal cells with `…` and
 * padded, so a renderer only styles runs.
 */
export function cellSegments(text: string, highlights: readonly number[], width: number): CellSegment[] {
  const fitted = fitCells(text, width);
  const kept = fitted === text ? text.length : fitted.length - 1;
  const cut = fitted + ' '.repeat(Math.max(0, width - cellWidth(fitted)));
  const marked = new Set(highlights.filter((i) => i < kept));
  const segments: CellSegment[] = [];
  for (let i = 0; i < cut.length; i++) {
    const highlight = marked.has(i);
    const last = segments.at(-1);
    if (last && last.highlight === highlight) segments[segments.length - 1] = { text: last.text + cut[i], highlight };
    else segments.push({ text: cut[i]!, highlight });
  }
  return segments;
}

/**
 * A whole row as runs of highlighted and plain text: `marker`, then each shown cell (width > 0)
 * cut or padded to its width, two spaces apart. Neighbouring runs alike are one run, so a row
 * without highlights is one string: every run is a node Ink lays out and styles, and the first
 * frame draws a screenful of rows.
 */
export function rowSegments(marker: string, cells: readonly string[], highlights: readonly (readonly number[] | undefined)[], widths: readonly number[]): CellSegment[] {
  const segments: CellSegment[] = [];
  const push = (segment: CellSegment) => {
    const last = segments.at(-1);
    if (last && last.highlight === segment.highlight) segments[segments.length - 1] = { text: last.text + segment.text, highlight: last.highlight };
    else if (segment.text !== '') segments.push(segment);
  };
  push({ text: marker, highlight: false });
  let first = true;
  cells.forEach((cell, i) => {
    const width = widths[i] ?? 0;
    if (width <= 0) return;
    if (!first) push({ text: ' '.repeat(GAP), highlight: false });
    first = false;
    for (const segment of cellSegments(cell, highlights[i] ?? [], width)) push(segment);
  });
  return segments;
}

/** The widest value (in terminal cells) of each cell over all rows, for {@link layoutColumns}: columns do not jump while filtering. */
export function longestCells(rows: readonly FilterRow[], cells: number): number[] {
  const longest = new Array<number>(cells).fill(0);
  for (const row of rows) row.cells.forEach((c, i) => (longest[i] = Math.max(longest[i]!, cellWidth(c))));
  return longest;
}

/** A key of the picker's footer: its label, and how soon it goes when the line is too narrow (higher first; 0 never). */
export interface FooterKey {
  readonly label: string;
  readonly drop: number;
}

const FOOTER_SEPARATOR = ' · ';

/**
 * The footer line for `width` cells: the keys in their order, leaving out those dropped first
 * until the line fits, so the keys that never drop (assume, quit) always show.
 */
export function footerLine(keys: readonly FooterKey[], width: number): string {
  let shown = [...keys];
  const line = () => shown.map((k) => k.label).join(FOOTER_SEPARATOR);
  while (line().length > width) {
    const next = shown.reduce<FooterKey | undefined>((worst, k) => (k.drop > 0 && (!worst || k.drop >= worst.drop) ? k : worst), undefined);
    if (!next) break;
    shown = shown.filter((k) => k !== next);
  }
  return line();
}
