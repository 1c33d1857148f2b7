import { AnwbisError, anwbisHome, createBrowserLauncher, credentialVariables, formatShellExports, loadSettings, sessionTaggingOf } from '@anwbis/core';
import { socketDaemonPort } from './daemon-port.js';
import { credentialsJson, writeJson } from '../output/json.js';
import { cliRuntime } from '../runtime/runtime.js';
import { taggingFromFlags, type SessionTagFlagValues } from '../flags/request.js';

/** `anwbis tui`, as parsed (by oclif, or by the fast path in `fast/tui.ts`, which leaves the session tag flags to oclif). */
export interface PickerRequest extends SessionTagFlagValues {
  readonly profile?: string | undefined;
  readonly region?: string | undefined;
  readonly 'mfa-code'?: string | undefined;
  readonly 'mfa-process'?: string | undefined;
  readonly 'mfa-serial'?: string | undefined;
  readonly duration: number;
  readonly stdout: boolean;
  readonly json: boolean;
  readonly browser?: string | undefined;
  readonly 'browser-command'?: string | undefined;
  readonly destination?: string | undefined;
  readonly isolate: boolean;
}

/** One visit to the picker on the terminal; with --stdout/--json, the chosen credentials on stdout. */
export async function visitPicker(request: PickerRequest): Promise<void> {
  if (request.browser === 'link') throw new AnwbisError('usage', '-b link prints on stdout, which the picker leaves to --stdout and --json: choose a browser');
  const tagging = taggingFromFlags(request);
  // Checked with [assume] before the picker opens, rather than at the first Enter.
  if (tagging) sessionTaggingOf(tagging, (await loadSettings(anwbisHome(process.env))).assume);
  const deps = cliRuntime({ verbose: false, mfaCode: request['mfa-code'], mfaProcess: request['mfa-process'], ask: 'tty' });
  // React and Ink are loaded only by this command.
  const { createPickerServices, openTerminal, osc52Copy, runPicker } = await import('@anwbis/tui');
  const terminal = openTerminal();
  const daemon = socketDaemonPort(process.env, { client: 'anwbis tui', timeoutMs: 10_000, runtime: deps });
  let outcome;
  try {
    const services = createPickerServices(deps, {
      ...(request.profile ? { sourceProfile: request.profile } : {}),
      ...(request.region ? { region: request.region } : {}),
      ...(request['mfa-serial'] ? { mfaSerial: request['mfa-serial'] } : {}),
      durationSeconds: request.duration,
      ...(tagging ? { tagging } : {}),
      console: {
        ...(request.browser !== undefined ? { browser: request.browser } : {}),
        ...(request['browser-command'] !== undefined ? { browserCommand: request['browser-command'] } : {}),
        ...(request.destination !== undefined ? { destination: request.destination } : {}),
        isolate: request.isolate,
      },
      launcher: createBrowserLauncher({ env: process.env }),
      copy: osc52Copy(terminal.output),
      daemon,
    });
    outcome = await runPicker({ services, terminal, exitOnAssume: request.stdout || request.json, color: !('NO_COLOR' in process.env) });
  } finally {
    daemon.close();
    terminal.close();
  }
  if (outcome.kind !== 'assumed') return;
  const { result } = outcome;
  deps.say.ok(`Profile ${result.profile} ${result.reused ? 'still valid' : 'written'} (expires ${result.credentials.expiration.toISOString()})`);
  if (request.json) writeJson(credentialsJson(result));
  else if (request.stdout) {
    process.stdout.write(formatShellExports(credentialVariables(result.credentials, result.region)));
  }
}
