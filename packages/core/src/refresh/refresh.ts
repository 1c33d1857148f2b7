import { AnwbisError } from '../errors/errors.js';
import type { TemporaryCredentials } from '../aws/port.js';
import { StateStore } from '../cache/state-store.js';
import { anwbisHome, configFilePath, credentialsFilePath } from '../paths/paths.js';
import { loadSettings } from '../settings/settings.js';
import { corpProfileOf } from '../naming/patterns.js';
import { findValidSession, sessionCommand } from '../source/source.js';
import { assumeRoleStep, explainAssumeError } from '../aws-steps/assume-role.js';
import { ROLE_CHAINING_MAX_SECONDS } from '../aws-steps/limits.js';
import { writeProfile } from '../profiles/profile-writer.js';
import type { FlowDeps } from '../assume/request.js';

/** A profile refreshed in place. */
export interface RefreshResult {
  readonly profile: string;
  readonly credentials: TemporaryCredentials;
  /** The corp session the new credentials were made from. */
  readonly session: string;
}

/**
 * Refreshes a delegated profile anwbis wrote, from the valid corp session of its corp profile:
 * the remembered role ARN, session name, external id, source identity and session tags, no discovery, no prompt. AssumeRole
 * with session credentials is role chaining, capped by AWS at one hour, so at most 3600 s are
 * asked for. Fails with kind `mfa` when there is no valid corp session: only a person can start one.
 */
export async function refreshWrittenProfile(profile: string, deps: Omit<FlowDeps, 'mfa' | 'instanceMetadata' | 'loadSourceCredentials'>, options: { durationSeconds?: number } = {}): Promise<RefreshResult> {
  const home = anwbisHome(deps.env);
  const settings = await loadSettings(home);
  const store = new StateStore(home);
  const files = { credentialsFile: credentialsFilePath(deps.env), configFile: configFilePath(deps.env) };
  const record = await store.readProfile(profile);
  if (record?.kind !== 'assume' || !record.roleArn || !record.sessionName) {
    throw new AnwbisError('config', `profile ${profile} was not written by this anwbis, so it cannot be refreshed`, {
      next: 'assume it once with anwbis -p PROJECT -e ENV -r ROLE, then watch it',
    });
  }
  const corp = corpProfileOf(record.sourceProfile, settings.naming);
  const session = await findValidSession(record.sourceProfile, { store, env: deps.env, clock: deps.clock, patterns: settings.naming });
  if (!session) {
    throw new AnwbisError('mfa', `no valid corp session for ${corp}: ${profile} cannot be refreshed without an MFA code`, {
      next: `run \`${sessionCommand(corp)}\` (one MFA code)`,
    });
  }
  // The session's keys as just read and checked against its record: a daemon refreshing
  // hundreds of profiles would otherwise parse both AWS files again per refresh in the SDK.
  const aws = deps.createAws({ credentials: session.credentials, region: record.region });
  const tagging = { sourceIdentity: record.sourceIdentity, tags: record.tags ?? [], transitiveTagKeys: record.transitiveTagKeys ?? [] };
  const durationSeconds = Math.min(options.durationSeconds ?? record.durationSeconds ?? ROLE_CHAINING_MAX_SECONDS, ROLE_CHAINING_MAX_SECONDS);
  const credentials = await assumeRoleStep(
    aws,
    { roleArn: record.roleArn, sessionName: record.sessionName, durationSeconds, externalId: record.externalId, tagging },
    deps.events,
  ).catch((err: unknown) => {
    throw explainAssumeError(err, record.roleArn!, record.externalId, tagging);
  });
  deps.events({ type: 'assumed', roleArn: record.roleArn });
  const { version: _v, accessKeyId: _k, expiration: _e, ...kept } = record;
  await writeProfile(files, store, { credentials, record: { ...kept, durationSeconds } }, deps.events);
  return { profile, credentials, session: session.profile };
}
