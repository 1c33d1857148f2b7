import { Flags } from '@oclif/core';
import { AnwbisCommand } from '../base.js';
import { sessionTagFlags, targetFlags } from '../flags/flags.js';
import { watchProfile } from '../services/watch.js';

export default class Watch extends AnwbisCommand {
  static override summary = 'Assume a role from your corp session and let the daemon keep the profile fresh';
  static override description = `Assumes <env>-<project>-delegated-<role> with the corp session corp-session-<profile>
(no MFA code), writes the profile, and hands it to the running daemon, which refreshes it
before it expires for as long as the corp session lasts (or until --until).`;

  static override examples = ['anwbis watch -p datalab -e dev -r admin', 'anwbis watch -P corp -p datalab -e dev -r admin --until 2026-12-01T18:00:00Z'];

  static override flags = {
    ...targetFlags,
    profile: Flags.string({ char: 'P', description: 'corp profile whose corp session is used (default: $AWS_PROFILE, else default)' }),
    region: Flags.string({ description: 'AWS region for the calls and the written profile' }),
    duration: Flags.integer({ description: 'lifetime of each set of credentials in seconds (900-3600)', default: 3600, min: 900 }),
    until: Flags.string({ description: 'stop keeping the profile fresh at this time (ISO 8601)' }),
    'session-name': Flags.string({ description: 'RoleSessionName (default: your corp user name)' }),
    verbose: Flags.boolean({ char: 'v', description: 'show each AWS call and its duration (secrets redacted)', default: false }),
    ...sessionTagFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Watch);
    await watchProfile(flags);
  }
}
