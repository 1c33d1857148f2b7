import { createBrowserLauncher, openConsole, type ConsoleRequest, type Reporter, type TemporaryCredentials } from '@anwbis/core';

/** Opens the console for a role session and reports it; `-b link` prints the URL on stdout. */
export async function openConsoleAndReport(
  request: ConsoleRequest,
  session: { credentials: TemporaryCredentials; region: string; profile: string },
  reporter: Reporter,
): Promise<void> {
  const result = await openConsole(request, session, { env: process.env, launcher: createBrowserLauncher({ env: process.env }) });
  if (result.kind === 'link') process.stdout.write(`${result.url}\n`);
  else reporter.ok(`Opened the AWS console for ${session.profile} with ${result.command}`);
}
