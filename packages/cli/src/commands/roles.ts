import { Flags } from '@oclif/core';
import { spelled } from '../flags/argv.js';
import { AnwbisCommand } from '../base.js';
import { showRoles } from '../services/roles.js';

export default class Roles extends AnwbisCommand {
  static override summary = 'List every delegated role your corp groups grant';
  static override description = `Reads your IAM groups and their Delegated_Roles policies (no MFA code needed: the corp
session corp-session-<profile> when it is valid, else your corp keys) and lists each role with
its profile name and status. The list is kept for an hour under ANWBIS_HOME; --refresh reads
it anew. A profile the running daemon keeps fresh is shown as watched. Exit codes: 0 ok, 3 no
usable corp profile, 4 AWS denied a read or no group grants a role, 6 other AWS errors.`;

  static override examples = ['anwbis roles', 'anwbis roles --profile corp --json', 'anwbis roles --refresh'];

  static override flags = {
    profile: Flags.string({ ...spelled('profile'), description: 'corp source profile (default: $AWS_PROFILE, else default)' }),
    region: Flags.string({ ...spelled('region'), description: 'AWS region for the calls' }),
    json: Flags.boolean({ ...spelled('json'), description: 'print one JSON array on stdout', default: false }),
    refresh: Flags.boolean({ ...spelled('refresh'), description: 'read the groups from AWS even if the list is less than an hour old', default: false }),
    verbose: Flags.boolean({ ...spelled('verbose'), description: 'show each AWS call and its duration (secrets redacted)', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Roles);
    await showRoles(flags);
  }
}
