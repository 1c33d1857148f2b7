/** The picker's keys: what each does, as a table, and Ink's input taken apart into keys. */
import type { Key } from 'ink';
import type { PickerAction } from './picker-state.js';

/** What a key does to a role: the command the picker runs for the highlighted one. */
export type RoleCommand = 'assume' | 'console' | 'copy' | 'toggle-watch';

/** A change to the list a key makes (moving, the query, the order). */
export type ListChange = Exclude<PickerAction, { readonly type: 'rows' | 'resize' | 'type' }>;

/** What a key of the list does: a change to the list, a new read of it, or a command on the highlighted role. */
export type ListKey = { readonly list: ListChange } | { readonly reload: true } | { readonly role: RoleCommand };

type Binding = readonly [when: (input: string, key: Key) => boolean, does: ListKey];

/** The list's keys, first match wins; printable text that none of them takes is typed into the query. */
export const LIST_KEYS: readonly Binding[] = [
  [(_, key) => key.upArrow, { list: { type: 'move', by: -1 } }],
  [(_, key) => key.downArrow, { list: { type: 'move', by: 1 } }],
  [(_, key) => key.pageUp, { list: { type: 'page', by: -1 } }],
  [(_, key) => key.pageDown, { list: { type: 'page', by: 1 } }],
  [(_, key) => key.home, { list: { type: 'home' } }],
  [(_, key) => key.end, { list: { type: 'end' } }],
  [(_, key) => key.tab, { list: { type: 'toggle-order' } }],
  [(_, key) => key.backspace || key.delete, { list: { type: 'backspace' } }],
  [(input, key) => key.ctrl && input === 'u', { list: { type: 'clear' } }],
  [(input, key) => key.ctrl && input === 'r', { reload: true }],
  [(input, key) => key.ctrl && input === 't', { role: 'toggle-watch' }],
  [(_, key) => key.return, { role: 'assume' }],
  [(input, key) => key.ctrl && input === 'o', { role: 'console' }],
  [(input, key) => key.ctrl && input === 'y', { role: 'copy' }],
];

/** What a key does in the list; undefined for one that is no binding. */
export function listKey(input: string, key: Key): ListKey | undefined {
  return LIST_KEYS.find(([when]) => when(input, key))?.[1];
}

/** Typed text, not a control character (a paste arrives as one string). */
export function isPrintable(input: string): boolean {
  return input !== '' && [...input].every((ch) => ch.codePointAt(0)! >= 0x20 && ch !== '\u007f');
}

const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};

/** Ink hands text and a following Enter or Tab over as one input: the keys, taken apart. */
export function splitInput(input: string, key: Key): Array<[string, Key]> {
  if (input.length > 1 && /[\r\t]/.test(input)) {
    return [...input].map((ch) => [ch, ch === '\r' ? { ...NO_KEY, return: true } : ch === '\t' ? { ...NO_KEY, tab: true } : NO_KEY]);
  }
  return [[input, key]];
}
