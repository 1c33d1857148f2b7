import { AnwbisError, type ErrorKind } from '../errors/errors.js';
import { AwsCallError } from '../aws/port.js';

/** What an AWS failure means, whichever call failed. */
export type AwsFailureKind =
  | 'denied' // the policy says no
  | 'mfa-rejected' // the MFA code was wrong or used
  | 'expired' // the credentials the call was signed with have expired
  | 'unrecognized' // AWS does not know the credentials (wrong, deleted, or a typo)
  | 'throttled' // too many calls: AWS asks to slow down
  | 'unreachable' // no answer: the network, a proxy, a silent endpoint
  | 'unavailable' // AWS answered with a server error
  | 'missing' // the IAM entity asked for does not exist
  | 'other';

/** What helps after a failure: a new corp session (an MFA code), waiting, a permission, or nothing known. */
export type AwsFailureRemedy = 'new-credentials' | 'wait' | 'permission' | 'none';

interface AwsFailureRow {
  /** AWS error codes of this kind (as the SDK names them; both spellings where services differ). */
  readonly codes: readonly string[];
  /** The error family's kind, and so the exit code, when the failure reaches the user. */
  readonly errorKind: ErrorKind;
  readonly remedy: AwsFailureRemedy;
  /** What happened, after `<step> failed: `; without one, the call and AWS's code and message are shown. */
  readonly problem?: (error: AwsCallError, profile: string) => string;
  readonly next?: string;
}

const detail = (error: AwsCallError) => `${error.operation}: ${error.code}: ${error.message}`;

// Its message stands alone (see mfaRejectedError): what a person typing codes is told.
const MFA_REJECTED_ROW = {
  // Told from `denied` by the message: see awsFailureKind.
  codes: [],
  errorKind: 'mfa',
  remedy: 'new-credentials',
  problem: () => 'AWS rejected the MFA code',
  next: 'wait for the next code of your MFA device and run again',
} as const satisfies AwsFailureRow;

/** The one table of AWS failures: what each means to the user and to a refresher. */
export const AWS_FAILURES: Readonly<Record<AwsFailureKind, AwsFailureRow>> = {
  denied: { codes: ['AccessDenied', 'AccessDeniedException'], errorKind: 'denied', remedy: 'permission', problem: (e) => `access denied (${detail(e)})` },
  'mfa-rejected': MFA_REJECTED_ROW,
  expired: {
    codes: ['ExpiredToken', 'ExpiredTokenException', 'RequestExpired'],
    errorKind: 'config',
    remedy: 'new-credentials',
    problem: (_e, profile) => `the credentials of profile ${profile} have expired`,
    next: 'renew them (for a corp session: `anwbis session --refresh`) and run again',
  },
  unrecognized: {
    codes: ['InvalidClientTokenId', 'SignatureDoesNotMatch', 'UnrecognizedClientException'],
    errorKind: 'config',
    remedy: 'new-credentials',
    problem: (e, profile) => `AWS does not recognise the credentials of profile ${profile} (${detail(e)})`,
    next: 'check the access keys of your corp profile (`aws configure --profile …`)',
  },
  throttled: { codes: ['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded'], errorKind: 'aws', remedy: 'wait' },
  unreachable: {
    // `Network` is the port's own code for a call AWS never answered (see sdk.ts).
    codes: ['Network', 'TimeoutError'],
    errorKind: 'aws',
    remedy: 'wait',
    problem: (e) => `AWS could not be reached (${e.message})`,
    next: 'check the network, proxy or AWS_ENDPOINT_URL settings and try again',
  },
  // And any other answer with an HTTP status of 500 or more.
  unavailable: { codes: ['ServiceUnavailable', 'InternalFailure'], errorKind: 'aws', remedy: 'wait' },
  missing: { codes: ['NoSuchEntity', 'NoSuchEntityException'], errorKind: 'aws', remedy: 'none' },
  other: { codes: [], errorKind: 'aws', remedy: 'none' },
};

/**
 * STS answers a wrong or reused MFA code with AccessDenied; only its message tells it from a
 * policy's no, and only for a call that sent a code (a role or user name may hold "mfa").
 */
const MFA_REJECTED = /MultiFactorAuthentication|MFA|one time pass code/i;

/**
 * The kind of an AWS failure: by its code, else by its HTTP status; undefined for anything that
 * is not an {@link AwsCallError}. `mfaCodeSent`: the call carried an MFA code.
 */
export function awsFailureKind(error: unknown, call: { mfaCodeSent?: boolean } = {}): AwsFailureKind | undefined {
  return error instanceof AwsCallError ? kindOf(error, call.mfaCodeSent === true) : undefined;
}

function kindOf(error: AwsCallError, mfaCodeSent: boolean): AwsFailureKind {
  const kind = (Object.keys(AWS_FAILURES) as AwsFailureKind[]).find((k) => AWS_FAILURES[k].codes.includes(error.code));
  if (kind === 'denied' && mfaCodeSent && MFA_REJECTED.test(error.message)) return 'mfa-rejected';
  if (kind !== undefined) return kind;
  return error.status !== undefined && error.status >= 500 ? 'unavailable' : 'other';
}

/** The kind of the AWS failure behind `error`, however deep it was wrapped; undefined when none is. */
export function awsFailureBehind(error: unknown): AwsFailureKind | undefined {
  for (let e: unknown = error; e instanceof Error; e = e.cause) {
    if (e instanceof AwsCallError) return kindOf(e, false);
  }
  return undefined;
}

/** Turns an AWS failure into the user-facing error for the step that failed. */
export function explainAwsError(error: unknown, step: string, hints: { profile?: string } = {}): AnwbisError {
  if (error instanceof AnwbisError) return error;
  if (!(error instanceof AwsCallError)) return new AnwbisError('aws', `${step} failed: ${(error as Error).message}`, { cause: error });
  const row = AWS_FAILURES[kindOf(error, false)];
  const message = row.problem ? `${step} failed: ${row.problem(error, hints.profile ?? '(source)')}` : `${step} failed (${detail(error)})`;
  return new AnwbisError(row.errorKind, message, { cause: error, ...(row.next ? { next: row.next } : {}) });
}

/** The user-facing error for an MFA code AWS rejected ({@link awsFailureKind} `mfa-rejected`). */
export function mfaRejectedError(error: AwsCallError): AnwbisError {
  return new AnwbisError(MFA_REJECTED_ROW.errorKind, MFA_REJECTED_ROW.problem(), { next: MFA_REJECTED_ROW.next, cause: error });
}
