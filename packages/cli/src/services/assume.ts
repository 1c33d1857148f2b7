import { AnwbisError, assume, corpSession, credentialVariables, formatShellExports, type AssumeResult } from '@anwbis/core';
import { openConsoleAndReport } from './console.js';
import { forwardAssume, forwardSession } from '../fast/forward.js';
import { cliRuntime } from '../runtime/runtime.js';
import { requestFromFlags, sessionRequestFromFlags, type TargetFlagValues } from '../flags/request.js';

/** `anwbis assume` (and the bare `anwbis -p … -e … -r …`), as parsed. */
export interface AssumeFlags extends TargetFlagValues {
  readonly verbose: boolean;
  readonly 'mfa-code'?: string | undefined;
  readonly 'mfa-process'?: string | undefined;
  readonly duration: number;
  readonly refresh: boolean;
  readonly stdout: boolean;
  readonly 'session-name'?: string | undefined;
  readonly 'get-session': boolean;
  readonly watch: boolean;
  readonly 'from-ec2-role': boolean;
  readonly browser?: string | undefined;
  readonly 'browser-command'?: string | undefined;
  readonly destination?: string | undefined;
  readonly isolate: boolean;
}

/**
 * Writes the role's profile (after a corp session with `--get_session`), hands it to the daemon
 * with `--watch`, prints export lines with `--stdout` and opens the console with `-b`; returns
 * what was written, for `--json` (`json`: stdout is the JSON document's alone).
 */
export async function assumeRole(flags: AssumeFlags, json: boolean): Promise<AssumeResult> {
  const request = requestFromFlags(flags);
  if (flags['from-ec2-role'] && (flags.profile !== undefined || flags['get-session'])) {
    throw new AnwbisError('usage', '--from_ec2_role takes the instance role as its source: it goes with neither --profile nor --get_session');
  }
  if (flags.browser === 'link' && (json || flags.stdout)) {
    throw new AnwbisError('usage', '-b link prints the sign-in URL on stdout: use it without --json and --stdout');
  }
  if (flags.watch && flags['from-ec2-role']) throw new AnwbisError('usage', '--watch refreshes from a corp session: it does not go with --from_ec2_role');
  // Loaded only for --watch: the daemon's client is not part of a plain assume's start-up.
  const handover = flags.watch ? await import('./handover.js') : undefined;
  const limits = handover?.watchLimits(flags.duration, undefined);
  const watching = await handover?.connectDaemon('anwbis assume --watch');
  const runtime = cliRuntime({ verbose: flags.verbose, mfaCode: flags['mfa-code'], mfaProcess: flags['mfa-process'] });
  let sourceProfile = flags.profile;
  let noMfa = flags.nomfa;
  if (flags['get-session']) {
    const sessionRequest = sessionRequestFromFlags(flags);
    const session = (await forwardSession(sessionRequest, runtime, flags.verbose)) ?? (await corpSession(sessionRequest, runtime));
    sourceProfile = session.profile;
    noMfa = true;
  }
  const assumeRequest = {
    ...request,
    ...(sourceProfile ? { sourceProfile } : {}),
    durationSeconds: flags.duration,
    refresh: flags.refresh,
    noMfa,
    fromEc2Role: flags['from-ec2-role'],
    ...(flags['session-name'] ? { sessionName: flags['session-name'] } : {}),
  };
  const result = (await forwardAssume(assumeRequest, runtime, flags.verbose)) ?? (await assume(assumeRequest, runtime));
  if (handover && watching && limits) {
    try {
      const corpProfile = await handover.corpProfileFor(sourceProfile, runtime.env);
      await handover.requireCorpSession(corpProfile, runtime);
      await handover.handOver(watching, { ...request, ...(flags['session-name'] ? { sessionName: flags['session-name'] } : {}) }, result.profile, corpProfile, limits);
      runtime.say.ok(`The daemon keeps ${result.profile} fresh`);
    } finally {
      watching.close();
    }
  }
  if (flags.stdout && !json) process.stdout.write(formatShellExports(credentialVariables(result.credentials, result.region)));
  if (flags.browser !== undefined || flags['browser-command'] !== undefined) {
    await openConsoleAndReport(
      {
        ...(flags.browser !== undefined ? { browser: flags.browser } : {}),
        ...(flags['browser-command'] !== undefined ? { browserCommand: flags['browser-command'] } : {}),
        ...(flags.destination !== undefined ? { destination: flags.destination } : {}),
        isolate: flags.isolate,
      },
      { credentials: result.credentials, region: result.region, profile: result.profile },
      runtime,
    );
  }
  return result;
}
