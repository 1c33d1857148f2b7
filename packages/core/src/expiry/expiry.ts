/** The clock, as a port so tests can move time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Whether credentials expiring at `expiration` are still good for more than `marginSeconds`. */
export function isFresh(expiration: Date, now: Date, marginSeconds: number): boolean {
  return expiration.getTime() - now.getTime() > marginSeconds * 1000;
}

/**
 * How long before its end a corp session stops counting as valid, wherever anwbis asks (reuse,
 * source, role listing, the daemon, the picker): the AWS SDKs treat credentials as expired 5
 * minutes before their end, so a session with less left is about to be refused by the tools it
 * is handed to. Not the `[cache]` margin: what is made from a session (AssumeRole with session
 * credentials, capped by AWS at one hour) lasts as long whatever the session has left.
 */
export const SESSION_MARGIN_SECONDS = 300;

/** Whether a corp session ending at `expiration` is still valid: more than {@link SESSION_MARGIN_SECONDS} left by `clock`. */
export function isSessionValid(expiration: Date, clock: Clock): boolean {
  return isFresh(expiration, clock.now(), SESSION_MARGIN_SECONDS);
}

/** `1h 05m`, `12m`, `45s`, or `expired`: time left until `expiration`. */
export function describeRemaining(expiration: Date, now: Date): string {
  const seconds = Math.floor((expiration.getTime() - now.getTime()) / 1000);
  if (seconds <= 0) return 'expired';
  if (seconds < 60) return `${seconds}s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes}m`;
  return `${Math.floor(minutes / 60)}h ${String(minutes % 60).padStart(2, '0')}m`;
}
