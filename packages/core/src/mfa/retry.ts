import { AwsCallError } from '../aws/port.js';
import { awsFailureKind, mfaRejectedError } from '../errors/explain-aws.js';
import { obtainMfaCode, type MfaSources } from './code.js';

const MFA_ATTEMPTS = 3;

/** Whether AWS refused a call that sent an MFA code because of the code. */
export function isMfaRejection(error: unknown): error is AwsCallError {
  return awsFailureKind(error, { mfaCodeSent: true }) === 'mfa-rejected';
}

/**
 * Runs an STS call that needs an MFA code: gets a code, and when AWS rejects it and a person
 * typed it, asks again (three tries in all). Codes from a flag, process or pipe are not retried.
 */
export async function withMfaCode<T>(mfa: MfaSources, call: (code: string) => Promise<T>, onRejected: () => void = () => undefined): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const obtained = await obtainMfaCode(mfa);
    try {
      return await call(obtained.code);
    } catch (err) {
      if (!isMfaRejection(err)) throw err;
      if (obtained.canAskAgain && attempt < MFA_ATTEMPTS) {
        onRejected();
        continue;
      }
      throw mfaRejectedError(err);
    }
  }
}
