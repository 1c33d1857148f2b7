/**
 * Characters a terminal acts on instead of showing: C0 controls, DEL, C1 controls (which
 * include the 8-bit CSI), and the bidirectional embeddings, overrides and isolates that make
 * text read differently from what it is (U+202A–U+202E, U+2066–U+2069).
 */
// eslint-disable-next-line no-control-regex -- finding control characters is what this is for
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
const LINE_BREAKS = /[\t\n\r\v\f]+/g;

/**
 * Text from outside (an AWS error message, a server's answer) made safe to print: a remote
 * party must not be able to move the cursor, clear the screen, set the window title or
 * reorder what the user reads. Tabs and line breaks become one space so a message stays on
 * its line; every other control and bidi character is dropped.
 */
export function sanitizeRemoteText(text: string): string {
  return text.replace(LINE_BREAKS, ' ').replace(UNPRINTABLE, '');
}
