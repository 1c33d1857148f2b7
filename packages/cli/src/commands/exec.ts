import { Flags } from '@oclif/core';
import { AnwbisCommand } from '../base.js';
import { AnwbisError } from '@anwbis/core';
import { spelled } from '../flags/argv.js';
import { sessionTagFlags, sourceFlags, targetOrNameFlags } from '../flags/flags.js';
import { execWithCredentials } from '../services/exec.js';

export default class Exec extends AnwbisCommand {
  static override summary = 'Run a command with the credentials of a delegated role in its environment';
  static override description = `Sets AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and AWS_REGION/AWS_DEFAULT_REGION
for the command (never on its command line), removes AWS_PROFILE so it cannot override them,
passes signals on, and exits with the command's status.

With --server, for commands that run longer than one set of credentials lasts (terraform apply,
a notebook, a long test run): the daemon (started if it is not running) keeps the role's
credentials fresh from your corp session (start it with anwbis session; no MFA code is asked),
and anwbis serves them to the command on 127.0.0.1 for as long as the command runs. The command
gets AWS_CONTAINER_CREDENTIALS_FULL_URI and a token of its own in
AWS_CONTAINER_AUTHORIZATION_TOKEN, no keys, no shared credentials file
(AWS_SHARED_CREDENTIALS_FILE=/dev/null) and, in AWS_CONFIG_FILE, a private copy of your config
file without its credential settings (so corp keys in either cannot win), so every AWS SDK and
the CLI in it fetch credentials again as they near expiry. While the daemon is stopped the
command's calls get an error saying so; once a daemon runs again they get credentials again.
The token stops working when the command ends.`;

  static override examples = [
    'anwbis exec -p datalab -e dev -r admin -- aws s3 ls',
    'anwbis exec --target datalab-dev-admin -- terraform plan',
    'anwbis exec --server -p datalab -e dev -r admin -- terraform apply',
  ];
  static override flags = {
    ...targetOrNameFlags,
    ...sourceFlags,
    ...sessionTagFlags,
    server: Flags.boolean({
      ...spelled('server'),
      description: 'serve fresh credentials to the command from the daemon for as long as it runs (needs a corp session: anwbis session)',
      default: false,
      exclusive: ['mfa-code', 'mfa-process', 'mfa-serial', 'nomfa'],
    }),
    duration: Flags.integer({ ...spelled('duration'), description: 'with --server: lifetime of each set of credentials in seconds (900-3600)', min: 900, dependsOn: ['server'] }),
  };

  async run(): Promise<void> {
    // Everything after `--` is the child's, untouched by flag parsing.
    const raw = [...this.argv];
    const split = raw.indexOf('--');
    const { flags } = await this.parse(Exec, split === -1 ? raw : raw.slice(0, split));
    const [command, ...args] = split === -1 ? [] : raw.slice(split + 1);
    if (!command) throw new AnwbisError('usage', 'say which command to run after --', { next: 'anwbis exec -p PROJECT -e ENV -r ROLE -- COMMAND ARGS…' });
    const status = await execWithCredentials(flags, command, args);
    if (status !== 0) this.exit(status);
  }
}
