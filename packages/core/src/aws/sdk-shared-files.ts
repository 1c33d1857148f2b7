import { join } from 'node:path';
import { externalDataInterceptor, getHomeDir, getProfileName } from '@smithy/shared-ini-file-loader';
import { readAwsFileToLook } from '../credentials-file/aws-file.js';
import { getSection, sectionsOnly } from '../credentials-file/ini-edit.js';

// `[profile NAME]`, `[services NAME]`, `[sso-session NAME]` as the SDK reads them (optionally quoted).
const PREFIXED = /^(profile|services|sso-session)\s+(["']?)(.+)\2$/;

/** Where the SDK reads a shared file: the variable as given, else under its home directory. */
function sdkPath(variable: string | undefined, file: string): string {
  const path = variable || join(getHomeDir(), '.aws', file);
  return path.startsWith('~/') ? join(getHomeDir(), path.slice(2)) : path;
}

const narrowed = new Set<string>();

/** The copies {@link readNarrowedSharedFiles} cut, by the path the SDK reads. */
export type NarrowedSharedFiles = ReadonlyMap<string, string>;

/**
 * The AWS SDK parses the whole config and credentials files again for each setting a client looks
 * up, about a dozen per client (aws-sdk-js-v3 #4564): with 20,000-line files, over a second per
 * command. A client anwbis makes is given its credentials and region, so of those files it can only
 * consult its profile (`AWS_PROFILE`, else `default`) and the `services` and `sso-session` sections
 * that profile names. This reads the files and cuts copies holding only those sections, verbatim;
 * {@link narrowSharedFilesForSdk} hands them to the SDK. A file this parser refuses is left to the
 * SDK whole.
 */
export async function readNarrowedSharedFiles(): Promise<NarrowedSharedFiles> {
  const env = process.env;
  const profile = getProfileName({});
  const configPath = sdkPath(env.AWS_CONFIG_FILE, 'config');
  const credentialsPath = sdkPath(env.AWS_SHARED_CREDENTIALS_FILE, 'credentials');
  const [config, credentials] = await Promise.all([readAwsFileToLook(configPath), readAwsFileToLook(credentialsPath)]);
  const copies = new Map<string, string>();
  if (config !== undefined) {
    let own: Record<string, string> | undefined;
    try {
      own = { ...(profile === 'default' ? getSection(config, 'default') : undefined), ...getSection(config, `profile ${profile}`) };
    } catch {
      own = undefined;
    }
    const values = [profile, own?.services, own?.sso_session].filter((value) => value !== undefined);
    const wanted = (name: string) => {
      if (name === 'default') return profile === 'default';
      // Thousands of names in a long file: those that end with no wanted value (bare, or before a
      // closing quote) are passed over without the regular expression.
      if (!values.some((value) => name.endsWith(value) || name.endsWith(value, name.length - 1))) return false;
      const [, kind, , value] = PREFIXED.exec(name) ?? [];
      if (kind === 'profile') return value === profile;
      if (kind === 'services') return value === own?.services;
      return kind === 'sso-session' && value === own?.sso_session;
    };
    const copy = own === undefined ? undefined : sectionsOnly(config, wanted);
    if (copy !== undefined) copies.set(configPath, copy);
  }
  if (credentials !== undefined) {
    const copy = sectionsOnly(credentials, (name) => name === profile);
    if (copy !== undefined) copies.set(credentialsPath, copy);
  }
  return copies;
}

/**
 * Hands the SDK, through its own interceptor, the copies {@link readNarrowedSharedFiles} cut in
 * place of the files; they hold for the rest of the process, as the SDK's own cache of the files
 * would. One read serves every client of a command, and puts the copies back after
 * {@link widenSharedFilesForSdk}.
 *
 * Only for a process that makes its clients and ends (the CLI): {@link widenSharedFilesForSdk}
 * undoes it before anything else of the SDK reads the files for another profile.
 */
export function narrowSharedFilesForSdk(copies: NarrowedSharedFiles): void {
  for (const [path, copy] of copies) {
    externalDataInterceptor.interceptFile(path, copy);
    narrowed.add(path);
  }
}

/** Gives the SDK the whole files again (for its resolver of another profile's credentials). */
export function widenSharedFilesForSdk(): void {
  const record = externalDataInterceptor.getFileRecord();
  for (const path of narrowed) delete record[path];
  narrowed.clear();
}
