import { openConsole, type ConsoleRequest, type TemporaryCredentials } from '@anwbis/core';
import type { CliRuntime } from '../runtime/runtime.js';

/** Opens the console for a role session and reports it; `-b link` prints the URL on stdout. */
export async function openConsoleAndReport(
  request: ConsoleRequest,
  session: { credentials: TemporaryCredentials; region: string; profile: string },
  runtime: CliRuntime,
): Promise<void> {
  const result = await openConsole(request, session, { env: runtime.env, launcher: runtime.browser });
  if (result.kind === 'link') process.stdout.write(`${result.url}\n`);
  else runtime.say.ok(`Opened the AWS console for ${session.profile} with ${result.command}`);
}
