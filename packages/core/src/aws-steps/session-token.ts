import type { AwsPort, TemporaryCredentials } from '../aws/port.js';
import { explainAwsError } from '../errors/explain-aws.js';
import type { EventSink } from '../events/events.js';
import type { MfaSources } from '../mfa/code.js';
import { withMfaCode } from '../mfa/retry.js';

/** STS limits for GetSessionToken called by an IAM user (36 hours at most). */
export const SESSION_DURATION = { min: 900, max: 129_600, default: 28_800 } as const;

/** GetSessionToken with the MFA device; the code is asked again on the terminal when AWS rejects it. */
export function getSessionTokenStep(
  aws: AwsPort,
  step: { readonly durationSeconds: number; readonly serial: string; readonly sources: MfaSources; readonly profile: string },
  events: EventSink,
): Promise<TemporaryCredentials> {
  return withMfaCode(
    step.sources,
    (tokenCode) => aws.getSessionToken({ durationSeconds: step.durationSeconds, serialNumber: step.serial, tokenCode }),
    () => events({ type: 'mfa-rejected' }),
  ).catch((err: unknown) => {
    throw explainAwsError(err, 'starting the corp session', { profile: step.profile });
  });
}
