/** How anwbis shows a failure on stderr: the message, and the next step under it when there is one. */
export function errorLines(message: string, next?: string): string {
  return `[ ERROR ] ${message}\n${next ? `          ${next}\n` : ''}`;
}
