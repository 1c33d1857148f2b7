import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  anwbisHome,
  askedRegion,
  assertValidName,
  corpProfileOf,
  credentialProcessJson,
  credentialsCachePath,
  credentialsFilePath,
  DEFAULT_SETTINGS,
  isFresh,
  loadSettingsLazily,
  requestKey,
  resolveTarget,
  splitTargetName,
} from '@anwbis/core/fast';
import { normalizeArgv } from '../argv.js';
import { cacheThroughDaemon, type DaemonCacheRequest } from './daemon-cache.js';

type Field = 'project' | 'env' | 'role' | 'contractor' | 'target' | 'profile' | 'region' | 'externalid' | 'account' | 'group' | 'policy' | 'delegated';

const VALUE_FLAGS: Readonly<Record<string, Field>> = {
  '-p': 'project',
  '--project': 'project',
  '-e': 'env',
  '--env': 'env',
  '-r': 'role',
  '--role': 'role',
  '-c': 'contractor',
  '--contractor': 'contractor',
  '--target': 'target',
  '-P': 'profile',
  '--profile': 'profile',
  '--region': 'region',
  '--externalid': 'externalid',
  '--external-id': 'externalid',
  '--account': 'account',
  '--iam-master-group': 'group',
  '--iam-policy': 'policy',
  '--iam-delegated-role': 'delegated',
};

/**
 * `anwbis credential-process` when the cached credentials are still valid and were made for
 * this same request (role names, source, region, external id, account: the full command's
 * request key): answers from the cache file without loading oclif or the AWS SDK, since every
 * AWS client start pays for it. Returns false (nothing printed) whenever the full command must
 * decide: a miss, an expired or foreign entry, or any argument this parser does not know.
 */
export async function fastCredentialProcess(args: readonly string[]): Promise<boolean> {
  const [, ...normalized] = normalizeArgv(['credential-process', ...args]);
  const values: Partial<Record<Field, string>> = {};
  for (let i = 0; i < normalized.length; i++) {
    const arg = normalized[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq !== -1 ? arg.slice(0, eq) : arg;
    const field = VALUE_FLAGS[name];
    if (field === undefined || values[field] !== undefined) return false;
    const value = name === arg ? normalized[++i] : arg.slice(eq + 1);
    if (value === undefined) return false;
    values[field] = value;
  }
  const env = process.env;
  const home = anwbisHome(env);
  const settings = existsSync(join(home, 'config')) ? await loadSettingsLazily(home).catch(() => undefined) : DEFAULT_SETTINGS;
  if (!settings) return false;
  let key: string;
  let profile: string;
  let daemonRequest: DaemonCacheRequest;
  try {
    const parts =
      values.target !== undefined
        ? values.project || values.env || values.role
          ? undefined
          : splitTargetName(values.target, settings.naming.profile)
        : values.project && values.env && values.role
          ? { project: values.project, env: values.env, role: values.role }
          : undefined;
    if (!parts || (parts.role === 'contractor') !== (values.contractor !== undefined)) return false;
    const asked = {
      ...parts,
      ...(values.contractor !== undefined ? { contractor: values.contractor } : {}),
      ...(values.group !== undefined ? { groupName: values.group } : {}),
      ...(values.policy !== undefined ? { policyName: values.policy } : {}),
      ...(values.delegated !== undefined ? { delegatedRoleName: values.delegated } : {}),
    };
    const target = resolveTarget(asked, settings.naming);
    if (values.profile !== undefined) assertValidName('profile', values.profile);
    profile = target.profileName;
    const sourceProfile = values.profile || env.AWS_PROFILE || 'default';
    const region = askedRegion(values.region, env);
    const credentialsFile = credentialsFilePath(env);
    key = requestKey({
      target,
      source: corpProfileOf(sourceProfile, settings.naming),
      region,
      externalId: values.externalid,
      account: values.account,
      credentialsFile,
    });
    daemonRequest = { target: asked, sourceProfile, region, externalId: values.externalid, account: values.account, credentialsFile, home };
  } catch {
    return false;
  }
  if (answerFromCache(home, profile, key, settings.refreshMarginSeconds)) return true;
  // A miss: a running daemon makes and caches them from its corp session (see daemon-cache.ts).
  return (await cacheThroughDaemon(env, daemonRequest)) && answerFromCache(home, profile, key, settings.refreshMarginSeconds);
}

/** Prints the cached credentials of `profile` when they were made for `key` and are fresh. */
function answerFromCache(home: string, profile: string, key: string, refreshMarginSeconds: number): boolean {
  let record: { version?: unknown; requestKey?: unknown; accessKeyId?: unknown; secretAccessKey?: unknown; sessionToken?: unknown; expiration?: unknown };
  try {
    // Synchronous: one small file, and nothing else to overlap with.
    record = JSON.parse(readFileSync(credentialsCachePath(home, profile), 'utf8'));
  } catch {
    return false;
  }
  const { accessKeyId, secretAccessKey, sessionToken, expiration } = record;
  if (record.version !== 1 || record.requestKey !== key) return false;
  if (typeof accessKeyId !== 'string' || typeof secretAccessKey !== 'string' || typeof sessionToken !== 'string' || typeof expiration !== 'string') return false;
  if (!accessKeyId || !secretAccessKey || !sessionToken) return false;
  const expires = new Date(expiration);
  if (Number.isNaN(expires.getTime()) || !isFresh(expires, new Date(), refreshMarginSeconds)) return false;
  process.stdout.write(`${credentialProcessJson({ accessKeyId, secretAccessKey, sessionToken, expiration: expires })}\n`);
  return true;
}
