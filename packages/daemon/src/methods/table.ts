/**
 * The daemon's answer to each method of the protocol. A new method is its schema in
 * protocol.ts, its handler in a file of this folder, and one line here.
 */
import type { DaemonApi } from '../server.js';
import { fetchMethod, holdMethod } from './grants.js';
import type { DaemonParts } from './parts.js';
import { provideMethod } from './provide.js';
import { rolesMethod } from './roles.js';
import { unlockMethod } from './session.js';
import { refreshMethod, unwatchMethod, watchMethod } from './watching.js';

export function daemonApi(d: DaemonParts): DaemonApi {
  return {
    version: d.version,
    shutdown: () => d.stop(),
    holdCredentials: holdMethod(d),
    fetchCredentials: fetchMethod(d),
    methods: {
      status: () => d.status.status(),
      watch: watchMethod(d),
      unwatch: unwatchMethod(d),
      refresh: refreshMethod(d),
      roles: rolesMethod(d),
      'session.unlock': unlockMethod(d),
      'credentials.provide': provideMethod(d),
    },
  };
}
