/** A delegated role as the picker lists it. */
export interface RoleEntry {
  readonly project: string;
  readonly env: string;
  readonly role: string;
  readonly account: string;
}

/**
 * Narrows the picker's list to the entries that contain every word typed, in any field, ignoring
 * case; order is kept so the list does not jump while typing.
 */
export function filterRoles(entries: readonly RoleEntry[], query: string): RoleEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter((w) => w !== '');
  return entries.filter((entry) => {
    const text = `${entry.project} ${entry.env} ${entry.role} ${entry.account}`.toLowerCase();
    return words.every((w) => text.includes(w));
  });
}
