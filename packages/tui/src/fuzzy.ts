/** A row the picker filters: an id and the texts of its columns (hidden columns count too). */
export interface FilterRow {
  readonly id: string;
  readonly cells: readonly string[];
  /** How many leading cells a query looks in (all when absent); the others are only shown. */
  readonly searched?: number;
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

function isSubsequence(term: string, text: string): boolean {
  let from = 0;
  for (let k = 0; k < term.length; k++) {
    const i = text.indexOf(term[k]!, from);
    if (i === -1) return false;
    from = i + 1;
  }
  return true;
}

/**
 * The score of a row for the terms, or -1 when it does not match: every term must be found in
 * some cell, as a substring (which scores) or else as a subsequence of its characters (`bk`
 * finds `bulk`), ignoring case. Allocates nothing: it runs for every row on every keystroke.
 * @param lowered the row's cells already lower-cased.
 */
export function scoreRow(lowered: readonly string[], terms: readonly string[]): number {
  let score = 0;
  for (const term of terms) {
    let found = false;
    for (let c = 0; c < lowered.length; c++) {
      if (lowered[c]!.includes(term)) {
        score++;
        found = true;
        break;
      }
    }
    for (let c = 0; c < lowered.length && !found; c++) found = isSubsequence(term, lowered[c]!);
    if (!found) return -1;
  }
  return score;
}

/** Which characters of each cell the terms matched, as {@link scoreRow} found them (for the rows on screen). */
export function highlightRow(lowered: readonly string[], terms: readonly string[]): number[][] {
  const marks = lowered.map(() => new Set<number>());
  for (const term of terms) {
    const c = lowered.findIndex((cell) => cell.includes(term));
    if (c !== -1) {
      const i = lowered[c]!.indexOf(term);
      for (let k = 0; k < term.length; k++) marks[c]!.add(i + k);
      continue;
    }
    for (let d = 0; d < lowered.length; d++) {
      const at = subsequence(term, lowered[d]!);
      if (at) {
        for (const i of at) marks[d]!.add(i);
        break;
      }
    }
  }
  return marks.map((m) => [...m].sort((a, b) => a - b));
}
