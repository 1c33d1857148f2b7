import { Flags } from '@oclif/core';
import { AnwbisCommand } from '../base.js';
import { credentialVariables, formatShellExports, provideRoleCredentials, SHELLS, type Shell } from '@anwbis/core';
import { sessionTagFlags, sourceFlags, targetOrNameFlags } from '../flags.js';
import { cliRuntime } from '../runtime.js';
import { requestFromFlags } from '../target.js';

export default class Env extends AnwbisCommand {
  static override summary = 'Print shell lines that set the credentials of a delegated role';
  static override examples = ['eval "$(anwbis env -p datalab -e dev -r admin)"', 'anwbis env -p datalab -e dev -r admin --shell fish | source'];

  static override flags = {
    ...targetOrNameFlags,
    ...sourceFlags,
    ...sessionTagFlags,
    shell: Flags.string({ description: 'shell syntax', options: [...SHELLS], default: 'bash' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Env);
    const runtime = cliRuntime({ verbose: flags.verbose, mfaCode: flags['mfa-code'], mfaProcess: flags['mfa-process'], quiet: true });
    const provided = await provideRoleCredentials(requestFromFlags(flags), runtime);
    process.stdout.write(formatShellExports(credentialVariables(provided.credentials, provided.region), flags.shell as Shell));
  }
}
