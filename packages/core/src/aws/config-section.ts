import { getSection } from '../credentials-file/ini-edit.js';

/**
 * A profile's section of the AWS config file, as the SDK and the AWS CLI name it: `[profile X]`,
 * and `[default]` (or `[profile default]`) for the default profile. Throws on a file the parser
 * refuses.
 */
export function configProfileSection(config: string, profile: string): Record<string, string> | undefined {
  if (profile === 'default') return getSection(config, 'default') ?? getSection(config, 'profile default');
  return getSection(config, `profile ${profile}`);
}
