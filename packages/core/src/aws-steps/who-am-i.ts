import type { AwsPort } from '../aws/port.js';
import { explainAwsError } from '../errors/explain-aws.js';
import { parseCallerArn, type Identity } from '../identity/caller-arn.js';

/** Who the source credentials belong to and, when asked, their MFA devices. */
export interface WhoAmI {
  readonly identity: Identity;
  readonly serials: readonly string[];
}

/**
 * GetCallerIdentity and (when `devices`) ListMFADevices at once. ListMFADevices is asked without
 * a user name (AWS infers the caller); where an implementation cannot infer it, it is asked again
 * with the name once the identity is known. `alongside` runs in the same round trip.
 */
export async function whoAmI<T = undefined>(
  aws: AwsPort,
  options: { devices: boolean; profile?: string | undefined; alongside?: () => Promise<T> },
): Promise<WhoAmI & { alongside: T }> {
  const hints = options.profile ? { profile: options.profile } : {};
  const [caller, devices, alongside] = await Promise.all([
    aws.getCallerIdentity().catch((err: unknown) => {
      throw explainAwsError(err, 'checking who you are', hints);
    }),
    options.devices ? aws.listMfaDevices().catch((err: unknown) => err as Error) : Promise.resolve([] as string[]),
    options.alongside ? options.alongside() : Promise.resolve(undefined as T),
  ]);
  const identity = parseCallerArn(caller.arn);
  let serials = devices;
  if (serials instanceof Error) {
    if (identity.kind !== 'user') throw explainAwsError(serials, 'listing your MFA devices', hints);
    serials = await aws.listMfaDevices(identity.name).catch((err: unknown) => {
      throw explainAwsError(err, 'listing your MFA devices', hints);
    });
  }
  return { identity, serials, alongside };
}
