import { AnwbisError, shown } from '../errors/errors.js';
import { getSection } from '../credentials-file/ini-edit.js';
import type { AwsCredentials } from './port.js';
import type { Env } from '../paths/paths.js';

/**
 * Loads the source (corp) credentials of a named profile with the SDK's own resolver, so every
 * profile form the AWS CLI accepts works (static keys, session tokens, credential_process, …).
 */
export async function loadProfileCredentials(profile: string, where: string): Promise<AwsCredentials> {
  const { fromIni } = await import('@aws-sdk/credential-provider-ini');
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
 * The region to use: `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region` in
 * the config file, then `us-east-1`.
 */
export function resolveRegion(flag: string | undefined, env: Env, configText: string, profile: string): string {
  const fromConfig = () => {
    try {
      return getSection(configText, profile === 'default' ? 'default' : `profile ${profile}`)?.region;
    } catch {
      return undefined;
    }
  };
  return flag || env.AWS_REGION || env.AWS_DEFAULT_REGION || fromConfig() || 'us-east-1';
}
