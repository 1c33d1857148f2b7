import { eastAsianWidth } from 'get-east-asian-width';

// Drawn on the cell of the character before them, or not at all.
const ZERO_WIDTH = /^[\p{Mark}\p{Cc}\p{Cf}\p{Cs}\p{Default_Ignorable_Code_Point}]$/u;

function charWidth(ch: string): number {
  return ZERO_WIDTH.test(ch) ? 0 : eastAsianWidth(ch.codePointAt(0)!, { ambiguousAsWide: false });
}

/** How many terminal cells `text` takes: two for a wide (CJK, emoji) character, none for a combining mark. */
export function cellWidth(text: string): number {
  // Most names are ASCII: counted by their length.
  if (/^[\x20-\x7e]*$/.test(text)) return text.length;
  let width = 0;
  for (const ch of text) width += charWidth(ch);
  return width;
}

/**
 * `text` in at most `width` terminal cells: as it is when it fits, else cut at a character
 * (never inside one, never between a character and its marks) and ended with `…`.
 */
export function fitCells(text: string, width: number): string {
  if (cellWidth(text) <= width) return text;
  if (width <= 0) return '';
  let kept = '';
  let used = 0;
  for (const ch of text) {
    const w = charWidth(ch);
    if (used + w > width - 1) break;
    kept += ch;
    used += w;
  }
  return `${kept}…`;
}

/** `text` fitted to `width` cells (see {@link fitCells}) and padded with spaces to fill them. */
export function padCells(text: string, width: number): string {
  const fitted = fitCells(text, width);
  return fitted + ' '.repeat(Math.max(0, width - cellWidth(fitted)));
}
