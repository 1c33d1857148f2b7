/** A row the picker filters: an id and the texts of its columns (hidden columns count too). */
export interface FilterRow {
  readonly id: string;
  readonly cells: readonly string[];
}

/** A row that matched a query, with the matched character positions of each cell. */
export interface RowMatch<R extends FilterRow = FilterRow> {
  readonly row: R;
  /** Per cell, the sorted indices of matched characters (empty when none). */
  readonly highlights: readonly (readonly number[])[];
  /** How many terms matched as whole substrings; better matches sort first. */
  readonly score: number;
}

/** The space-separated terms of a query, lower-cased. */
export function queryTerms(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter((t) => t !== '');
}

function subsequence(term: string, text: string): number[] | undefined {
  const at: number[] = [];
  let from = 0;
  for (const ch of term) {
    const i = text.indexOf(ch, from);
    if (i === -1) return undefined;
    at.push(i);
    from = i + 1;
  }
  return at;
}

/**
 * Matches one row against the terms: every term must be found in some cell, as a substring
 * (preferred) or else as a subsequence of its characters (`bk` finds `bulk`), ignoring case.
 * @param lowered the row's cells already lower-cased (computed once per row, not per keystroke).
 */
export function matchRow<R extends FilterRow>(row: R, lowered: readonly string[], terms: readonly string[]): RowMatch<R> | undefined {
  const marks = lowered.map(() => new Set<number>());
  let score = 0;
  for (const term of terms) {
    let found = false;
    for (let c = 0; c < lowered.length && !found; c++) {
      const i = lowered[c]!.indexOf(term);
      if (i !== -1) {
        for (let k = 0; k < term.length; k++) marks[c]!.add(i + k);
        score++;
        found = true;
      }
    }
    for (let c = 0; c < lowered.length && !found; c++) {
      const at = subsequence(term, lowered[c]!);
      if (at) {
        for (const i of at) marks[c]!.add(i);
        found = true;
      }
    }
    if (!found) return undefined;
  }
  return { row, highlights: marks.map((m) => [...m].sort((a, b) => a - b)), score };
}

/**
 * The rows that match a query, best first: rows where more terms matched as whole substrings
 * come first, otherwise the given order is kept so the list does not jump while typing.
 */
export function filterRows<R extends FilterRow>(rows: readonly R[], lowered: readonly (readonly string[])[], query: string): RowMatch<R>[] {
  const terms = queryTerms(query);
  if (terms.length === 0) return rows.map((row) => ({ row, highlights: row.cells.map(() => []), score: 0 }));
  const out: RowMatch<R>[] = [];
  for (let i = 0; i < rows.length; i++) {
    const m = matchRow(rows[i]!, lowered[i]!, terms);
    if (m) out.push(m);
  }
  // Array.prototype.sort is stable: equal scores keep the given order.
  return out.sort((a, b) => b.score - a.score);
}
