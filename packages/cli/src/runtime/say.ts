/**
 * Progress lines on stderr, for the full commands and for the client of an assume forwarded to
 * the daemon (fast/forward-entry.ts), whose bundle loads core's small entry only.
 */
import { sanitizeRemoteText } from '@anwbis/core/fast';
import type { AnwbisEvent } from '@anwbis/core';

/** Progress for a person on stderr; stdout stays for data. */
export interface Say {
  info(line: string): void;
  ok(line: string): void;
  /** Shown with `-v` only. */
  verbose(line: string): void;
  /** `[ WARN ]`, shown even when quiet. */
  warn(line: string): void;
}

/**
 * Lines on stderr: `[ OK ]` and plain ones unless quiet, `[ .. ]` ones with `-v`. They name
 * roles, groups and messages from AWS: what a terminal would act on is shown escaped.
 */
export function stderrSay(verbose: boolean, quiet = false, toStderr: (text: string) => unknown = (text) => process.stderr.write(text)): Say {
  const write = (line: string) => void toStderr(`${sanitizeRemoteText(line)}\n`);
  const say = quiet && !verbose ? () => undefined : write;
  return {
    info: say,
    warn: (line) => write(`[ WARN ] ${line}`),
    ok: (line) => say(`[ OK ] ${line}`),
    verbose: (line) => (verbose ? write(`[ .. ] ${line}`) : undefined),
  };
}

/** Today's progress lines for core's events. */
export function renderEvent(event: AnwbisEvent, say: Say): void {
  switch (event.type) {
    case 'reused':
      if (event.kind === 'session') say.ok(`Reusing corp session ${event.profile}: valid until ${event.expiration.toISOString()}`);
      else say.ok(`Reusing profile ${event.profile}: still valid until ${event.expiration.toISOString()}`);
      return;
    case 'replacing':
      say.info(`Profile ${event.profile} holds credentials anwbis made for another role, account, source or region: replacing them.`);
      return;
    case 'source-passed-over':
      say.verbose(`AWS_PROFILE=${event.profile} is a delegated profile written by anwbis; using default as the corp profile`);
      return;
    case 'instance-role':
      say.verbose(`instance role ${event.roleName}${event.instanceId ? ` on ${event.instanceId}` : ''} from ${event.endpoint}`);
      return;
    case 'authenticated':
      say.ok(`You are authenticated as ${event.userName}`);
      return;
    case 'role-found':
      if (event.remembered) say.verbose(`using remembered role ${event.roleArn} (discovery skipped)`);
      return;
    case 'mfa-devices':
      say.verbose(`${event.count} MFA devices; using ${event.chosen ?? 'none of them (no code-based device)'}`);
      return;
    case 'assuming':
      say.info(`Assuming role ${event.role} from project ${event.project}` + (event.mfa ? ` using MFA device from user ${event.userName}...` : ' without MFA...'));
      return;
    case 'mfa-rejected':
      say.info('AWS rejected that MFA code.');
      return;
    case 'assumed':
      say.ok('Assumed the role successfully');
      return;
    case 'session-starting':
      say.info(`Starting a corp session for ${event.userName} using MFA device ${event.serial}...`);
      return;
    case 'written':
      if (event.kind === 'session') say.ok(`Corp session ${event.profile} written to ${event.file} (expires ${event.expiration.toISOString()})`);
      else say.info(`Profile ${event.profile} written to ${event.file} (expires ${event.expiration.toISOString()})`);
      return;
    case 'aws-call':
      say.verbose(`aws ${event.line}`);
      return;
    case 'warning':
      say.warn(event.message);
      return;
  }
}
