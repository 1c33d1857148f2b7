/**
 * Reads names back into their parts: `corp-{project}-master-{role}` and
 * `corp-datalab-master-admin` give `{ project: 'datalab', role: 'admin' }`.
 */

type Piece = { readonly literal: string } | { readonly placeholder: string };

function pieces(pattern: string): Piece[] {
  const out: Piece[] = [];
  const re = /\{([a-z]+)\}/g;
  let last = 0;
  for (let m = re.exec(pattern); m !== null; m = re.exec(pattern)) {
    if (m.index > last) out.push({ literal: pattern.slice(last, m.index) });
    out.push({ placeholder: m[1]! });
    last = m.index + m[0].length;
  }
  if (last < pattern.length) out.push({ literal: pattern.slice(last) });
  return out;
}

/**
 * The placeholder values that render `pattern` into exactly `name`, or undefined when the name
 * does not follow the pattern or could be read more than one way (`{project}-{env}-{role}`
 * with `a-b-c-d`). Each value is non-empty; a placeholder used twice must match the same text.
 */
export function parsePattern(pattern: string, name: string): Record<string, string> | undefined {
  const parts = pieces(pattern);
  const found: Array<Record<string, string>> = [];
  const walk = (i: number, at: number, values: Record<string, string>): void => {
    if (found.length > 1) return;
    if (i === parts.length) {
      if (at === name.length) found.push({ ...values });
      return;
    }
    const part = parts[i]!;
    if ('literal' in part) {
      if (name.startsWith(part.literal, at)) walk(i + 1, at + part.literal.length, values);
      return;
    }
    const known = values[part.placeholder];
    if (known !== undefined) {
      if (name.startsWith(known, at)) walk(i + 1, at + known.length, values);
      return;
    }
    for (let end = at + 1; end <= name.length; end++) {
      walk(i + 1, end, { ...values, [part.placeholder]: name.slice(at, end) });
    }
  };
  walk(0, 0, {});
  return found.length === 1 ? found[0] : undefined;
}
