/**
 * Resolves once `condition` holds, asking again every 20 ms: for what happens a moment after the
 * event a test can await (a daemon seeing a connection close). Throws after `timeoutMs`.
 */
export async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 8000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
