import { sanitizeRemoteText } from '../errors/sanitize.js';

/**
 * How anwbis shows a failure on stderr: the message, and the next step under it when there is
 * one. Messages carry names and text from AWS: every character a terminal would act on is
 * shown escaped, but the line breaks of a message written on several lines.
 */
export function errorLines(message: string, next?: string): string {
  const safe = (text: string) => text.split('\n').map(sanitizeRemoteText).join('\n');
  return `[ ERROR ] ${safe(message)}\n${next ? `          ${safe(next)}\n` : ''}`;
}
