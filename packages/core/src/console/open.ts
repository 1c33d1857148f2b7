import { AnwbisError, shown } from '../errors/errors.js';
import type { TemporaryCredentials } from '../aws/port.js';
import type { Clock } from '../expiry/expiry.js';
import { StateStore } from '../cache/state-store.js';
import { anwbisHome, credentialsFilePath, type Env } from '../paths/paths.js';
import { readValidWrittenProfile } from '../profiles/profiles.js';
import { loadSettings } from '../settings/settings.js';
import { resolveTarget } from '../naming/patterns.js';
import { assertValidName } from '../naming/validate.js';
import { BROWSER_CHOICES, type BrowserChoice, type BrowserLauncher, type OpenResult } from './browser.js';
import { consoleLoginUrl, type FetchLike } from './signin.js';

/** How to open the console: `-b`, `--browser-command`, `--destination`, `--isolate`. */
export interface ConsoleRequest {
  readonly browser?: string;
  readonly browserCommand?: string;
  readonly destination?: string;
  readonly isolate?: boolean;
}

/** Refuses an unknown `-b` value before anything else runs. */
export function checkBrowserChoice(browser: string | undefined): BrowserChoice | undefined {
  if (browser === undefined) return undefined;
  if (!(BROWSER_CHOICES as readonly string[]).includes(browser)) {
    throw new AnwbisError('usage', `unknown browser ${shown(browser)}: use ${BROWSER_CHOICES.join(', ')}`, {
      next: "for any other browser use --browser-command 'CMD {url}'",
    });
  }
  return browser as BrowserChoice;
}

/**
 * Signs in to the AWS console with a role session's credentials and opens it (or, with
 * `-b link`, returns the URL for the caller to print).
 */
export async function openConsole(
  request: ConsoleRequest,
  session: { credentials: TemporaryCredentials; region: string; profile: string },
  deps: { env: Env; launcher: BrowserLauncher; fetch?: FetchLike },
): Promise<OpenResult> {
  const choice = checkBrowserChoice(request.browser) ?? 'default';
  const url = await consoleLoginUrl({
    credentials: session.credentials,
    region: session.region,
    env: deps.env,
    ...(request.destination !== undefined ? { destination: request.destination } : {}),
    ...(deps.fetch ? { fetch: deps.fetch } : {}),
  });
  return deps.launcher.open(url, choice, {
    ...(request.browserCommand !== undefined ? { command: request.browserCommand } : {}),
    ...(request.isolate ? { isolateProfile: session.profile } : {}),
  });
}

/**
 * The still-valid role credentials anwbis wrote for a profile, for `anwbis console`, with the
 * same margin as every other reuse (`[cache] refresh_margin_seconds`).
 */
export async function loadWrittenSession(profile: string, env: Env, clock: Clock): Promise<{ credentials: TemporaryCredentials; region: string }> {
  const home = anwbisHome(env);
  const { refreshMarginSeconds } = await loadSettings(home);
  const written = await readValidWrittenProfile(new StateStore(home), credentialsFilePath(env), profile, { now: clock.now(), marginSeconds: refreshMarginSeconds });
  if (!written) {
    throw new AnwbisError('config', `profile ${profile} has no valid credentials from anwbis`, {
      next: 'get new ones first: anwbis -p PROJECT -e ENV -r ROLE (add -b to open the console at once)',
    });
  }
  return { credentials: written.credentials, region: written.record.region };
}

/**
 * The profile `anwbis console` opens: `--target` as given, or `-p/-e/-r` named with the
 * `[naming] profile` pattern in force, as `assume` wrote it.
 */
export async function consoleProfileName(target: { project: string; env: string; role: string } | { name: string }, env: Env): Promise<string> {
  if ('name' in target) {
    assertValidName('profile', target.name);
    return target.name;
  }
  const { naming } = await loadSettings(anwbisHome(env));
  return resolveTarget(target, naming).profileName;
}
