import { configFilePath, credentialsFilePath, type Env } from '../paths/paths.js';

/**
 * The region to use: `--region`, `AWS_REGION`, `AWS_DEFAULT_REGION`, the profile's `region` in
 * the config file (read by the SDK's own loader, as the AWS CLI reads it), then `us-east-1`.
 */
export async function resolveRegion(flag: string | undefined, env: Env, profile: string): Promise<string> {
  const decided = flag || env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (decided) return decided;
  try {
    const { loadSharedConfigFiles } = await import('@smithy/shared-ini-file-loader');
    const files = await loadSharedConfigFiles({ filepath: credentialsFilePath(env), configFilepath: configFilePath(env), ignoreCache: true });
    return files.configFile[profile]?.region || 'us-east-1';
  } catch {
    // An unreadable config file does not decide the region; writing to it reports the problem.
    return 'us-east-1';
  }
}
