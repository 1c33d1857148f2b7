import { Flags } from '@oclif/core';
import { spelled } from '../flags/argv.js';
import { AnwbisCommand } from '../base.js';
import { consoleFlags, sessionTagFlags } from '../flags/flags.js';
import { visitPicker } from '../services/tui.js';

export default class Tui extends AnwbisCommand {
  static override summary = 'Pick a delegated role from all of yours, full-screen, and assume it';
  static override description = `Lists every role your corp groups grant (as anwbis roles does) in a full-screen picker drawn
on the terminal. Type to filter (space-separated terms, any column, the account id too); Enter
assumes the highlighted role and writes its profile; ctrl-o opens its console, ctrl-y copies its
export lines, ctrl-t hands it to the running daemon to keep fresh (or stops that), ctrl-r reads
the list anew, Tab switches between recently used and alphabetical.
A valid corp session corp-session-<profile> is used without a code; otherwise the first action
asks for the MFA code once, in the picker, and starts that session.
With --stdout or --json, Enter assumes, leaves the picker and prints the credentials:
  eval "$(anwbis tui --stdout)"`;

  static override examples = ['anwbis tui', 'anwbis tui --profile corp', 'eval "$(anwbis tui --stdout)"'];

  static override flags = {
    profile: Flags.string({ ...spelled('profile'), description: 'corp source profile (default: $AWS_PROFILE, else default)' }),
    region: Flags.string({ ...spelled('region'), description: 'AWS region for the calls and the written profiles' }),
    'mfa-code': Flags.string({ ...spelled('mfa-code'), description: 'the six-digit MFA code for the corp session (else asked in the picker)' }),
    'mfa-process': Flags.string({ ...spelled('mfa-process'), description: 'command whose output is the MFA code (run without a shell)' }),
    'mfa-serial': Flags.string({ ...spelled('mfa-serial'), description: 'MFA device ARN (default: your first virtual device)' }),
    duration: Flags.integer({ ...spelled('duration'), description: 'role session length in seconds (900-43200)', default: 3600 }),
    stdout: Flags.boolean({ ...spelled('stdout'), description: 'after Enter, leave and print export lines for the credentials on stdout', default: false, exclusive: ['json'] }),
    json: Flags.boolean({ ...spelled('json'), description: 'after Enter, leave and print the credentials as one JSON object on stdout', default: false }),
    ...sessionTagFlags,
    ...consoleFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Tui);
    await visitPicker(flags);
  }
}
