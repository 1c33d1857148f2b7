/** Where the daemon's events go: its log, the clients that subscribed, and the desktop. */
import type { DaemonLog } from './log.js';
import type { Notifier } from './notify.js';
import type { DaemonEvent } from './scheduler.js';

export class DaemonEvents {
  private readonly listeners = new Set<(event: DaemonEvent) => void>();

  constructor(
    private readonly log: DaemonLog,
    /** Told only what a person must act on: the corp session's clock, and a profile given up on. */
    private readonly notifier: Notifier | undefined,
  ) {}

  /** Hears every event from now on. */
  listen(listener: (event: DaemonEvent) => void): void {
    this.listeners.add(listener);
  }

  readonly emit = (event: DaemonEvent): void => {
    this.log.info(describe(event));
    for (const listener of this.listeners) listener(event);
    if (this.notifier && (event.type.startsWith('session.') || (event.type === 'failed' && event.state === 'failed'))) this.notifier(describe(event));
  };
}

/** One line for the log and the desktop; events carry no secrets. */
export function describe(event: DaemonEvent): string {
  switch (event.type) {
    case 'refreshed':
      return `refreshed ${event.profile}, valid until ${event.expiresAt}`;
    case 'failed':
      return `${event.profile}: ${event.state}: ${event.error}${event.retryAt ? ` (next try ${event.retryAt})` : ''}`;
    case 'session.expiring':
      return `corp session of ${event.profile} ends in ${event.minutesLeft} minutes (${event.expiresAt}); renew it with \`anwbis session\``;
    case 'session.expired':
      return `corp session of ${event.profile} has ended; watched profiles wait for \`anwbis session\``;
    case 'session.renewed':
      return `corp session of ${event.profile} renewed, valid until ${event.expiresAt}`;
    case 'unwatched':
      return `stopped watching ${event.profile}: ${event.reason}`;
  }
}
