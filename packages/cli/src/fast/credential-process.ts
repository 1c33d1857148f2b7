import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isFresh } from '@anwbis/core/expiry/expiry';
import { renderPattern } from '@anwbis/core/naming/patterns';
import { assertValidName } from '@anwbis/core/naming/validate';
import { DEFAULT_SETTINGS } from '@anwbis/core/settings/defaults';
import { anwbisHome } from '@anwbis/core/paths/paths';
import { credentialProcessJson } from '@anwbis/core/output/credential-process';

const VALUE_FLAGS: Readonly<Record<string, 'project' | 'env' | 'role' | 'contractor' | 'target' | 'ignored'>> = {
  '-p': 'project',
  '--project': 'project',
  '-e': 'env',
  '--env': 'env',
  '-r': 'role',
  '--role': 'role',
  '-c': 'contractor',
  '--contractor': 'contractor',
  '--target': 'target',
  '-P': 'ignored',
  '--profile': 'ignored',
  '--region': 'ignored',
  '--mfa-process': 'ignored',
  '--mfa-serial': 'ignored',
  '--externalid': 'ignored',
  '--account': 'ignored',
};

/**
 * `anwbis credential-process` when the cached credentials are still valid: answers from the
 * cache file without loading oclif or the AWS SDK, since every AWS client start pays for it.
 * Returns false (nothing printed) whenever the full command must decide: a miss, an expired
 * entry, or any argument this parser does not know.
 */
export async function fastCredentialProcess(args: readonly string[]): Promise<boolean> {
  const values: Partial<Record<'project' | 'env' | 'role' | 'contractor' | 'target', string>> = {};
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const eq = arg.indexOf('=');
    const name = arg.startsWith('--') && eq !== -1 ? arg.slice(0, eq) : arg;
    const field = VALUE_FLAGS[name];
    if (field === undefined) return false;
    const value = name === arg ? args[++i] : arg.slice(eq + 1);
    if (value === undefined) return false;
    if (field !== 'ignored') values[field] = value;
  }
  const home = anwbisHome(process.env);
  // The settings parser (and `ini`) is only loaded when there is a settings file to read.
  const settings = existsSync(join(home, 'config'))
    ? await (await import('@anwbis/core/settings/settings')).loadSettings(home).catch(() => undefined)
    : DEFAULT_SETTINGS;
  if (!settings) return false;
  let profile = values.target;
  if (profile === undefined) {
    if (!values.project || !values.env || !values.role) return false;
    const role = values.contractor ? `contractor-${values.contractor}` : values.role;
    try {
      profile = renderPattern(settings.naming.profile, { project: values.project, env: values.env, role });
    } catch {
      return false;
    }
  }
  try {
    assertValidName('profile', profile);
  } catch {
    return false;
  }
  let record: { version?: number; accessKeyId?: string; secretAccessKey?: string; sessionToken?: string; expiration?: string };
  try {
    // Synchronous: one small file, and nothing else to overlap with.
    record = JSON.parse(readFileSync(join(home, 'credentials', `${encodeURIComponent(profile)}.json`), 'utf8'));
  } catch {
    return false;
  }
  if (record.version !== 1 || !record.accessKeyId || !record.secretAccessKey || !record.sessionToken || !record.expiration) return false;
  const expiration = new Date(record.expiration);
  if (!isFresh(expiration, new Date(), settings.refreshMarginSeconds)) return false;
  process.stdout.write(
    `${credentialProcessJson({ accessKeyId: record.accessKeyId, secretAccessKey: record.secretAccessKey, sessionToken: record.sessionToken, expiration })}\n`,
  );
  return true;
}
