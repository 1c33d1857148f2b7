import type { Target } from '../naming/patterns.js';
import { hasSessionTagging, type SessionTagging } from '../session-tags/session-tags.js';

/** The source profile name used for EC2 instance-role credentials in state, messages and request keys. */
export const EC2_SOURCE = 'ec2-instance-role';

/** Everything that decides which credentials a request must get, as the person asked for them. */
export interface RequestKeyParts {
  readonly target: Pick<Target, 'profileName' | 'groupName' | 'policyName' | 'roleName'>;
  /**
   * The corp source as asked (`--profile`, else `AWS_PROFILE`, else `default`), a corp session named
   * by its corp profile, or `ec2-instance-role`.
   */
  readonly source: string;
  /** The region as asked (`--region`, else `AWS_REGION`, else `AWS_DEFAULT_REGION`, else ''). */
  readonly region: string;
  readonly externalId?: string | undefined;
  readonly account?: string | undefined;
  /** The shared credentials file the source keys come from. */
  readonly credentialsFile: string;
  /**
   * The source identity (`auto` as asked) and session tags, flags and settings merged: CloudTrail
   * shows them, so credentials made with others are not these.
   */
  readonly tagging?: SessionTagging | undefined;
}

/**
 * The identity of a request. Reused and cached credentials are served only to a request with
 * the same fingerprint: the profile name alone would hand another account's or another role's
 * credentials to a request that happens to map to the same name. It is computed from what was
 * asked, before any file is read, so the credential-process fast path computes it too; two
 * spellings of one request only cost a miss.
 */
export function requestKey(parts: RequestKeyParts): string {
  const t = parts.target;
  const fields: unknown[] = [t.profileName, t.groupName, t.policyName, t.roleName, parts.source, parts.region, parts.externalId ?? '', parts.account ?? '', parts.credentialsFile];
  // Only when there are some: a request without them keeps the key it had before they existed.
  const tagging = parts.tagging;
  if (tagging && hasSessionTagging(tagging)) fields.push(tagging.sourceIdentity ?? '', tagging.tags.map(({ key, value }) => [key, value]), tagging.transitiveTagKeys);
  // The fields themselves, not a hash of them: nothing in them is secret, equal means equal,
  // and a cache hit need not load node:crypto (several ms of every AWS client's start).
  return JSON.stringify(fields);
}

/** The region as asked: the flag, else the environment; '' leaves it to the source profile. */
export function askedRegion(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  return flag || env.AWS_REGION || env.AWS_DEFAULT_REGION || '';
}
