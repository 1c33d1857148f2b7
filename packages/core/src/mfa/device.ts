import { AnwbisError } from '../errors/errors.js';

/**
 * Picks the MFA device to use: the first virtual one, else the first hardware TOTP token.
 * FIDO security keys (`:u2f/`) cannot produce a code for STS and are never chosen.
 */
export function chooseMfaSerial(serials: readonly string[]): string | undefined {
  const usable = serials.filter((s) => !/:u2f\//.test(s));
  return usable.find((s) => /:mfa\//.test(s)) ?? usable[0];
}

/** The device to send, or the error that says none is registered (and what to do instead). */
export function requireMfaSerial(serial: string | undefined, userName: string, options: { canGoWithout: boolean }): string {
  if (serial) return serial;
  throw new AnwbisError('mfa', `no MFA device is registered for ${userName}`, {
    next: options.canGoWithout
      ? 'register one in the IAM console, pass --mfa-serial ARN, or use --nomfa where your policies allow it'
      : 'register one in the IAM console, or pass --mfa-serial ARN',
  });
}
