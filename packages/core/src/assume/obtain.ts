import type { TemporaryCredentials } from '../aws/port.js';
import { resolveRegion } from '../aws/region.js';
import type { StateStore } from '../cache/state-store.js';
import type { EventSink } from '../events/events.js';
import { requireMfaSerial } from '../mfa/device.js';
import { toRoleSessionName } from '../naming/validate.js';
import { EC2_SOURCE } from '../cache/request-key.js';
import { loadInstanceSource, loadProfileSource } from '../source/source.js';
import { assumeRoleStep, explainAssumeError, isAccessDenied } from '../aws-steps/assume-role.js';
import { ASSUME_ROLE_DURATION } from '../aws-steps/limits.js';
import { saveState } from '../profiles/profile-writer.js';
import { withSourceIdentityOf, type SessionTagging } from '../session-tags/session-tags.js';
import { discoverRole, lookupRole, type RoleLookup, type RoleLookupRequest } from '../aws-steps/role-lookup.js';
import type { FlowDeps, PreparedRequest } from './request.js';
import type { AssumeRequest } from './resolve.js';

/** Credentials for a delegated role, with everything needed to write, cache or refresh them. */
export interface ObtainedRole {
  readonly credentials: TemporaryCredentials;
  readonly roleArn: string;
  readonly account: string;
  readonly region: string;
  readonly sourceProfile: string;
  readonly sessionName: string;
  readonly durationSeconds: number;
  readonly lookup: RoleLookup;
  /** What was sent, `auto` resolved: a refresh sends the same. */
  readonly tagging: SessionTagging;
}

/**
 * New credentials for a delegated role: the source credentials, the role (remembered, or looked
 * up), the MFA device and code, then AssumeRole. A remembered role that AWS now denies is
 * looked up once more, since the group's policy may have changed since.
 * @param sourceProfile the source profile already chosen (ignored for the EC2 instance role).
 */
export async function obtainRoleCredentials(prepared: PreparedRequest, request: AssumeRequest, sourceProfile: string, deps: FlowDeps): Promise<ObtainedRole> {
  const { target, store } = prepared;
  const { events } = deps;
  const noMfa = request.noMfa === true || request.fromEc2Role === true;
  const source = request.fromEc2Role ? await loadInstanceSource(deps) : await loadProfileSource(sourceProfile, store, deps);
  const from = request.fromEc2Role ? EC2_SOURCE : sourceProfile;
  const region = await resolveRegion(request.region, deps.env, from);
  const aws = deps.createAws({ credentials: source.credentials, region });
  const lookupRequest: RoleLookupRequest = { target, source, sourceProfile: from, account: request.account, wantMfaDevice: !noMfa && request.mfaSerial === undefined };
  let lookup = await lookupRole(aws, lookupRequest, store, events);
  const userName = lookup.record.userName;
  events({ type: 'authenticated', userName });

  const serial = noMfa ? undefined : requireMfaSerial(request.mfaSerial ?? lookup.record.mfaSerial, userName, { canGoWithout: true });
  events({ type: 'assuming', role: target.role, project: target.project, userName, mfa: serial !== undefined });
  const sessionName = request.sessionName ?? toRoleSessionName(source.kind === 'ec2' ? (source.instance.instanceId ?? userName) : userName);
  const durationSeconds = request.durationSeconds ?? ASSUME_ROLE_DURATION.default;
  // The name the role lookup already knows (remembered, or from GetCallerIdentity): no call of its own.
  const tagging = withSourceIdentityOf(prepared.tagging, userName);
  const attempt = (roleArn: string) =>
    assumeRoleStep(aws, { roleArn, sessionName, durationSeconds, externalId: request.externalId, tagging, mfa: serial ? { serial, sources: deps.mfa } : undefined }, events);
  const explain = (error: unknown, roleArn: string) => explainAssumeError(error, roleArn, request.externalId, tagging);

  let credentials: TemporaryCredentials;
  try {
    credentials = await attempt(lookup.record.roleArn);
  } catch (err) {
    if (!(lookup.remembered && isAccessDenied(err))) throw explain(err, lookup.record.roleArn);
    await store.forgetDiscovery(lookup.key).catch(() => undefined);
    const fresh = await discoverRole(aws, lookupRequest, events);
    if (fresh.roleArn === lookup.record.roleArn) throw explain(err, lookup.record.roleArn);
    lookup = { record: fresh, remembered: false, key: lookup.key };
    try {
      credentials = await attempt(fresh.roleArn);
    } catch (retryErr) {
      throw explain(retryErr, fresh.roleArn);
    }
  }
  const roleArn = lookup.record.roleArn;
  events({ type: 'assumed', roleArn });
  return { credentials, roleArn, account: roleArn.split(':')[4] ?? '', region, sourceProfile: from, sessionName, durationSeconds, lookup, tagging };
}

/** Remembers the role found, so the next run goes straight to AssumeRole; a failure is a warning. */
export function rememberLookup(store: StateStore, lookup: RoleLookup, events: EventSink): Promise<void> {
  // A remembered role is the record as it stands: writing it again (file, fsync, rename,
  // directory fsync) cost every remembered assume and daemon-made credential-process about 10 ms.
  if (lookup.remembered) return Promise.resolve();
  return saveState(() => store.writeDiscovery(lookup.key, lookup.record), `the role ${lookup.record.roleArn} could not be remembered under ${store.home}`, events);
}
