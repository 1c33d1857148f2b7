import { AnwbisError } from '../errors/errors.js';
import { AwsCallError } from '../aws/port.js';

/** Turns an AWS failure into the user-facing error for the step that failed. */
export function explainAwsError(error: unknown, step: string, hints: { profile?: string } = {}): AnwbisError {
  if (error instanceof AnwbisError) return error;
  if (!(error instanceof AwsCallError)) return new AnwbisError('aws', `${step} failed: ${(error as Error).message}`, { cause: error });
  const detail = `${error.operation}: ${error.code}: ${error.message}`;
  switch (error.code) {
    case 'Network':
    case 'TimeoutError':
      return new AnwbisError('aws', `${step} failed: AWS could not be reached (${error.message})`, {
        next: 'check the network, proxy or AWS_ENDPOINT_URL settings and try again',
        cause: error,
      });
    case 'InvalidClientTokenId':
    case 'SignatureDoesNotMatch':
    case 'UnrecognizedClientException':
      return new AnwbisError('config', `${step} failed: AWS does not recognise the credentials of profile ${hints.profile ?? '(source)'} (${detail})`, {
        next: 'check the access keys of your corp profile (`aws configure --profile …`)',
        cause: error,
      });
    case 'ExpiredToken':
    case 'ExpiredTokenException':
    case 'RequestExpired':
      return new AnwbisError('config', `${step} failed: the credentials of profile ${hints.profile ?? '(source)'} have expired`, {
        next: 'renew them (for a corp session: `anwbis session --refresh`) and run again',
        cause: error,
      });
    case 'AccessDenied':
    case 'AccessDeniedException':
      return new AnwbisError('denied', `${step} failed: access denied (${detail})`, { cause: error });
    default:
      return new AnwbisError('aws', `${step} failed (${detail})`, { cause: error });
  }
}
