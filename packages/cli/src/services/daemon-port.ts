import { silentEvents, type Env } from '@anwbis/core';
import { DaemonClient, DaemonNotRunning, daemonSocketPath } from '@anwbis/daemon';
import type { DaemonPort } from '@anwbis/tui';
import { forwardAssume, forwardSession } from '../fast/forward.js';
import type { CliRuntime } from '../runtime/runtime.js';
import { handOver, watchLimits } from './handover.js';

/**
 * The daemon over its socket, for the picker and `anwbis roles`: connected on first use, and
 * again on the next use after the daemon went away (it may be started or stopped while the
 * picker is open). Subscribes to the daemon's events only once someone listens.
 */
export function socketDaemonPort(env: Env, options: { readonly client: string; readonly timeoutMs: number; readonly runtime?: CliRuntime }): DaemonPort {
  const listeners = new Set<() => void>();
  const subscribed = new WeakSet<DaemonClient>();
  let connection: Promise<DaemonClient | undefined> | undefined;
  let closing = false;
  const changed = () => {
    for (const listener of listeners) listener();
  };
  const subscribe = async (client: DaemonClient) => {
    if (listeners.size === 0 || subscribed.has(client)) return;
    subscribed.add(client);
    await client.subscribe(changed);
  };
  const connect = () =>
    (connection ??= (async () => {
      try {
        const client = await DaemonClient.connect(env, { client: options.client, timeoutMs: options.timeoutMs });
        void client.closed().then(() => {
          connection = undefined;
          if (!closing) changed();
        });
        // Without events the picker still sees changes at its next status read.
        await subscribe(client).catch(() => undefined);
        return client;
      } catch (err) {
        connection = undefined;
        if (err instanceof DaemonNotRunning) return undefined;
        throw err;
      }
    })());
  const running = async () => {
    const client = await connect();
    if (!client) throw new DaemonNotRunning(daemonSocketPath(env));
    return client;
  };
  return {
    async watched() {
      const client = await connect();
      if (!client) return undefined;
      return new Set((await client.status()).profiles.map((p) => p.profile));
    },
    async watch(watch) {
      const limits = watchLimits(watch.durationSeconds, undefined);
      await handOver(await running(), watch.request, watch.profile, watch.corpProfile, limits);
    },
    async unwatch(profile) {
      return (await (await running()).unwatch(profile)).removed;
    },
    onChange(listener) {
      listeners.add(listener);
      void connection?.then((client) => client && subscribe(client)).catch(() => undefined);
      return () => void listeners.delete(listener);
    },
    close() {
      closing = true;
      void connection?.then((client) => client?.close()).catch(() => undefined);
    },
    // The picker's assumes go to the daemon's warm SDK as the CLI's do; it shows no progress lines.
    ...(options.runtime
      ? {
          assume: (request) => forwardAssume(request, { ...options.runtime!, events: silentEvents }, false),
          startSession: (request, mfa) => forwardSession(request, { ...options.runtime!, events: silentEvents, mfa }, false),
        }
      : {}),
  };
}
