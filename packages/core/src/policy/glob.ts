/** IAM-style wildcard match: `*` any run of characters, `?` one character. */
export function globMatches(pattern: string, value: string, options: { ignoreCase?: boolean } = {}): boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${source}$`, options.ignoreCase ? 'is' : 's').test(value);
}

/** Whether a pattern contains IAM wildcards. */
export function hasWildcard(pattern: string): boolean {
  return /[*?]/.test(pattern);
}
