import { readAwsFileToLook } from '../credentials-file/aws-file.js';
import { configFilePath, type Env } from '../paths/paths.js';
import { configProfileSection } from './config-section.js';

/**
 * The region to use: `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region` in
 * the config file (where the AWS CLI and the SDK read it), then `us-east-1`.
 */
export async function resolveRegion(flag: string | undefined, env: Env, profile: string): Promise<string> {
  const decided = flag || env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (decided) return decided;
  const config = await readAwsFileToLook(configFilePath(env));
  try {
    return (config !== undefined && configProfileSection(config, profile)?.region) || 'us-east-1';
  } catch {
    // A config file the parser refuses, like a missing or unreadable one, does not decide the
    // region; writing to it reports the problem.
    return 'us-east-1';
  }
}
