import { AnwbisCommand } from '../base.js';
import { credentialProcessJson, provideRoleCredentials } from '@anwbis/core';
import { sessionTagFlags, sourceFlags, targetOrNameFlags } from '../flags/flags.js';
import { cliRuntime } from '../runtime/runtime.js';
import { requestFromFlags } from '../flags/request.js';

export default class CredentialProcess extends AnwbisCommand {
  static override summary = 'Print credentials for a delegated role in the AWS credential_process format';
  static override description = `For "credential_process = anwbis credential-process -p … -e … -r …" in ~/.aws/config
(see anwbis configure). Serves cached credentials while valid; otherwise gets new ones from
your corp session without a prompt, or with an MFA code only when a terminal can be asked.
Concurrent calls for one role share a single STS call. Prints only the JSON on stdout.`;

  static override examples = ['anwbis credential-process -p datalab -e dev -r admin', 'anwbis credential-process --target datalab-dev-admin'];

  static override flags = { ...targetOrNameFlags, ...sourceFlags, ...sessionTagFlags };

  async run(): Promise<void> {
    const { flags } = await this.parse(CredentialProcess);
    const request = requestFromFlags(flags);
    const runtime = cliRuntime({ verbose: flags.verbose, mfaCode: flags['mfa-code'], mfaProcess: flags['mfa-process'], ask: 'tty', quiet: true });
    const provided = await provideRoleCredentials(request, runtime);
    process.stdout.write(`${credentialProcessJson(provided.credentials)}\n`);
  }
}
