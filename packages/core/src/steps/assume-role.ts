import { AnwbisError } from '../errors/errors.js';
import { AwsCallError, type AwsPort, type TemporaryCredentials } from '../aws/port.js';
import { explainAwsError } from '../errors/explain-aws.js';
import type { EventSink } from '../events/events.js';
import type { MfaSources } from '../mfa/code.js';
import { withMfaCode } from '../mfa/retry.js';

/** STS limits for AssumeRole's DurationSeconds. */
export const ASSUME_ROLE_DURATION = { min: 900, max: 43_200, default: 3600 } as const;

/** AWS caps AssumeRole made with GetSessionToken credentials (role chaining) at one hour. */
export const ROLE_CHAINING_MAX_SECONDS = 3600;

/** One AssumeRole. */
export interface AssumeRoleStep {
  readonly roleArn: string;
  readonly sessionName: string;
  readonly durationSeconds: number;
  readonly externalId?: string | undefined;
  /** The MFA device and where its code comes from; none for `--nomfa` sources. */
  readonly mfa?: { readonly serial: string; readonly sources: MfaSources } | undefined;
}

/**
 * Calls AssumeRole, with an MFA code when a device is given (asked again on the terminal when AWS
 * rejects it). Errors are left as they are ({@link explainAssumeError} explains them) so the
 * caller can decide on a retry with a role looked up anew.
 */
export function assumeRoleStep(aws: AwsPort, step: AssumeRoleStep, events: EventSink): Promise<TemporaryCredentials> {
  const call = (tokenCode?: string) =>
    aws.assumeRole({
      roleArn: step.roleArn,
      sessionName: step.sessionName,
      durationSeconds: step.durationSeconds,
      ...(step.mfa ? { serialNumber: step.mfa.serial, tokenCode } : {}),
      ...(step.externalId ? { externalId: step.externalId } : {}),
    });
  const mfa = step.mfa;
  return mfa ? withMfaCode(mfa.sources, (code) => call(code), () => events({ type: 'mfa-rejected' })) : call();
}

/** The user-facing error for a failed AssumeRole. */
export function explainAssumeError(err: unknown, roleArn: string, externalId: string | undefined): AnwbisError {
  if (err instanceof AwsCallError && err.code === 'AccessDenied') {
    const externalHint = externalId ? ' (check the external id given with -ext)' : '';
    return new AnwbisError('denied', `AWS denied assuming ${roleArn}${externalHint}: ${err.message}`, {
      next: 'check that the role exists and trusts the corp account, and that your group allows it',
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

/** Whether AWS denied an AssumeRole outright (a remembered role may be stale). */
export function isAccessDenied(err: unknown): boolean {
  return err instanceof AwsCallError && err.code === 'AccessDenied';
}
