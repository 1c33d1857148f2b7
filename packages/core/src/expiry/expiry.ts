/** The clock, as a port so tests can move time. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Whether credentials expiring at `expiration` are still good for more than `marginSeconds`. */
export function isFresh(expiration: Date, now: Date, marginSeconds: number): boolean {
  return expiration.getTime() - now.getTime() > marginSeconds * 1000;
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
