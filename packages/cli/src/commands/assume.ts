import { Flags } from '@oclif/core';
import { spelled } from '../argv.js';
import { AnwbisCommand } from '../base.js';
import { AnwbisError, assume, corpSession, credentialVariables, formatShellExports, type AssumeResult } from '@anwbis/core';
import { openConsoleAndReport } from '../console-open.js';
import { consoleFlags, sessionTagFlags, sourceFlags, targetFlags } from '../flags.js';
import { cliRuntime } from '../runtime.js';
import { forwardAssume, forwardSession } from '../fast/forward.js';
import { requestFromFlags } from '../target.js';

export default class Assume extends AnwbisCommand {
  static override summary = 'Assume a delegated role and write it as a profile (the default command)';
  static override description = `Reads your groups' Delegated_Roles policy, asks for your MFA code, assumes
<env>-<project>-delegated-<role> and writes the profile <project>-<env>-<role> into
~/.aws/credentials (region into ~/.aws/config). Still-valid credentials are reused.
"anwbis -p … -e … -r …" without a command does the same.`;

  static override examples = [
    'anwbis -p datalab -e dev -r admin',
    'anwbis -p datalab -e dev -r admin -b firefox',
    'anwbis assume -p datalab -e dev -r admin --mfa-code 123456 --json',
    'anwbis --profile corp -p datalab -e pro -r contractor -c acme -ext 1234-abcd',
    'anwbis --profile corp -p datalab -e dev -r admin --get_session',
    'anwbis --profile corp-session-corp -p datalab -e dev -r devops --nomfa -b chrome',
    'anwbis -p datalab -e dev -r admin -ext 1234-abcd --from_ec2_role --nomfa --refresh',
    'eval "$(anwbis -p datalab -e dev -r admin --stdout)"',
  ];

  static override enableJsonFlag = true;

  static override flags = {
    ...targetFlags,
    ...sourceFlags,
    ...sessionTagFlags,
    ...consoleFlags,
    duration: Flags.integer({ ...spelled('duration'), description: 'session length in seconds (900-43200)', default: 3600 }),
    refresh: Flags.boolean({ ...spelled('refresh'), description: 'get new credentials even if the profile is still valid', default: false }),
    stdout: Flags.boolean({ ...spelled('stdout'), description: 'print export lines for the credentials on stdout', default: false }),
    'session-name': Flags.string({ ...spelled('session-name'), description: 'RoleSessionName (default: your corp user name, or the EC2 instance id)' }),
    'get-session': Flags.boolean({
      ...spelled('get-session'),
      description: 'first start (or reuse) an 8-hour corp session corp-session-<profile> with your MFA code, then assume the role with it (also --get_session)',
      default: false,
    }),
    watch: Flags.boolean({ description: 'then hand the profile to the daemon to keep fresh from your corp session (see anwbis watch)', default: false }),
    'from-ec2-role': Flags.boolean({
      description: "use the EC2 instance role's credentials (IMDSv2) and its Delegated_Roles policy; no MFA (also --from_ec2_role)",
      default: false,
    }),
  };

  async run(): Promise<AssumeJson> {
    const { flags } = await this.parse(Assume);
    const request = requestFromFlags(flags);
    if (flags['from-ec2-role'] && (flags.profile !== undefined || flags['get-session'])) {
      throw new AnwbisError('usage', '--from_ec2_role takes the instance role as its source: it goes with neither --profile nor --get_session');
    }
    if (flags.browser === 'link' && (this.jsonEnabled() || flags.stdout)) {
      throw new AnwbisError('usage', '-b link prints the sign-in URL on stdout: use it without --json and --stdout');
    }
    if (flags.watch && flags['from-ec2-role']) throw new AnwbisError('usage', '--watch refreshes from a corp session: it does not go with --from_ec2_role');
    // Loaded only for --watch: the daemon's client is not part of a plain assume's start-up.
    const handover = flags.watch ? await import('../watch-handover.js') : undefined;
    const limits = handover?.watchLimits(flags.duration, undefined);
    const watching = await handover?.connectDaemon('anwbis assume --watch');
    const runtime = cliRuntime({ verbose: flags.verbose, mfaCode: flags['mfa-code'], mfaProcess: flags['mfa-process'] });
    let sourceProfile = flags.profile;
    let noMfa = flags.nomfa;
    if (flags['get-session']) {
      const sessionRequest = { ...(flags.profile ? { sourceProfile: flags.profile } : {}), refresh: flags.refresh, ...(flags.region ? { region: flags.region } : {}), ...(flags['mfa-serial'] ? { mfaSerial: flags['mfa-serial'] } : {}) };
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
    if (flags.stdout && !this.jsonEnabled()) process.stdout.write(formatShellExports(credentialVariables(result.credentials, result.region)));
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
    return toJson(result);
  }
}

/** `--json`: one object, the credentials and where they came from. */
export type AssumeJson = ReturnType<typeof toJson>;

function toJson(result: AssumeResult) {
  return {
    Profile: result.profile,
    AccountId: result.account,
    RoleArn: result.roleArn,
    Region: result.region,
    Reused: result.reused,
    AccessKeyId: result.credentials.accessKeyId,
    SecretAccessKey: result.credentials.secretAccessKey,
    SessionToken: result.credentials.sessionToken,
    Expiration: result.credentials.expiration.toISOString(),
  };
}
