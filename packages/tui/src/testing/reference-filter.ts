/**
 * The plain filter: every row scored and highlighted from scratch. The picker's own filter
 * (picker-state.ts) narrows among the last matches and highlights only the rows on screen;
 * its tests hold it to this one.
 */
import { highlightRow, queryTerms, scoreRow, type FilterRow, type RowMatch } from '../fuzzy.js';

/** One row against the terms, with its highlights; undefined when it does not match. */
export function matchRow<R extends FilterRow>(row: R, lowered: readonly string[], terms: readonly string[]): RowMatch<R> | undefined {
  const score = scoreRow(lowered, terms);
  return score < 0 ? undefined : { row, highlights: highlightRow(lowered, terms), score };
}

/**
 * The rows that match a query, best first: rows where more terms matched as whole substrings
 * come first, otherwise the given order is kept so the list does not jump while typing.
 */
export function filterRows<R extends FilterRow>(rows: readonly R[], lowered: readonly (readonly string[])[], query: string): RowMatch<R>[] {
  const terms = queryTerms(query);
  const out: RowMatch<R>[] = [];
  for (let i = 0; i < rows.length; i++) {
    const m = matchRow(rows[i]!, lowered[i]!, terms);
    if (m) out.push(m);
  }
  // Array.prototype.sort is stable: equal scores keep the given order.
  return out.sort((a, b) => b.score - a.score);
}
