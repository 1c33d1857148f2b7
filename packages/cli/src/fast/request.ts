import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  anwbisHome,
  askedRegion,
  assertValidName,
  corpProfileOf,
  credentialsFilePath,
  DEFAULT_SETTINGS,
  loadSettingsLazily,
  requestKey,
  resolveTarget,
  sessionTaggingOf,
  splitTargetName,
  type Settings,
} from '@anwbis/core/fast';
import { normalizeArgv } from '../argv.js';
import type { DaemonCacheRequest } from './daemon-cache.js';

type Field =
  | 'mfa-code'
  | 'mfa-process'
  | 'project' | 'env' | 'role' | 'contractor' | 'target' | 'profile' | 'region' | 'externalid' | 'account' | 'group' | 'policy' | 'delegated';

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
  '--mfa-code': 'mfa-code',
  '--mfa-process': 'mfa-process',
};

/** A request the fast paths can answer: the same identity the full command computes. */
export interface FastRequest {
  readonly home: string;
  readonly settings: Settings;
  readonly profile: string;
  readonly key: string;
  readonly credentialsFile: string;
  /** Boolean flags given (only those the caller allowed). */
  readonly switches: ReadonlySet<string>;
  /** The request as asked, for the daemon to make the same credentials (see daemon-cache.ts). */
  readonly asked: DaemonCacheRequest;
}

/**
 * Parses `command args` as the full command would for the flags listed here and computes the
 * request key; undefined whenever the full command must decide (a flag not listed, a name
 * that does not resolve, a settings file that does not load).
 */
export async function fastRequest(command: string, args: readonly string[], allowed: { switches?: readonly string[]; ignored?: readonly Field[] } = {}): Promise<FastRequest | undefined> {
  const [, ...normalized] = normalizeArgv([command, ...args]);
  const values: Partial<Record<Field, string>> = {};
  const switches = new Set<string>();
  for (let i = 0; i < normalized.length; i++) {
    const arg = normalized[i]!;
    if (allowed.switches?.includes(arg)) {
      switches.add(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq !== -1 ? arg.slice(0, eq) : arg;
    const field = VALUE_FLAGS[name];
    if (field === undefined || values[field] !== undefined) return undefined;
    if ((field === 'mfa-code' || field === 'mfa-process') && !allowed.ignored?.includes(field)) return undefined;
    const value = name === arg ? normalized[++i] : arg.slice(eq + 1);
    if (value === undefined) return undefined;
    values[field] = value;
  }
  const env = process.env;
  const home = anwbisHome(env);
  const settings = existsSync(join(home, 'config')) ? await loadSettingsLazily(home).catch(() => undefined) : DEFAULT_SETTINGS;
  if (!settings) return undefined;
  try {
    const parts =
      values.target !== undefined
        ? values.project || values.env || values.role
          ? undefined
          : splitTargetName(values.target, settings.naming.profile)
        : values.project && values.env && values.role
          ? { project: values.project, env: values.env, role: values.role }
          : undefined;
    if (!parts || (parts.role === 'contractor') !== (values.contractor !== undefined)) return undefined;
    const asked = {
      ...parts,
      ...(values.contractor !== undefined ? { contractor: values.contractor } : {}),
      ...(values.group !== undefined ? { groupName: values.group } : {}),
      ...(values.policy !== undefined ? { policyName: values.policy } : {}),
      ...(values.delegated !== undefined ? { delegatedRoleName: values.delegated } : {}),
    };
    const target = resolveTarget(asked, settings.naming);
    if (values.profile !== undefined) assertValidName('profile', values.profile);
    const credentialsFile = credentialsFilePath(env);
    const sourceProfile = values.profile || env.AWS_PROFILE || 'default';
    const region = askedRegion(values.region, env);
    const key = requestKey({
      target,
      source: corpProfileOf(sourceProfile, settings.naming),
      region,
      externalId: values.externalid,
      account: values.account,
      credentialsFile,
      // Only `[assume]`: a --source-identity or --tag is a flag not listed here, left to the command's bundle.
      tagging: sessionTaggingOf({}, settings.assume),
    });
    return {
      home,
      settings,
      profile: target.profileName,
      key,
      credentialsFile,
      switches,
      asked: { target: asked, sourceProfile, region, externalId: values.externalid, account: values.account, credentialsFile, home },
    };
  } catch {
    return undefined;
  }
}
