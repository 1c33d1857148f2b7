import { AnwbisError, shown } from '../errors/errors.js';
import { configProfileSection } from '../aws/config-section.js';
import type { AwsCredentials } from '../aws/port.js';
import { readAwsFileToLook } from '../credentials-file/aws-file.js';
import { getSection } from '../credentials-file/ini-edit.js';
import { anwbisHome, configFilePath, credentialsFilePath, type Env } from '../paths/paths.js';
import { readKeyIndex } from '../keys/key-index.js';
import type { PassphrasePrompt } from '../keys/backend.js';

/**
 * Loads the source (corp) credentials of a named profile. Keys `anwbis keys add` stored (the
 * keychain or the key file) come first; plain access keys in the AWS files (the corp user's, or
 * a corp session's) are read here; every other profile form the AWS CLI accepts
 * (credential_process, SSO, a role to assume, web identity, …) goes to the SDK's own resolver.
 *
 * @param askPassphrase asks a person for the key file's passphrase; without it only
 *   `ANWBIS_KEYS_PASSPHRASE` opens the file.
 */
export async function loadProfileCredentials(profile: string, where: string, env: Env = process.env, askPassphrase?: PassphrasePrompt): Promise<AwsCredentials> {
  const stored = (await readKeyIndex(anwbisHome(env)))[profile];
  if (stored) {
    // Only here, for a profile the index names, is the keychain module (native code, D-Bus) loaded.
    const { loadStoredKeys } = await import('../keys/store.js');
    return loadStoredKeys(profile, stored.backend, { env, askPassphrase });
  }
  const keys = await staticKeysOf(profile, env);
  if (keys) return keys;
  const { fromIni } = await import('@aws-sdk/credential-provider-ini');
  // Another profile's credentials (a role chain, SSO, a process) need the whole files.
  (await import('../aws/sdk-shared-files.js')).widenSharedFilesForSdk();
  try {
    return await fromIni({ profile, ignoreCache: true })();
  } catch (err) {
    throw new AnwbisError('config', `no usable credentials for profile ${shown(profile)} in ${where}: ${(err as Error).message}`, {
      next: `set up your corp access keys with \`aws configure --profile ${profile}\`, or pass --profile`,
      cause: err,
    });
  }
}

/**
 * The profile's static keys as the SDK's resolver would find them, or undefined for anything
 * else: the profile merged from the config file and the credentials file (whose values win),
 * and a profile with `role_arn` is a role to assume even when it also has keys. Loading the
 * resolver costs every assume that calls AWS about a tenth of its start, and it reads both
 * files again, twice.
 */
export async function staticKeysOf(profile: string, env: Env): Promise<AwsCredentials | undefined> {
  const [credentials, config] = await Promise.all([readAwsFileToLook(credentialsFilePath(env)), readAwsFileToLook(configFilePath(env))]);
  let merged: Record<string, string>;
  try {
    const fromConfig = config === undefined ? undefined : configProfileSection(config, profile);
    merged = { ...fromConfig, ...(credentials === undefined ? undefined : getSection(credentials, profile)) };
  } catch {
    // A file this parser refuses: the SDK's resolver reads it and explains what it finds.
    return undefined;
  }
  const { aws_access_key_id: accessKeyId, aws_secret_access_key: secretAccessKey, aws_session_token: sessionToken } = merged;
  if ('role_arn' in merged || !accessKeyId || !secretAccessKey) return undefined;
  return sessionToken ? { accessKeyId, secretAccessKey, sessionToken } : { accessKeyId, secretAccessKey };
}
