import { AnwbisError, shown } from '../errors/errors.js';
import type { AwsCredentials } from '../aws/port.js';

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
