import { AnwbisError, shown } from '../errors/errors.js';
import { getSection } from '../credentials-file/ini-edit.js';
import type { AwsCredentials } from './port.js';
import { readAwsFile } from '../credentials-file/aws-file.js';
import { configFilePath, type Env } from '../paths/paths.js';

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
export async function resolveRegion(flag: string | undefined, env: Env, profile: string): Promise<string> {
  const decided = flag || env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (decided) return decided;
  try {
    const configText = await readAwsFile(configFilePath(env));
    return getSection(configText, profile === 'default' ? 'default' : `profile ${profile}`)?.region || 'us-east-1';
  } catch {
    // An unreadable config file does not decide the region; writing to it reports the problem.
    return 'us-east-1';
  }
}
