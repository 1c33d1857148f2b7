import { existsSync } from 'node:fs';
import {
  anwbisHome,
  askedRegion,
  DEFAULT_SETTINGS,
  loadSettingsLazily,
  resolveRequest,
  settingsFilePath,
  targetRequestOf,
  validateAssumeRequest,
  type AssumeRequest,
  type Settings,
} from '@anwbis/core/fast';
import { FLAG_GROUPS, type FlagName } from '../flags/argv.js';
import { requestFromFlags } from '../flags/request.js';
import type { DaemonCacheRequest } from './daemon-cache.js';
import { readFlags, type FlagValues } from './simple-args.js';

/** The flags that name a request the fast paths can answer: the role, its overrides, the source. */
export const REQUEST_FLAGS = [...FLAG_GROUPS.target, 'target', 'profile', 'region'] as const;
type RequestFlag = (typeof REQUEST_FLAGS)[number];

/** A request the fast paths can answer: the same identity the full command computes. */
export interface FastRequest<N extends FlagName> {
  readonly home: string;
  readonly settings: Settings;
  readonly profile: string;
  readonly key: string;
  readonly credentialsFile: string;
  /** The flags as read. */
  readonly flags: FlagValues<N>;
  /** The request as asked, for the daemon to make the same credentials (see daemon-cache.ts). */
  readonly asked: DaemonCacheRequest;
}

/**
 * Reads `command args` when they are only {@link REQUEST_FLAGS} and `more`, and resolves the
 * request with core's own checks and request key (what the full command computes before it
 * reuses or caches anything); undefined whenever the full command must decide (another flag,
 * a name that does not resolve, a settings file that does not load).
 */
export async function fastRequest<N extends FlagName>(
  command: string,
  args: readonly string[],
  more: readonly N[] = [],
  /** What the command makes of the request before it is resolved (its source, say); undefined: the full command decides. */
  adjust: (request: AssumeRequest, flags: FlagValues<N | RequestFlag>, context: { home: string; settings: Settings }) => AssumeRequest | undefined = (request) => request,
): Promise<FastRequest<N | RequestFlag> | undefined> {
  const flags = readFlags<N | RequestFlag>(command, args, [...REQUEST_FLAGS, ...more]);
  if (!flags) return undefined;
  const env = process.env;
  const home = anwbisHome(env);
  const settings = existsSync(settingsFilePath(home)) ? await loadSettingsLazily(home).catch(() => undefined) : DEFAULT_SETTINGS;
  if (!settings) return undefined;
  try {
    const request = adjust(requestFromFlags(flags), flags, { home, settings });
    if (!request) return undefined;
    validateAssumeRequest(request);
    const { target, files, key } = resolveRequest(request, settings, env);
    const sourceProfile = request.sourceProfile || env.AWS_PROFILE || 'default';
    const region = askedRegion(request.region, env);
    const { credentialsFile } = files;
    return {
      home,
      settings,
      profile: target.profileName,
      key,
      credentialsFile,
      flags,
      asked: { target: targetRequestOf(request.target, settings.naming), sourceProfile, region, externalId: request.externalId, account: request.account, credentialsFile, home },
    };
  } catch {
    return undefined;
  }
}
