import { AnwbisError, shown } from '../errors/errors.js';

type Token = { readonly literal: string } | { readonly placeholder: string };

function tokenize(pattern: string, placeholders: readonly string[]): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  for (const match of pattern.matchAll(/\{([a-z]+)\}/g)) {
    const key = match[1]!;
    if (!placeholders.includes(key)) {
      throw new AnwbisError('config', `unknown placeholder {${key}} in naming pattern ${shown(pattern)}`, {
        next: `use ${placeholders.map((p) => `{${p}}`).join(', ')}`,
      });
    }
    if (match.index > last) tokens.push({ literal: pattern.slice(last, match.index) });
    tokens.push({ placeholder: key });
    last = match.index + match[0].length;
  }
  if (last < pattern.length) tokens.push({ literal: pattern.slice(last) });
  return tokens;
}

/**
 * Reads a name back into the parts a naming pattern was filled with:
 * `parsePattern('corp-{project}-master-{role}', 'corp-data-lab-master-admin', ['project', 'role'])`
 * gives `{ project: 'data-lab', role: 'admin' }`. Parts are non-empty and may contain dashes, so
 * a name can fit a pattern in several ways (`{project}-{env}-{role}` and `a-b-c-d`): such a name
 * is ambiguous and, like a name that does not fit, gives undefined rather than a guess.
 * @param known parts already known (from another name), which must then be what the name holds;
 *   they make a name unambiguous that would not be on its own.
 */
export function parsePattern(
  pattern: string,
  name: string,
  placeholders: readonly string[],
  known: Readonly<Record<string, string>> = {},
): Record<string, string> | undefined {
  const tokens = tokenize(pattern, placeholders);
  const found: Array<Record<string, string>> = [];
  const walk = (t: number, at: number, bound: Record<string, string>): void => {
    if (found.length > 1) return;
    const token = tokens[t];
    if (token === undefined) {
      if (at === name.length) found.push({ ...bound });
      return;
    }
    if ('literal' in token) {
      if (name.startsWith(token.literal, at)) walk(t + 1, at + token.literal.length, bound);
      return;
    }
    const fixed = bound[token.placeholder] ?? (Object.hasOwn(known, token.placeholder) ? known[token.placeholder] : undefined);
    if (fixed !== undefined) {
      if (fixed !== '' && name.startsWith(fixed, at)) walk(t + 1, at + fixed.length, { ...bound, [token.placeholder]: fixed });
      return;
    }
    for (let end = at + 1; end <= name.length; end++) {
      walk(t + 1, end, { ...bound, [token.placeholder]: name.slice(at, end) });
      if (found.length > 1) return;
    }
  };
  walk(0, 0, {});
  return found.length === 1 ? found[0] : undefined;
}
