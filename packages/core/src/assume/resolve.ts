/*
 * What a request for a delegated role's credentials asks for, and what it resolves to: its
 * checks, its target's names, the files it writes and its request key. Pure, and free of the
 * AWS SDK and of the settings parser, so the fast paths (through core/fast) resolve a command
 * line exactly as the full command does.
 */
import { AnwbisError, shown } from '../errors/errors.js';
import { askedRegion, EC2_SOURCE, requestKey } from '../cache/request-key.js';
import { corpProfileOf, resolveTarget, type NamingPatterns, type Target, type TargetRequest } from '../naming/patterns.js';
import { splitTargetName } from '../naming/target-name.js';
import { assertValidName } from '../naming/validate.js';
import { configFilePath, credentialsFilePath, type Env } from '../paths/paths.js';
import type { Settings } from '../settings/defaults.js';
import { sessionTaggingOf, type SessionTagging, type SessionTaggingFlags } from '../session-tags/session-tags.js';
import { ASSUME_ROLE_DURATION } from '../aws-steps/limits.js';
import type { ProfileFiles } from '../profiles/profile-writer.js';

/** Which delegated role: `-p/-e/-r` (with the overrides), or `--target` naming its profile. */
export type TargetSpec = TargetRequest | (Omit<TargetRequest, 'project' | 'env' | 'role'> & { readonly name: string });

/** One request for a delegated role's credentials, as the flags describe it. */
export interface AssumeRequest {
  readonly target: TargetSpec;
  /** `--profile`: the corp source profile; else `AWS_PROFILE`, else `default`. */
  readonly sourceProfile?: string;
  readonly region?: string;
  readonly durationSeconds?: number;
  readonly refresh?: boolean;
  readonly noMfa?: boolean;
  readonly mfaSerial?: string;
  readonly externalId?: string;
  readonly account?: string;
  readonly sessionName?: string;
  /** Take the source credentials from the EC2 instance role (implies no MFA). */
  readonly fromEc2Role?: boolean;
  /** `--source-identity`, `--tag`, `--transitive-tag` as typed; `[assume]` in the settings fills in. */
  readonly tagging?: SessionTaggingFlags;
}

/** `-p/-e/-r` with the overrides: `--target` read back with the profile pattern in force. */
export function targetRequestOf(spec: TargetSpec, patterns: NamingPatterns): TargetRequest {
  if (!('name' in spec)) return spec;
  const { name, ...overrides } = spec;
  return { ...overrides, ...splitTargetName(name, patterns.profile) };
}

/** Resolves `-p/-e/-r` or `--target` into names with the naming patterns in force. */
export function targetOf(spec: TargetSpec, patterns: NamingPatterns): Target {
  const parts = targetRequestOf(spec, patterns);
  if (parts.role === 'contractor' && spec.contractor === undefined) {
    throw new AnwbisError('usage', '-r contractor needs -c NAME', { next: 'anwbis -p PROJECT -e ENV -r contractor -c NAME -ext EXTERNAL_ID' });
  }
  if (spec.contractor !== undefined && parts.role !== 'contractor') throw new AnwbisError('usage', '-c/--contractor goes with -r contractor');
  return resolveTarget(parts, patterns);
}

/** Checks everything the user typed that needs no settings, before any file is read or AWS is called. */
export function validateAssumeRequest(request: AssumeRequest): void {
  const t = request.target;
  if ('name' in t) assertValidName('profile', t.name);
  else {
    assertValidName('project', t.project);
    assertValidName('environment', t.env);
    assertValidName('role', t.role);
  }
  if (t.contractor !== undefined) assertValidName('contractor', t.contractor);
  if (t.profileName !== undefined) assertValidName('profile', t.profileName);
  if (t.groupName !== undefined) assertValidName('group', t.groupName);
  if (t.policyName !== undefined) assertValidName('policy', t.policyName);
  if (t.delegatedRoleName !== undefined) assertValidName('delegated role', t.delegatedRoleName);
  if (request.sourceProfile !== undefined) assertValidName('profile', request.sourceProfile);
  if (request.sessionName !== undefined) assertValidName('session name', request.sessionName);
  const d = request.durationSeconds;
  if (d !== undefined && (!Number.isInteger(d) || d < ASSUME_ROLE_DURATION.min || d > ASSUME_ROLE_DURATION.max)) {
    throw new AnwbisError('usage', `--duration ${d} is outside what STS allows for AssumeRole: ${ASSUME_ROLE_DURATION.min} to ${ASSUME_ROLE_DURATION.max} seconds`);
  }
  if (request.externalId !== undefined && !/^[\w+=,.@:/-]{2,1224}$/.test(request.externalId)) {
    throw new AnwbisError('usage', `invalid external id ${shown(request.externalId)}: 2 to 1224 of letters, digits and + = , . @ : / - _`);
  }
  if (request.account !== undefined && !/^\d{12}$/.test(request.account)) {
    throw new AnwbisError('usage', `invalid account ${shown(request.account)}: an AWS account id is 12 digits`);
  }
  if (request.mfaSerial !== undefined && !/^[\w+=/:,.@-]{9,256}$/.test(request.mfaSerial)) {
    throw new AnwbisError('usage', `invalid MFA serial ${shown(request.mfaSerial)}`);
  }
}

/** A request resolved with the settings in force: names, files and fingerprint. */
export interface ResolvedRequest {
  readonly target: Target;
  readonly files: ProfileFiles;
  /** The request's fingerprint: what reused and cached credentials must have been made for. */
  readonly key: string;
  /** The flags over `[assume]`; the source identity may still be `auto`. */
  readonly tagging: SessionTagging;
}

/**
 * Resolves a checked request ({@link validateAssumeRequest}) with the settings in force. Reads
 * no file and calls nothing; throws the usage error of a request that names no valid role.
 */
export function resolveRequest(request: AssumeRequest, settings: Settings, env: Env): ResolvedRequest {
  const target = targetOf(request.target, settings.naming);
  const tagging = sessionTaggingOf(request.tagging ?? {}, settings.assume);
  if (request.target.contractor !== undefined && request.externalId === undefined) {
    throw new AnwbisError('usage', '-r contractor needs -ext EXTERNAL_ID', { next: 'anwbis -p PROJECT -e ENV -r contractor -c NAME -ext EXTERNAL_ID' });
  }
  const files = { credentialsFile: credentialsFilePath(env), configFile: configFilePath(env) };
  const askedSource = request.fromEc2Role ? EC2_SOURCE : corpProfileOf(request.sourceProfile || env.AWS_PROFILE || 'default', settings.naming);
  const key = requestKey({
    target,
    source: askedSource,
    region: askedRegion(request.region, env),
    externalId: request.externalId,
    account: request.account,
    credentialsFile: files.credentialsFile,
    tagging,
  });
  return { target, files, key, tagging };
}
