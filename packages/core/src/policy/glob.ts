/** IAM-style wildcard match: `*` any run of characters, `?` one character. */
export function globMatches(pattern: string, value: string, options: { ignoreCase?: boolean } = {}): boolean {
  // Most patterns in a policy are plain ARNs, and a listing of hundreds of groups matches
  // thousands of them: no regular expression for those.
  if (!hasWildcard(pattern)) return options.ignoreCase ? pattern.toLowerCase() === value.toLowerCase() : pattern === value;
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, options.ignoreCase ? 'is' : 's').test(value);
}

/** Whether a pattern contains IAM wildcards. */
export function hasWildcard(pattern: string): boolean {
  return /[*?]/.test(pattern);
}
