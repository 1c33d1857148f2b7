/** `credentials.provide`: `credential-process`'s credentials, made by the daemon for its own set-up. */
import { AnwbisError } from '@anwbis/core';
import { sharedWhileInFlight } from '../in-flight.js';
import type { MethodHandler } from '../server.js';
import type { DaemonParts } from './parts.js';

export function provideMethod(d: DaemonParts): MethodHandler<'credentials.provide'> {
  const providing = sharedWhileInFlight<string, { profile: string; expiresAt: Date }>();
  return async ({ credentialsFile, home: callerHome, ...request }) => {
    // Another credentials file or ANWBIS_HOME is another person's set-up: the caller does it itself.
    if (credentialsFile !== d.backend.files.credentials || callerHome !== d.home) {
      throw new AnwbisError('usage', 'this daemon serves another credentials file or ANWBIS_HOME', { next: 'run credential-process without the daemon' });
    }
    // Callers asking the same at once (32 AWS clients starting together) share one answer:
    // each would otherwise wait for the role's lock in turn, polling, after the first made it.
    const provided = await providing(JSON.stringify(request), () => d.backend.provide(request));
    d.log.info(`credential-process of ${provided.profile} answered from the corp session, valid until ${provided.expiresAt.toISOString()}`);
    return { profile: provided.profile, expiresAt: provided.expiresAt.toISOString() };
  };
}
