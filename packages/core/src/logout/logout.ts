import { getSection, iniError, parseAwsIni, removeSection, sectionExtras, setSection, type SectionExtras } from '../credentials-file/ini-edit.js';
import { displayPath, readAwsFile, updateAwsFile } from '../credentials-file/aws-file.js';
import { StateStore, type ProfileRecord } from '../cache/state-store.js';
import { splitCommandLine } from '../process/shell-words.js';
import { resolveTarget, type TargetRequest } from '../naming/patterns.js';
import { anwbisHome, configFilePath, credentialsFilePath, type Env } from '../paths/paths.js';
import { configSectionName, CREDENTIALS_KEYS } from '../profiles/profiles.js';
import { loadSettings } from '../settings/settings.js';

/** Which profiles to log out of: one delegated role, or every profile anwbis wrote. */
export type LogoutRequest = { readonly target: TargetRequest } | { readonly all: true };

export interface LogoutDeps {
  readonly env: Env;
  /**
   * Stops the daemon refreshing a profile, called before its files are removed so the daemon
   * does not write it back. Absent when no daemon can be watching (none is running).
   */
  readonly unwatch?: (profile: string) => Promise<void>;
}

/** The parts of anwbis's footprint for one profile. */
export type Footprint = 'credentials' | 'config' | 'cache' | 'state';

/** What logout did for one profile. */
export interface ProfileLogout {
  readonly profile: string;
  readonly removed: readonly Footprint[];
  /** Sections left in the AWS files, each with the reason, in the user's terms. */
  readonly kept: ReadonlyArray<{ readonly what: 'credentials' | 'config'; readonly why: string }>;
}

/** What anwbis knows it wrote for a profile. */
interface Ownership {
  readonly record?: ProfileRecord;
}

/** The verdict on one section of an AWS file. */
export type SectionVerdict = { readonly remove: true } | { readonly remove: false; readonly why?: string };

const ABSENT: SectionVerdict = { remove: false };

/**
 * Whether the credentials section is the one anwbis wrote: anwbis has a record of the profile
 * and the section still holds the access key id of that record. A section anwbis has no record
 * of, or that something else has rewritten since, is not anwbis's to remove.
 */
export function judgeCredentialsSection(section: Readonly<Record<string, string>> | undefined, record: ProfileRecord | undefined): SectionVerdict {
  if (section === undefined) return ABSENT;
  if (record === undefined) return { remove: false, why: 'anwbis has no record of writing it' };
  if (section.aws_access_key_id !== record.accessKeyId) return { remove: false, why: 'it holds other keys than anwbis wrote (changed since)' };
  return { remove: true };
}

/**
 * Whether a `credential_process` command is one `anwbis configure` writes:
 * `… credential-process -p P -e E -r R …` (other tools' commands, such as granted's
 * `granted credential-process --profile X`, do not name the role with -p/-e/-r).
 */
export function isAnwbisCredentialProcess(command: string): boolean {
  let words: string[];
  try {
    words = splitCommandLine(command);
  } catch {
    return false;
  }
  const at = words.indexOf('credential-process');
  if (at < 1) return false;
  const rest = words.slice(at + 1);
  return ['-p', '-e', '-r'].every((flag) => rest.includes(flag));
}

/** The keys anwbis writes into a profile's config section. */
const CONFIG_KEYS = ['region', 'credential_process'];

/** `region, a comment`: the lines of a section anwbis did not write, in a message; undefined when none. */
function describeExtras(extras: SectionExtras): string | undefined {
  const comments = extras.comments === 0 ? [] : [extras.comments === 1 ? 'a comment' : `${extras.comments} comments`];
  const parts = [...extras.keys, ...comments];
  return parts.length > 0 ? parts.join(', ') : undefined;
}

/**
 * Whether a config section holds only what anwbis writes into it: `region` (as recorded, when
 * anwbis has a record) and an anwbis `credential_process`. A key anwbis never writes (`output`,
 * `sso_session`, …) or a comment among its keys means a person or another tool owns the section
 * too, so it stays.
 * @param comments comment lines among the section's keys ({@link sectionExtras}).
 */
export function judgeConfigSection(section: Readonly<Record<string, string>> | undefined, record: ProfileRecord | undefined, comments = 0): SectionVerdict {
  if (section === undefined) return ABSENT;
  const extras = describeExtras({ keys: Object.keys(section).filter((key) => !CONFIG_KEYS.includes(key)), comments });
  if (extras !== undefined) return { remove: false, why: `it has lines anwbis did not write (${extras})` };
  const process = section.credential_process;
  if (process !== undefined && !isAnwbisCredentialProcess(process)) return { remove: false, why: 'its credential_process is not anwbis' };
  if (process === undefined && record === undefined) return { remove: false, why: 'anwbis has no record of writing it' };
  if (record !== undefined && section.region !== undefined && section.region !== record.region) {
    return { remove: false, why: `its region was changed since anwbis wrote ${record.region}` };
  }
  return { remove: true };
}

/**
 * Refuses a file botocore cannot read before anything of it is judged: getSection reads only its
 * section, and nothing, not even the state under ANWBIS_HOME, goes while a file is broken.
 */
function assertParses(text: string): void {
  const error = iniError(text);
  if (error) throw error;
}

/** Profiles whose config section runs anwbis's credential_process. */
function credentialProcessProfiles(configText: string, configFile: string): string[] {
  const parsed = parseAwsIni(configText);
  if (!parsed.ok) throw parsed.error.inFile(displayPath(configFile));
  return parsed.ini.sections
    .map((s) => s.name)
    .filter((name) => name.startsWith('profile '))
    .filter((name) => {
      const command = getSection(configText, name)?.credential_process;
      return command !== undefined && isAnwbisCredentialProcess(command);
    })
    .map((name) => name.slice('profile '.length));
}

/**
 * Removes what anwbis wrote for the requested profiles and nothing else: the credentials
 * section it wrote (only its keys when a person added lines to it: those stay, and are named),
 * the config section if it holds only anwbis's settings, and its cache and state under
 * `ANWBIS_HOME`. Every other byte of the AWS files stays as it was. A watched profile is
 * unwatched first.
 */
export async function logout(request: LogoutRequest, deps: LogoutDeps): Promise<ProfileLogout[]> {
  const home = anwbisHome(deps.env);
  const store = new StateStore(home);
  const credentialsFile = credentialsFilePath(deps.env);
  const configFile = configFilePath(deps.env);

  let profiles: string[];
  if ('all' in request) {
    const names = new Set([
      ...(await store.listProfiles('profiles')),
      ...(await store.listProfiles('credentials')),
      ...credentialProcessProfiles(await readAwsFile(configFile), configFile),
    ]);
    profiles = [...names].sort();
  } else {
    const settings = await loadSettings(home);
    profiles = [resolveTarget(request.target, settings.naming).profileName];
  }

  const owned = new Map<string, Ownership>();
  for (const profile of profiles) {
    const record = await store.readProfile(profile);
    owned.set(profile, record ? { record } : {});
  }
  for (const profile of profiles) await deps.unwatch?.(profile);

  const removed = new Map<string, Footprint[]>(profiles.map((p) => [p, []]));
  const kept = new Map<string, Array<{ what: 'credentials' | 'config'; why: string }>>(profiles.map((p) => [p, []]));
  const credentialsGone = new Set<string>();

  await updateAwsFile(credentialsFile, (text) => {
    assertParses(text);
    let next = text;
    for (const profile of profiles) {
      const section = getSection(next, profile);
      const verdict = judgeCredentialsSection(section, owned.get(profile)?.record);
      if (verdict.remove) {
        const extras = describeExtras(sectionExtras(next, profile, CREDENTIALS_KEYS)!);
        if (extras === undefined) next = removeSection(next, profile);
        else {
          // The secrets go in any case; what the person wrote beside them is theirs.
          next = setSection(next, profile, [], { removeKeys: CREDENTIALS_KEYS });
          kept.get(profile)!.push({ what: 'credentials', why: `[${profile}] in ${displayPath(credentialsFile)}: it has lines anwbis did not write (${extras}), kept without anwbis's keys` });
        }
        removed.get(profile)!.push('credentials');
      } else if (verdict.why) {
        kept.get(profile)!.push({ what: 'credentials', why: `[${profile}] in ${displayPath(credentialsFile)}: ${verdict.why}` });
      }
      if (verdict.remove || section === undefined) credentialsGone.add(profile);
    }
    return next;
  });

  await updateAwsFile(configFile, (text) => {
    assertParses(text);
    let next = text;
    for (const profile of profiles) {
      const name = configSectionName(profile);
      const section = getSection(next, name);
      if (section === undefined) continue;
      const verdict = credentialsGone.has(profile)
        ? judgeConfigSection(section, owned.get(profile)?.record, sectionExtras(next, name, CONFIG_KEYS)!.comments)
        : { remove: false as const, why: 'its credentials section stays' };
      if (verdict.remove) {
        next = removeSection(next, name);
        removed.get(profile)!.push('config');
      } else if (verdict.why) {
        kept.get(profile)!.push({ what: 'config', why: `[${name}] in ${displayPath(configFile)}: ${verdict.why}` });
      }
    }
    return next;
  });

  for (const profile of profiles) {
    if (await store.readCredentials(profile)) removed.get(profile)!.push('cache');
    await store.forgetCredentials(profile);
    if (owned.get(profile)?.record) removed.get(profile)!.push('state');
    await store.forgetProfile(profile);
  }

  return profiles.map((profile) => ({ profile, removed: removed.get(profile)!, kept: kept.get(profile)! }));
}
