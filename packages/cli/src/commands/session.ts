import { Flags } from '@oclif/core';
import { AnwbisCommand } from '../base.js';
import { corpSession, credentialVariables, formatShellExports, SESSION_DURATION } from '@anwbis/core';
import { credentialsJson, type CredentialsJson } from '../output/json.js';
import { cliRuntime } from '../runtime/runtime.js';
import { forwardSession } from '../fast/forward.js';
import { sessionRequestFromFlags } from '../flags/request.js';

export default class Session extends AnwbisCommand {
  static override summary = 'Start a corp session (GetSessionToken with MFA) so later runs need no MFA code';
  static override description = `Writes the profile corp-session-<profile> (corp-session-default without --profile) with
credentials valid for 8 hours by default (up to 36). Then, until it expires:
  anwbis --profile corp-session-<profile> -p PROJECT -e ENV -r ROLE --nomfa
A still-valid session is reused unless --refresh.`;

  static override examples = ['anwbis session', 'anwbis session --profile corp --duration 43200 --mfa-code 123456'];

  static override enableJsonFlag = true;

  static override flags = {
    profile: Flags.string({ char: 'P', description: 'corp profile with your long-term keys (default: $AWS_PROFILE, else default)' }),
    duration: Flags.integer({ description: `session length in seconds (${SESSION_DURATION.min}-${SESSION_DURATION.max})`, default: SESSION_DURATION.default }),
    refresh: Flags.boolean({ description: 'start a new session even if the current one is still valid', default: false }),
    region: Flags.string({ description: 'AWS region for the call and the written profile' }),
    'mfa-code': Flags.string({ description: 'the six-digit MFA code' }),
    'mfa-process': Flags.string({ description: 'command whose output is the MFA code (run without a shell)' }),
    'mfa-serial': Flags.string({ description: 'MFA device ARN (default: your first virtual device)' }),
    stdout: Flags.boolean({ description: 'print export lines for the session credentials on stdout', default: false }),
    verbose: Flags.boolean({ char: 'v', description: 'show each AWS call and its duration (secrets redacted)', default: false }),
  };

  async run(): Promise<CredentialsJson> {
    const { flags } = await this.parse(Session);
    const runtime = cliRuntime({ verbose: flags.verbose, mfaCode: flags['mfa-code'], mfaProcess: flags['mfa-process'] });
    const request = sessionRequestFromFlags(flags, flags.duration);
    const result = (await forwardSession(request, runtime, flags.verbose)) ?? (await corpSession(request, runtime));
    if (flags.stdout && !this.jsonEnabled()) process.stdout.write(formatShellExports(credentialVariables(result.credentials, result.region)));
    return credentialsJson(result);
  }
}
