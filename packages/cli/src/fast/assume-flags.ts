/**
 * The plain `anwbis -p … -e … -r …` (or `assume`, also with `--get_session`) command line that
 * runs without oclif, and the requests it makes: read the same way by the forwarding client
 * (forward-entry.ts) and by the bundle that does the work itself (assume-full.ts).
 */
import type { AssumeRequest } from '@anwbis/core';
import { requestFromFlags } from '../flags/request.js';
import { readFlags, TARGET_AND_SOURCE } from './simple-args.js';

const FLAGS = [...TARGET_AND_SOURCE, 'refresh', 'stdout', 'session-name', 'get-session'] as const;

/** The flags of `anwbis assume ARGS` when read as oclif would and -p, -e and -r are all there; else undefined. */
export function assumeFlagsOf(args: readonly string[]) {
  const flags = readFlags('assume', args, FLAGS);
  // oclif's own message names a missing required flag.
  if (!flags?.project || !flags.env || !flags.role) return undefined;
  // The command's defaults, for the flags this reader takes and for those it declines.
  return { ...DEFAULTS, ...flags, project: flags.project, env: flags.env, role: flags.role };
}

const DEFAULTS = { nomfa: false, verbose: false, refresh: false, stdout: false, duration: 3600, 'get-session': false, watch: false, 'from-ec2-role': false, isolate: false } as const;

type PlainAssumeFlags = NonNullable<ReturnType<typeof assumeFlagsOf>>;

/** The request of a plain assume, as the command makes it from its flags; with `--get_session`, `session` is the corp session it made first. */
export function plainAssumeRequest(flags: PlainAssumeFlags, session?: string): AssumeRequest {
  return {
    ...requestFromFlags(flags),
    durationSeconds: flags.duration,
    refresh: flags.refresh,
    noMfa: flags.nomfa,
    fromEc2Role: false,
    ...(flags['session-name'] ? { sessionName: flags['session-name'] } : {}),
    // The role is assumed from the corp session, with no MFA code, as the command does.
    ...(session === undefined ? {} : { sourceProfile: session, noMfa: true }),
  };
}
