import { Flags } from '@oclif/core';
import { spelled } from '../flags/argv.js';
import { AnwbisCommand } from '../base.js';
import { consoleFlags, sessionTagFlags, sourceFlags, targetFlags } from '../flags/flags.js';
import { credentialsJson, type CredentialsJson } from '../output/json.js';
import { assumeRole } from '../services/assume.js';

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

  async run(): Promise<CredentialsJson> {
    const { flags } = await this.parse(Assume);
    return credentialsJson(await assumeRole(flags, this.jsonEnabled()));
  }
}
