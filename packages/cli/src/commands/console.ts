import { Flags } from '@oclif/core';
import { AnwbisCommand } from '../base.js';
import { AnwbisError, consoleProfileName, loadWrittenSession } from '@anwbis/core';
import { consoleFlags } from '../flags/flags.js';
import { openConsoleAndReport } from '../services/console.js';
import { cliRuntime } from '../runtime/runtime.js';

export default class Console extends AnwbisCommand {
  static override summary = 'Open the AWS console, signed in, for a profile anwbis wrote';
  static override description = `Uses the still-valid credentials of <project>-<env>-<role> (or --target) and AWS's
federation sign-in. To get fresh credentials and open the console in one go, use
"anwbis -p … -e … -r … -b BROWSER".`;

  static override examples = ['anwbis console -p datalab -e dev -r admin -b chromium', 'anwbis console --target datalab-dev-admin -b link --destination s3'];

  static override flags = {
    project: Flags.string({ char: 'p', description: 'project name' }),
    env: Flags.string({ char: 'e', description: 'environment' }),
    role: Flags.string({ char: 'r', description: 'role name' }),
    target: Flags.string({ description: 'the profile name instead of -p/-e/-r' }),
    ...consoleFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Console);
    if (flags.target === undefined && (!flags.project || !flags.env || !flags.role)) {
      throw new AnwbisError('usage', 'say which profile: -p PROJECT -e ENV -r ROLE, or --target PROFILE');
    }
    const runtime = cliRuntime({ verbose: false });
    const profile = await consoleProfileName(
      flags.target !== undefined ? { name: flags.target } : { project: flags.project!, env: flags.env!, role: flags.role! },
      runtime.env,
    );
    const session = await loadWrittenSession(profile, runtime.env, runtime.clock);
    await openConsoleAndReport(
      {
        browser: flags.browser ?? 'default',
        ...(flags['browser-command'] !== undefined ? { browserCommand: flags['browser-command'] } : {}),
        ...(flags.destination !== undefined ? { destination: flags.destination } : {}),
        isolate: flags.isolate,
      },
      { ...session, profile },
      runtime,
    );
  }
}
