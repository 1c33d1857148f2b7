import { StateStore } from '../cache/state-store.js';
import type { Clock } from '../expiry/expiry.js';
import type { EventSink } from '../events/events.js';
import type { AwsCredentials, AwsPort } from '../aws/port.js';
import { precheckMfaSources, type MfaSources } from '../mfa/code.js';
import { anwbisHome } from '../paths/paths.js';
import { loadSettings, type Settings } from '../settings/settings.js';
import type { SourceDeps } from '../source/source.js';
import { resolveRequest, validateAssumeRequest, type AssumeRequest, type ResolvedRequest } from './resolve.js';

/** The effects a credential flow needs, wired once by each app. */
export interface FlowDeps extends SourceDeps {
  readonly clock: Clock;
  readonly events: EventSink;
  readonly mfa: MfaSources;
  readonly createAws: (options: { credentials: AwsCredentials; region: string }) => AwsPort;
}

/** A request checked and resolved into names, with where its results go. */
export interface PreparedRequest extends ResolvedRequest {
  readonly home: string;
  readonly settings: Settings;
  readonly store: StateStore;
}

/**
 * Checks a request and resolves it: settings, names, files and fingerprint. Nothing is asked of
 * a person or of AWS yet, so every refusal here costs no MFA code.
 */
export async function prepareRequest(request: AssumeRequest, deps: Pick<FlowDeps, 'env' | 'mfa'>): Promise<PreparedRequest> {
  validateAssumeRequest(request);
  if (!request.noMfa && !request.fromEc2Role) precheckMfaSources(deps.mfa);
  const home = anwbisHome(deps.env);
  const settings = await loadSettings(home);
  return { home, settings, store: new StateStore(home), ...resolveRequest(request, settings, deps.env) };
}
