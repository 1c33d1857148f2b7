import { isSea } from 'node:sea';
import { Flags } from '@oclif/core';
import { AnwbisCommand } from '../base.js';
import { configureCredentialProcess } from '@anwbis/core';
import { sourceFlags, targetOrNameFlags } from '../flags/flags.js';
import { requestFromFlags } from '../flags/request.js';
import { cliRuntime } from '../runtime/runtime.js';

export default class Configure extends AnwbisCommand {
  static override summary = 'Set up a profile that gets its credentials from anwbis when a tool needs them';
  static override description = `With --credential-process, writes [profile <project>-<env>-<role>] in ~/.aws/config with
credential_process calling this anwbis, and removes a static section of the same name from
~/.aws/credentials (the AWS CLI and SDKs would prefer it). Then any AWS tool can use
--profile <project>-<env>-<role> and always gets valid credentials.`;

  static override examples = ['anwbis configure -p datalab -e dev -r admin --credential-process'];

  static override flags = {
    ...targetOrNameFlags,
    ...sourceFlags,
    'credential-process': Flags.boolean({ description: 'write a credential_process profile', required: true }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Configure);
    const request = requestFromFlags(flags);
    const runtime = cliRuntime({ verbose: flags.verbose });
    // A single executable is the program itself; its argv[1] is only the name it was started by.
    const program = isSea() ? [process.execPath] : [process.execPath, process.argv[1] ?? 'anwbis'];
    const result = await configureCredentialProcess(request, { env: runtime.env, program, now: runtime.clock.now() });
    runtime.say.ok(`Profile ${result.profile} now runs: ${result.command}`);
    runtime.say.verbose(`config file section [profile ${result.profile}]: credential_process and region set`);
    if (result.removedStatic) runtime.say.info(`Removed the static [${result.profile}] section from ${result.credentialsFile}, which would have shadowed it.`);
    if (result.carriedUntil) runtime.say.info(`Its credentials, valid until ${result.carriedUntil.toISOString()}, now answer credential-process until then.`);
  }
}
