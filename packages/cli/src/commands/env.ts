import { Flags } from '@oclif/core';
import { AnwbisCommand } from '../base.js';
import { credentialVariables, formatShellExports, provideRoleCredentials, SHELLS, type Shell } from '@anwbis/core';
import { sessionTagFlags, sourceFlags, targetOrNameFlags } from '../flags/flags.js';
import { cliRuntime } from '../runtime/runtime.js';
import { stderrSay } from '../runtime/say.js';
import { endListener, serveShell, shellPid, unservedLines, unsetCommand } from '../services/shell-server.js';
import { requestFromFlags } from '../flags/request.js';

export default class Env extends AnwbisCommand {
  static override summary = 'Print shell lines that set the credentials of a delegated role';
  static override description = `Without --server, prints the role's keys (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
AWS_SESSION_TOKEN, AWS_CREDENTIAL_EXPIRATION) and region, and unsets AWS_PROFILE.

With --server, the shell gets no keys: the daemon (it must be running: anwbis daemon start)
keeps the role's credentials fresh from your corp session (anwbis session; no MFA code is
asked), and a small listener serves them on 127.0.0.1 to every AWS CLI and SDK call in the
shell, as anwbis exec --server does for one command. The lines set
AWS_CONTAINER_CREDENTIALS_FULL_URI and a token of the shell's own in
AWS_CONTAINER_AUTHORIZATION_TOKEN, hide the shared credentials file
(AWS_SHARED_CREDENTIALS_FILE=/dev/null) and point AWS_CONFIG_FILE at a private copy of your
config file without its credential settings (so corp keys in either cannot win); anwbis itself
keeps using your files (ANWBIS_AWS_SHARED_CREDENTIALS_FILE, ANWBIS_AWS_CONFIG_FILE). The
listener, and the daemon's grant, last while the shell that ran anwbis env (or --pid) runs, and
end when it exits, or at once with --unset, whose lines undo the others.`;
  static override examples = [
    'eval "$(anwbis env -p datalab -e dev -r admin)"',
    'anwbis env -p datalab -e dev -r admin --shell fish | source',
    'eval "$(anwbis env --server -p datalab -e dev -r admin)"',
    'eval "$(anwbis env --unset)"',
  ];

  static override flags = {
    ...targetOrNameFlags,
    ...sourceFlags,
    ...sessionTagFlags,
    shell: Flags.string({ description: 'shell syntax', options: [...SHELLS], default: 'bash' }),
    server: Flags.boolean({
      description: "serve the shell fresh credentials from the daemon on 127.0.0.1 while it runs, instead of keys (needs anwbis daemon start and a corp session: anwbis session)",
      default: false,
      exclusive: ['mfa-code', 'mfa-process', 'mfa-serial', 'nomfa', 'unset'],
    }),
    pid: Flags.integer({ description: 'with --server: the pid of the shell to serve (default: the process that ran anwbis; give --pid $$ when that is a wrapper such as a script or npx)', min: 2, dependsOn: ['server'] }),
    duration: Flags.integer({ description: 'with --server: lifetime of each set of credentials in seconds (900-3600)', min: 900, dependsOn: ['server'] }),
    unset: Flags.boolean({ description: 'print the lines that undo --server in this shell, and end its listener', default: false }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Env);
    const shell = flags.shell as Shell;
    if (flags.unset) {
      const lines = unservedLines(process.env);
      await endListener(process.env);
      process.stdout.write(formatShellExports(lines.set, shell, lines.unset));
      return;
    }
    if (flags.server) {
      const pid = shellPid(flags.pid);
      const served = await serveShell(requestFromFlags(flags), { corpProfile: flags.profile, durationSeconds: flags.duration ?? 3600, shell: pid, verbose: flags.verbose });
      process.stdout.write(formatShellExports(served.set, shell, served.unset));
      stderrSay(flags.verbose).ok(
        `the shell (pid ${pid}) gets the credentials of ${served.profile} from 127.0.0.1:${served.port} (listener pid ${served.listenerPid}) until it exits; end it sooner with: ${unsetCommand(shell)}`,
      );
      return;
    }
    const runtime = cliRuntime({ verbose: flags.verbose, mfaCode: flags['mfa-code'], mfaProcess: flags['mfa-process'], quiet: true });
    const provided = await provideRoleCredentials(requestFromFlags(flags), runtime);
    process.stdout.write(formatShellExports(credentialVariables(provided.credentials, provided.region), shell));
  }
}
