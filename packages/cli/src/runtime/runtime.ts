import {
  createBrowserLauncher,
  createSdkPort,
  fromInstanceMetadata,
  loadProfileCredentials,
  systemClock,
  type AnwbisEvent,
  type BrowserLauncher,
  type FlowDeps,
} from '@anwbis/core';
import { renderEvent, stderrSay, type Say } from './say.js';
import { askPassphrase, mfaSourcesOf, type MfaOptions } from './terminal.js';

export interface RuntimeOptions extends MfaOptions {
  readonly verbose: boolean;
  /** Progress only with --verbose (credential-process: its caller reads stdout, not our chatter). */
  readonly quiet?: boolean;
}

/** Everything a command needs from the outside world: core's flow ports plus the CLI's own. */
export interface CliRuntime extends FlowDeps {
  readonly say: Say;
  readonly browser: BrowserLauncher;
}

/** The real effects for one CLI run: the one place the CLI wires them. */
export function cliRuntime(options: RuntimeOptions): CliRuntime {
  const say = stderrSay(options.verbose, options.quiet);
  const mfa = mfaSourcesOf(options);
  const events = (event: AnwbisEvent) => renderEvent(event, say);
  return {
    env: process.env,
    clock: systemClock,
    events,
    say,
    mfa,
    browser: createBrowserLauncher({ env: process.env }),
    loadSourceCredentials: (profile, where) => loadProfileCredentials(profile, where, process.env, askPassphrase),
    instanceMetadata: (env) => fromInstanceMetadata(env),
    createAws: ({ credentials, region }) =>
      createSdkPort({ credentials, region, narrowSharedFiles: true, ...(options.verbose ? { log: (line: string) => events({ type: 'aws-call', line }) } : {}) }),
  };
}
