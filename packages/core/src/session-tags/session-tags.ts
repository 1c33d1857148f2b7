import { AnwbisError, shown } from '../errors/errors.js';

/** One session tag sent to AssumeRole. */
export interface SessionTag {
  readonly key: string;
  readonly value: string;
}

/**
 * Who is using a delegated role, as CloudTrail shows it: AssumeRole's SourceIdentity, Tags and
 * TransitiveTagKeys. `sourceIdentity` may be {@link AUTO_SOURCE_IDENTITY} until the corp user's
 * name is known.
 */
export interface SessionTagging {
  readonly sourceIdentity?: string | undefined;
  readonly tags: readonly SessionTag[];
  readonly transitiveTagKeys: readonly string[];
}

/** The flags as typed: `--source-identity`, `--tag K=V` (repeated), `--transitive-tag K` (repeated). */
export interface SessionTaggingFlags {
  readonly sourceIdentity?: string | undefined;
  readonly tags?: readonly string[] | undefined;
  readonly transitiveTags?: readonly string[] | undefined;
}

/** `--source-identity auto`: the corp user's name. */
export const AUTO_SOURCE_IDENTITY = 'auto';

export const NO_SESSION_TAGGING: SessionTagging = { tags: [], transitiveTagKeys: [] };

/** AWS's limits for AssumeRole (API reference: SourceIdentity, Tag, Tags, TransitiveTagKeys). */
export const SESSION_TAG_LIMITS = { maxTags: 50, keyLength: 128, valueLength: 256, sourceIdentity: { min: 2, max: 64 } } as const;

const SOURCE_IDENTITY = /^[\w+=,.@-]*$/;
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const NEXT = 'see "Who used this role" in the README';

function usage(message: string, next = NEXT): AnwbisError {
  return new AnwbisError('usage', message, { next });
}

/** Whether a request sends anything of SourceIdentity, Tags or TransitiveTagKeys. */
export function hasSessionTagging(t: SessionTagging): boolean {
  return t.sourceIdentity !== undefined || t.tags.length > 0 || t.transitiveTagKeys.length > 0;
}

/** Checks a source identity as AWS would, before any call (`auto` passes: it is resolved later). */
export function assertValidSourceIdentity(value: string, where: string): void {
  const { min, max } = SESSION_TAG_LIMITS.sourceIdentity;
  if (value.length < min || value.length > max || !SOURCE_IDENTITY.test(value)) {
    throw usage(`invalid ${where} ${shown(value)}: ${min} to ${max} of letters, digits and _ + = , . @ -`);
  }
}

function assertValidKey(key: string, where: string): void {
  if (key.length < 1 || key.length > SESSION_TAG_LIMITS.keyLength || !TAG_TEXT.test(key)) {
    throw usage(`invalid ${where} key ${shown(key)}: 1 to ${SESSION_TAG_LIMITS.keyLength} of letters, digits, spaces and _ . : / = + - @`);
  }
  if (/^aws:/i.test(key)) throw usage(`invalid ${where} key ${shown(key)}: keys starting with aws: are reserved by AWS`);
}

/** Reads `K=V` (the value may be empty, and may itself hold `=`). */
export function parseSessionTag(text: string, where: string): SessionTag {
  const eq = text.indexOf('=');
  if (eq === -1) throw usage(`invalid ${where} ${shown(text)}: a tag is KEY=VALUE`, `e.g. --tag team=data`);
  const tag = { key: text.slice(0, eq), value: text.slice(eq + 1) };
  assertValidKey(tag.key, where);
  if (tag.value.length > SESSION_TAG_LIMITS.valueLength || !TAG_TEXT.test(tag.value)) {
    throw usage(`invalid ${where} value ${shown(tag.value)} of ${shown(tag.key)}: 0 to ${SESSION_TAG_LIMITS.valueLength} of letters, digits, spaces and _ . : / = + - @`);
  }
  return tag;
}

/**
 * Checks a whole set as AWS would: at most 50 tags, no key twice (AWS compares session tag keys
 * without case), every transitive key one of the tags.
 */
export function assertValidSessionTagging(t: SessionTagging, where: string): void {
  if (t.sourceIdentity !== undefined) assertValidSourceIdentity(t.sourceIdentity, `${where} source identity`);
  if (t.tags.length > SESSION_TAG_LIMITS.maxTags) throw usage(`${where}: ${t.tags.length} session tags, AWS takes at most ${SESSION_TAG_LIMITS.maxTags}`);
  const keys = new Set<string>();
  for (const { key } of t.tags) {
    if (keys.has(key.toLowerCase())) throw usage(`${where}: the session tag ${shown(key)} is given twice (AWS does not tell keys apart by case)`);
    keys.add(key.toLowerCase());
  }
  const transitive = new Set<string>();
  for (const key of t.transitiveTagKeys) {
    assertValidKey(key, `${where} transitive tag`);
    if (!keys.has(key.toLowerCase())) throw usage(`${where}: the transitive tag ${shown(key)} is not one of the session tags`, `give it a value too: --tag ${key}=VALUE`);
    if (transitive.has(key.toLowerCase())) throw usage(`${where}: the transitive tag ${shown(key)} is given twice`);
    transitive.add(key.toLowerCase());
  }
}

/**
 * The flags over the settings: a `--source-identity` replaces `[assume] source_identity`; a
 * `--tag` replaces the configured tag of the same key and adds the others; `--transitive-tag`
 * adds to `[assume] transitive_tags`. Checked as a whole, before any AWS call.
 */
export function sessionTaggingOf(flags: SessionTaggingFlags, configured: SessionTagging): SessionTagging {
  if (flags.sourceIdentity !== undefined && flags.sourceIdentity !== AUTO_SOURCE_IDENTITY) assertValidSourceIdentity(flags.sourceIdentity, '--source-identity');
  const given = (flags.tags ?? []).map((text) => parseSessionTag(text, '--tag'));
  const seen = new Set<string>();
  for (const { key } of given) {
    if (seen.has(key.toLowerCase())) throw usage(`--tag ${shown(key)} is given twice (AWS does not tell keys apart by case)`);
    seen.add(key.toLowerCase());
  }
  const tags = [...configured.tags.filter((tag) => !seen.has(tag.key.toLowerCase())), ...given];
  const flagged = flags.transitiveTags ?? [];
  const transitiveTagKeys = [...configured.transitiveTagKeys.filter((key) => !flagged.some((k) => k.toLowerCase() === key.toLowerCase())), ...flagged];
  const sourceIdentity = flags.sourceIdentity ?? configured.sourceIdentity;
  const merged = { ...(sourceIdentity !== undefined ? { sourceIdentity } : {}), tags, transitiveTagKeys };
  assertValidSessionTagging({ ...merged, sourceIdentity: merged.sourceIdentity === AUTO_SOURCE_IDENTITY ? undefined : merged.sourceIdentity }, 'the flags and [assume] in ANWBIS_HOME/config');
  return merged;
}

/** `auto` replaced by the corp user's name, which must then be a valid source identity too. */
export function withSourceIdentityOf(t: SessionTagging, userName: string): SessionTagging {
  if (t.sourceIdentity !== AUTO_SOURCE_IDENTITY) return t;
  assertValidSourceIdentity(userName, 'source identity (auto: your corp user name)');
  return { ...t, sourceIdentity: userName };
}

/**
 * Reads `[assume]` of the settings file:
 *
 * ```ini
 * [assume]
 * source_identity = auto
 * tags = team=data, cost=42
 * transitive_tags = team
 * ```
 * @param section the section as the `ini` package read it.
 * @param bad makes the settings parser's error for a message.
 */
export function parseAssumeSection(section: Record<string, unknown>, bad: (why: string) => Error): SessionTagging {
  const list = (key: string, value: unknown): string[] => {
    if (typeof value !== 'string') throw bad(`[assume] ${key} must be a comma-separated list`);
    return value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== '');
  };
  let sourceIdentity: string | undefined;
  let tags: SessionTag[] = [];
  let transitiveTagKeys: string[] = [];
  const checked = <T>(make: () => T): T => {
    try {
      return make();
    } catch (err) {
      throw err instanceof AnwbisError ? bad(err.message) : err;
    }
  };
  for (const [key, value] of Object.entries(section)) {
    if (key === 'source_identity') {
      if (typeof value !== 'string') throw bad('[assume] source_identity must be a name, or auto');
      sourceIdentity = value.trim();
      if (sourceIdentity !== AUTO_SOURCE_IDENTITY) checked(() => assertValidSourceIdentity(sourceIdentity!, '[assume] source_identity'));
    } else if (key === 'tags') {
      const items = list(key, value);
      tags = checked(() => items.map((text) => parseSessionTag(text, '[assume] tags')));
    }
    else if (key === 'transitive_tags') transitiveTagKeys = list(key, value);
    else throw bad(`unknown key ${shown(key)} in [assume]; known: source_identity, tags, transitive_tags`);
  }
  const tagging = { ...(sourceIdentity !== undefined ? { sourceIdentity } : {}), tags, transitiveTagKeys };
  checked(() => assertValidSessionTagging({ ...tagging, sourceIdentity: undefined }, '[assume]'));
  return tagging;
}

/** The fields of a profile record that keep what was sent, for a refresh to send it again; none when nothing was. */
export function taggingRecord(t: SessionTagging): { sourceIdentity?: string; tags?: SessionTag[]; transitiveTagKeys?: string[] } {
  return {
    ...(t.sourceIdentity !== undefined ? { sourceIdentity: t.sourceIdentity } : {}),
    ...(t.tags.length > 0 ? { tags: t.tags.map(({ key, value }) => ({ key, value })) } : {}),
    ...(t.transitiveTagKeys.length > 0 ? { transitiveTagKeys: [...t.transitiveTagKeys] } : {}),
  };
}
