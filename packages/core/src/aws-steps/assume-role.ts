import { AnwbisError } from '../errors/errors.js';
import { AwsCallError, type AwsPort, type TemporaryCredentials } from '../aws/port.js';
import { awsFailureKind, explainAwsError } from '../errors/explain-aws.js';
import type { EventSink } from '../events/events.js';
import type { MfaSources } from '../mfa/code.js';
import { withMfaCode } from '../mfa/retry.js';
import { hasSessionTagging, NO_SESSION_TAGGING, type SessionTagging } from '../session-tags/session-tags.js';

/** One AssumeRole. */
export interface AssumeRoleStep {
  readonly roleArn: string;
  readonly sessionName: string;
  readonly durationSeconds: number;
  readonly externalId?: string | undefined;
  /** The source identity (a name by now, never `auto`) and session tags; none when omitted. */
  readonly tagging?: SessionTagging | undefined;
  /** The MFA device and where its code comes from; none for `--nomfa` sources. */
  readonly mfa?: { readonly serial: string; readonly sources: MfaSources } | undefined;
}

/**
 * Calls AssumeRole, with an MFA code when a device is given (asked again on the terminal when AWS
 * rejects it). Errors are left as they are ({@link explainAssumeError} explains them) so the
 * caller can decide on a retry with a role looked up anew.
 */
export function assumeRoleStep(aws: AwsPort, step: AssumeRoleStep, events: EventSink): Promise<TemporaryCredentials> {
  const { sourceIdentity, tags, transitiveTagKeys } = step.tagging ?? NO_SESSION_TAGGING;
  const call = (tokenCode?: string) =>
    aws.assumeRole({
      roleArn: step.roleArn,
      sessionName: step.sessionName,
      durationSeconds: step.durationSeconds,
      ...(step.mfa ? { serialNumber: step.mfa.serial, tokenCode } : {}),
      ...(step.externalId ? { externalId: step.externalId } : {}),
      ...(sourceIdentity !== undefined ? { sourceIdentity } : {}),
      ...(tags.length > 0 ? { tags } : {}),
      ...(transitiveTagKeys.length > 0 ? { transitiveTagKeys } : {}),
    });
  const mfa = step.mfa;
  return mfa ? withMfaCode(mfa.sources, (code) => call(code), () => events({ type: 'mfa-rejected' })) : call();
}

/**
 * The user-facing error for a failed AssumeRole.
 * @param tagging what was sent of source identity and session tags: a denial may be about them.
 */
export function explainAssumeError(err: unknown, roleArn: string, externalId: string | undefined, tagging: SessionTagging = NO_SESSION_TAGGING): AnwbisError {
  if (err instanceof AwsCallError && awsFailureKind(err) === 'denied') {
    const externalHint = externalId ? ' (check the external id given with -ext)' : '';
    return new AnwbisError('denied', `AWS denied assuming ${roleArn}${externalHint}: ${err.message}`, {
      next: hasSessionTagging(tagging) ? taggingDeniedNext(tagging) : 'check that the role exists and trusts the corp account, and that your group allows it',
      cause: err,
    });
  }
  // AWS packs the session tags with the session policy into a size it does not publish.
  if (err instanceof AwsCallError && /^PackedPolicyTooLarge/.test(err.code)) {
    return new AnwbisError('usage', `AWS refused the session tags for ${roleArn} as too large: ${err.message}`, {
      next: 'send fewer or shorter tags (--tag, and tags in [assume] of ANWBIS_HOME/config)',
      cause: err,
    });
  }
  if (err instanceof AwsCallError && err.code === 'ValidationError' && /duration/i.test(err.message)) {
    return new AnwbisError('usage', `AWS refused the session duration for ${roleArn}: ${err.message}`, {
      next: "use a shorter --duration (the role's maximum session duration applies)",
      cause: err,
    });
  }
  return explainAwsError(err, `assuming ${roleArn}`);
}

/**
 * A denial with a source identity or tags sent: the role's trust policy must allow them too,
 * and what an earlier role session set cannot be changed further down a chain.
 */
function taggingDeniedNext(t: SessionTagging): string {
  const actions = [...(t.tags.length > 0 ? ['sts:TagSession'] : []), ...(t.sourceIdentity !== undefined ? ['sts:SetSourceIdentity'] : [])];
  const sticky = t.sourceIdentity !== undefined
    ? '; when the source credentials are themselves a role session, its source identity cannot be changed (send the same one, or none)'
    : '; when the source credentials are themselves a role session, its transitive tags cannot be changed';
  return `check that the role trusts the corp account, that your group allows it, and that the role's trust policy allows ${actions.join(' and ')} for the corp account${sticky}; or try again without --source-identity/--tag (and without them in [assume] of ANWBIS_HOME/config)`;
}

/** Whether AWS denied an AssumeRole outright (a remembered role may be stale). */
export function isAccessDenied(err: unknown): boolean {
  return awsFailureKind(err) === 'denied';
}
