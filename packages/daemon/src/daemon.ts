/**
 * The daemon, wired: the scheduler's decisions carried out through the backend on a periodic
 * wall-clock tick, the watch list kept on disk, the AWS files watched, the socket served.
 */
import { createServer, type Server } from 'node:net';
import { rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { watch as watchFiles, type FSWatcher } from 'chokidar';
import { AnwbisError, anwbisHome, ensurePrivateDir, withNamedLock, type Env } from '@anwbis/core';
import { coreBackend, type DaemonBackend } from './backend.js';
import { CredentialGrants } from './credential-grants.js';
import { loadDaemonSettings } from './daemon-settings.js';
import { fileLog, type DaemonLog } from './log.js';
import { registerForwarding } from './forward-handlers.js';
import { afterBursts } from './memory.js';
import { desktopNotifier, type Notifier } from './notify.js';
import type { Results, RolesResult, StatusResult } from './protocol.js';
import { DEFAULT_SCHEDULER_CONFIG, Scheduler, type DaemonEvent, type RefreshOutcome } from './scheduler.js';
import { RpcServer, type ConnectionLimits, type DaemonApi } from './server.js';
import { assertPrivateDir, assertSocketPathFits, DaemonAlreadyRunning, listenPrivate, newToken, reusableToken, socketAnswers, tightenPrivateDir, tokenPathFor, writeToken } from './socket-dir.js';
import { sharedWhileInFlight } from './in-flight.js';
import { daemonSocketPath } from './socket-path.js';
import { WatchStore } from './watch-store.js';
import type { WatchSpec } from './watch-spec.js';

export interface DaemonOptions {
  readonly env: Env;
  /** Reported by `hello` and `status`. */
  readonly version: string;
  readonly backend?: DaemonBackend;
  readonly now?: () => Date;
  /** How often the wall clock is looked at. */
  readonly tickMs?: number;
  /** A socket already bound by the service manager (systemd socket activation: fd 3). */
  readonly listenFd?: number;
  readonly log?: DaemonLog;
  readonly notifier?: Notifier;
  readonly connectionLimits?: ConnectionLimits;
  /** How long a watched profile's section must stay missing before it is unwatched. */
  readonly sectionSettleMs?: number;
}

/** A daemon that is serving. */
export interface RunningDaemon {
  readonly socketPath: string;
  /** Stops serving, lets running refreshes finish, removes the socket. Safe to call twice. */
  stop(): Promise<void>;
  /** Resolves once the daemon has stopped, by {@link stop} or a client's `shutdown`. */
  readonly stopped: Promise<void>;
}

const DEFAULT_TICK_MS = 10_000;
/** Refreshes at once; more would only queue at STS and the file lock. */
const REFRESH_CONCURRENCY = 4;
/**
 * A refresh a person asked for (`anwbis daemon refresh`) waits for it: its profiles go 16 at a
 * time, and each AWS call gets 10 s (3 attempts) rather than the 30 s a background refresh may take.
 */
const FORCED_CONCURRENCY = 16;
const FORCED_TIMEOUT_MS = 10_000;
/** Editors and anwbis's own writer touch a file several times per save. */
const FILE_SETTLE_MS = 150;
/**
 * An editor that saves in place truncates the file and writes it again, with a pause between
 * that can be far longer than {@link FILE_SETTLE_MS}: a section missing on one read is only
 * taken for deleted when a read this much later still misses it.
 */
const SECTION_SETTLE_MS = 5_000;

/** Starts the daemon: listens on its socket (or `listenFd`) and keeps the watched profiles fresh. */
export async function startDaemon(options: DaemonOptions): Promise<RunningDaemon> {
  const env = options.env;
  const home = anwbisHome(env);
  await ensurePrivateDir(home);
  tightenPrivateDir(home);
  const settings = await loadDaemonSettings(home);
  const socketPath = daemonSocketPath(env);
  assertSocketPathFits(socketPath);
  assertPrivateDir(dirname(socketPath), true);
  const now = options.now ?? (() => new Date());
  const log = options.log ?? fileLog(join(home, 'logs', 'daemon.log'));
  const backend = options.backend ?? coreBackend(env);
  const notifier = options.notifier ?? (settings.notifications ? desktopNotifier() : undefined);
  const scheduler = new Scheduler({ ...DEFAULT_SCHEDULER_CONFIG, refreshBeforeSeconds: settings.refreshBeforeSeconds });
  const store = new WatchStore(home);
  const ownKeys = new Map<string, string>();
  const sessionNames = new Map<string, string>();
  const listeners = new Set<(event: DaemonEvent) => void>();
  const memory = afterBursts();

  const emit = (event: DaemonEvent) => {
    log.info(describe(event));
    for (const listener of listeners) listener(event);
    if (notifier && (event.type.startsWith('session.') || (event.type === 'failed' && event.state === 'failed'))) notifier(describe(event));
  };
  // Profiles watched only for `exec --server` grants (how many are live): never saved, and
  // unwatched when their last grant ends.
  const grantOnly = new Map<string, number>();
  /** Grants held by programs, of any profile. */
  let held = 0;
  /** credentials.provide by request: equal ones in flight share one answer. */
  const providing = sharedWhileInFlight<string, { profile: string; expiresAt: Date }>();
  const save = async () => {
    if (!(await store.save(scheduler.specs().filter((spec) => !grantOnly.has(spec.profile))))) log.warn(`${home} was deleted: the watch list is not saved`);
  };
  const grants = new CredentialGrants({
    now,
    credentials: (profile) => backend.credentials(profile),
    view: (profile) => {
      const view = scheduler.profiles().find((p) => p.profile === profile);
      return view && { state: view.state, sourceProfile: view.sourceProfile, refreshDueAt: scheduler.refreshDueAt(profile) };
    },
  });

  const readSession = async (source: string) => {
    const session = await backend.session(source);
    sessionNames.set(source, session.profile);
    scheduler.sessionSeen(source, session.expiresAt, now()).forEach(emit);
  };

  const refreshOne = async (spec: WatchSpec, forced: boolean): Promise<RefreshOutcome> => {
    let outcome: RefreshOutcome;
    try {
      const written = await backend.refresh(spec, forced ? { timeoutMs: FORCED_TIMEOUT_MS } : {});
      ownKeys.set(spec.profile, written.accessKeyId);
      outcome = { ok: true, ...written };
    } catch (err) {
      const failure = err as { reason?: string; message?: string };
      const reason = failure.reason === 'throttled' || failure.reason === 'session-expired' || failure.reason === 'denied' ? failure.reason : 'other';
      outcome = { ok: false, reason, message: failure.message ?? String(err) };
    }
    scheduler.refreshed(spec.profile, outcome, now()).forEach(emit);
    return outcome;
  };

  /**
   * The profiles of one corp session: one goes first, and when STS could not be reached or
   * throttled it, or the session is gone, the others take that outcome instead of each waiting
   * out the same timeouts (17 profiles behind a silent endpoint took 80 s, 4 at a time).
   */
  const refreshSource = async (specs: readonly WatchSpec[], forced: ReadonlySet<string>) => {
    const [first, ...rest] = specs;
    const outcome = await refreshOne(first!, forced.has(first!.profile));
    if (!outcome.ok && (outcome.reason === 'throttled' || outcome.reason === 'session-expired')) {
      for (const spec of rest) scheduler.refreshed(spec.profile, { ...outcome, message: `${outcome.message} (as for ${first!.profile}, from the same corp session)` }, now()).forEach(emit);
      return;
    }
    const queue = [...rest];
    const width = rest.some((spec) => forced.has(spec.profile)) ? FORCED_CONCURRENCY : REFRESH_CONCURRENCY;
    await Promise.all(
      Array.from({ length: Math.min(width, queue.length) }, async () => {
        for (let spec = queue.shift(); spec; spec = queue.shift()) await refreshOne(spec, forced.has(spec.profile));
      }),
    );
  };

  const tickOnce = async () => {
    for (const source of scheduler.sourceProfiles()) await readSession(source).catch((err: Error) => log.warn(`reading the corp session of ${source}: ${err.message}`));
    const { refresh, forced, events } = scheduler.tick(now());
    events.forEach(emit);
    if (events.some((e) => e.type === 'unwatched')) await save();
    const bySource = new Map<string, WatchSpec[]>();
    for (const spec of refresh) {
      let group = bySource.get(spec.sourceProfile);
      if (!group) bySource.set(spec.sourceProfile, (group = []));
      group.push(spec);
    }
    await Promise.all([...bySource.values()].map((specs) => refreshSource(specs, forced)));
    if (refresh.length > 0) memory.refreshed();
  };
  // Ticks never overlap; a tick asked for while one runs is folded into the next one.
  let running: Promise<void> = Promise.resolve();
  let queued: Promise<void> | undefined;
  const tick = (): Promise<void> => {
    if (queued) return queued;
    const next = running.then(() => {
      queued = undefined;
      return tickOnce();
    });
    queued = next;
    running = next.catch((err: Error) => log.warn(`tick failed: ${err.message}`));
    return next;
  };

  const sectionSettleMs = options.sectionSettleMs ?? SECTION_SETTLE_MS;
  /** Watched sections missing from the credentials file, and since when (monotonic ms). */
  const missing = new Map<string, number>();
  /** Watches ended because their section was deleted: a section back with the key anwbis wrote is watched again. */
  const deleted = new Map<string, { spec: WatchSpec; accessKeyId: string }>();
  let recheck: NodeJS.Timeout | undefined;

  /** Reads the AWS files again after a change: a renewed session, a deleted section, someone else's write. */
  const reconcile = async () => {
    for (const source of scheduler.sourceProfiles()) await readSession(source);
    let changed = false;
    const specs = scheduler.specs();
    for (const profile of missing.keys()) if (!scheduler.spec(profile)) missing.delete(profile);
    const keys = await backend.keys([...specs.map((s) => s.profile), ...deleted.keys()]);
    const file = backend.files.credentials;
    // A file with no section at all is one being written (or replaced), not a person's deletion
    // of every watched section; refreshes write the sections again.
    if (keys === undefined) {
      if (specs.some((spec) => ownKeys.has(spec.profile))) log.warn(`${file} holds no section now: every watch is kept`);
      return void (await tick());
    }
    const t = performance.now();
    for (const spec of specs) {
      const key = keys.get(spec.profile);
      if (key === undefined) {
        // Only a section that was there is one the person deleted; a new watch may not be written yet.
        if (!ownKeys.has(spec.profile)) continue;
        const since = missing.get(spec.profile);
        if (since === undefined) {
          missing.set(spec.profile, t);
          log.info(`${spec.profile}: its section is missing from ${file}; it is no longer watched if still missing in ${sectionSettleMs / 1000} s`);
        } else if (t - since >= sectionSettleMs) {
          missing.delete(spec.profile);
          deleted.set(spec.profile, { spec, accessKeyId: ownKeys.get(spec.profile)! });
          scheduler.unwatch(spec.profile);
          ownKeys.delete(spec.profile);
          changed = true;
          emit({ type: 'unwatched', profile: spec.profile, reason: `its section was removed from ${file}` });
        }
        continue;
      }
      if (missing.delete(spec.profile)) log.info(`${spec.profile}: its section is back in ${file}; still watched`);
      // The daemon's own writes end here: the key is the one it wrote.
      if (key === ownKeys.get(spec.profile)) continue;
      const written = await backend.written(spec.profile);
      if (written.expiresAt) {
        ownKeys.set(spec.profile, written.accessKeyId!);
        scheduler.writtenElsewhere(spec.profile, written.expiresAt);
        log.info(`${spec.profile} was written by another anwbis; next refresh follows its expiry ${written.expiresAt.toISOString()}`);
      }
    }
    for (const [profile, { spec, accessKeyId }] of deleted) {
      if (keys.get(profile) !== accessKeyId) continue;
      deleted.delete(profile);
      const written = await backend.written(profile);
      ownKeys.set(profile, accessKeyId);
      scheduler.watch(spec, written.expiresAt ? { expiresAt: written.expiresAt } : undefined);
      changed = true;
      log.info(`watching ${profile} again: its section is back in ${file}`);
    }
    if (changed) await save();
    clearTimeout(recheck);
    // The read that decides: once the first missing section has been missing long enough.
    if (missing.size > 0) {
      const wait = Math.max(0, Math.min(...missing.values()) + sectionSettleMs - performance.now());
      recheck = setTimeout(() => void reconcile().catch((err: Error) => log.warn(`re-reading the AWS files: ${err.message}`)), wait);
    }
    await tick();
  };

  const loaded = await store.load();
  if (loaded.problem) log.warn(loaded.problem);
  for (const spec of loaded.watches) {
    const written = await backend.written(spec.profile);
    if (written.accessKeyId) ownKeys.set(spec.profile, written.accessKeyId);
    scheduler.watch(spec, written.expiresAt ? { expiresAt: written.expiresAt } : undefined);
  }

  const watchProfile = async (spec: WatchSpec) => {
    const written = await backend.written(spec.profile);
    if (written.accessKeyId) ownKeys.set(spec.profile, written.accessKeyId);
    scheduler.watch(spec, written.expiresAt ? { expiresAt: written.expiresAt } : undefined);
    await save();
    await readSession(spec.sourceProfile);
    log.info(`watching ${spec.profile} (from the corp session of ${spec.sourceProfile}, ${spec.durationSeconds} s${spec.until ? ` until ${spec.until}` : ''})`);
    void tick();
    return { profile: spec.profile, state: scheduler.profiles().find((p) => p.profile === spec.profile)?.state ?? 'pending' };
  };

  const sharedRoles = sharedWhileInFlight<string, RolesResult>();
  const api: DaemonApi = {
    version: options.version,
    status: () => status(),
    watch({ watch: spec }) {
      // A person's watch outlasts the grants that may hold the profile.
      grantOnly.delete(spec.profile);
      deleted.delete(spec.profile);
      return watchProfile(spec);
    },
    async holdCredentials(spec) {
      if (!scheduler.spec(spec.profile)) {
        grantOnly.set(spec.profile, 0);
        await watchProfile(spec);
      }
      held++;
      if (grantOnly.has(spec.profile)) grantOnly.set(spec.profile, grantOnly.get(spec.profile)! + 1);
      log.info(`granted ${spec.profile} to a program (anwbis exec --server)`);
      const expiresAt = scheduler.profiles().find((p) => p.profile === spec.profile)?.expiresAt;
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        held--;
        const left = grantOnly.get(spec.profile);
        if (left === undefined) return;
        if (left > 1) return void grantOnly.set(spec.profile, left - 1);
        grantOnly.delete(spec.profile);
        scheduler.unwatch(spec.profile);
        ownKeys.delete(spec.profile);
        log.info(`stopped watching ${spec.profile}: the last program it was granted to has ended`);
      };
      return { result: { profile: spec.profile, expiresAt: expiresAt ? expiresAt.toISOString() : null }, release };
    },
    async fetchCredentials(profile) {
      const answer = () => grants.answer(profile);
      // A grant held again after a restart finds its profile expired and pending: the refresh
      // that tick starts is worth the wait, rather than an error the program has to retry.
      const state = scheduler.profiles().find((p) => p.profile === profile)?.state;
      const c = await answer().catch(async (err: unknown) => {
        if (state !== 'pending' && state !== 'refreshing') throw err;
        await tick();
        return answer();
      });
      return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration.toISOString() };
    },
    async provideCredentials({ credentialsFile, home: callerHome, ...request }) {
      // Another credentials file or ANWBIS_HOME is another person's set-up: the caller does it itself.
      if (credentialsFile !== backend.files.credentials || callerHome !== home) {
        throw new AnwbisError('usage', 'this daemon serves another credentials file or ANWBIS_HOME', { next: 'run credential-process without the daemon' });
      }
      // Callers asking the same at once (32 AWS clients starting together) share one answer:
      // each would otherwise wait for the role's lock in turn, polling, after the first made it.
      const provided = await providing(JSON.stringify(request), () => backend.provide(request));
      log.info(`credential-process of ${provided.profile} answered from the corp session, valid until ${provided.expiresAt.toISOString()}`);
      return { profile: provided.profile, expiresAt: provided.expiresAt.toISOString() };
    },
    async unwatch(profile) {
      const removed = scheduler.unwatch(profile);
      ownKeys.delete(profile);
      grantOnly.delete(profile);
      deleted.delete(profile);
      if (removed) {
        await save();
        log.info(`stopped watching ${profile}`);
      }
      return { profile, removed };
    },
    async refresh(profile) {
      if (profile !== undefined && !scheduler.spec(profile)) throw notWatched(profile);
      const chosen = scheduler.requestRefresh(profile);
      await tick();
      return status().profiles.filter((p) => chosen.includes(p.profile));
    },
    async unlock(mfaCode, source) {
      const sources = scheduler.sourceProfiles();
      const sourceProfile = source ?? (sources.length === 1 ? sources[0]! : 'default');
      const session = await backend.unlock(sourceProfile, mfaCode);
      log.info(`corp session ${session.profile} renewed from a client, valid until ${session.expiresAt.toISOString()}`);
      scheduler.sessionSeen(sourceProfile, session.expiresAt, now()).forEach(emit);
      void tick();
      return { profile: session.profile, expiresAt: session.expiresAt.toISOString() };
    },
    shutdown: () => void stop(),
    // Equal requests at once (a batch of them, several clients) share one list in memory.
    roles: (params) => sharedRoles(JSON.stringify([params.sourceProfile, params.refresh ?? false]), () => roles(params)),
  };

  const roles = async (params: { sourceProfile?: string | undefined; refresh?: boolean | undefined }): Promise<RolesResult> => {
    const { list, statuses } = await backend.roles({ ...(params.sourceProfile ? { sourceProfile: params.sourceProfile } : {}), refresh: params.refresh ?? false });
    const watched = new Map(scheduler.profiles().map((p) => [p.profile, p.state]));
    return {
      sourceProfile: list.sourceProfile,
      userName: list.userName,
      account: list.account,
      fetchedAt: list.fetchedAt.toISOString(),
      fromCache: list.fromCache,
      problems: list.problems,
      roles: list.roles.map((role) => {
        const status = statuses.get(role.roleArn);
        const watchState = role.profile === null ? undefined : watched.get(role.profile);
        return {
          ...role,
          status: status?.state ?? 'not-assumed',
          expiresAt: status?.expiresAt?.toISOString() ?? null,
          watched: watchState !== undefined,
          watchState: watchState ?? null,
        };
      }),
    };
  };

  // toISOString was most of a status of hundreds of profiles, and their times change only when
  // one is refreshed: the strings of the last status are reused (and only those are kept).
  let shownTimes = new Map<number, string>();
  const status = (): StatusResult => {
    const views = scheduler.sessionViews(now());
    // One session in status: the one that ends first is the one a person must act on.
    const urgent = [...views].sort((a, b) => (a.expiresAt?.getTime() ?? 0) - (b.expiresAt?.getTime() ?? 0))[0];
    const last = shownTimes;
    const times = (shownTimes = new Map<number, string>());
    const iso = (d: Date | undefined) => {
      if (!d) return null;
      const text = last.get(d.getTime()) ?? d.toISOString();
      times.set(d.getTime(), text);
      return text;
    };
    return {
      pid: process.pid,
      version: options.version,
      socket: socketPath,
      grants: held,
      session: urgent ? { profile: sessionNames.get(urgent.sourceProfile) ?? urgent.sourceProfile, state: urgent.state, expiresAt: iso(urgent.expiresAt) } : null,
      profiles: scheduler.profiles().map((p) => ({
        profile: p.profile,
        state: p.state,
        expiresAt: iso(p.expiresAt),
        lastRefreshAt: iso(p.lastRefreshAt),
        lastError: p.lastError ?? null,
      })),
    };
  };

  const net: Server = createServer();
  const ownsSocket = options.listenFd === undefined;
  // The token and the connection handler exist before the socket does: a client that polls
  // while the daemon starts (\`anwbis daemon start\` does) may connect the moment it listens,
  // and a connection nobody handles is one that hangs.
  // Under socket activation the socket outlives the daemon, and clients may have read the token
  // before this process started: the token outlives it too.
  const token = (options.listenFd !== undefined && reusableToken(socketPath)) || newToken();
  const server = new RpcServer(api, token, options.connectionLimits, (line) => log.warn(line));
  // The real daemon loads the SDK at start: the first forwarded request must not wait for it.
  registerForwarding(server, { home, log, warmUp: options.backend === undefined });
  listeners.add((event) => server.broadcast(event));
  net.on('connection', (socket) => server.accept(socket));
  net.on('error', (err) => log.warn(`socket: ${err.message}`));
  await withNamedLock(home, 'daemon-socket', async () => {
    if (options.listenFd !== undefined) {
      await writeToken(socketPath, token);
      await new Promise<void>((resolve, reject) => net.once('error', reject).listen({ fd: options.listenFd }, resolve));
      return;
    }
    // The token file is written before the socket answers, so a client never reads a dead
    // daemon's token and presents it to this one; under the lock no other start interleaves.
    if (await socketAnswers(socketPath)) throw new DaemonAlreadyRunning(socketPath);
    await writeToken(socketPath, token);
    await listenPrivate(net, socketPath);
  });

  let watcher: FSWatcher | undefined;
  let settle: NodeJS.Timeout | undefined;
  const files = new Set([backend.files.credentials, backend.files.config]);
  const dirs = new Set([...files].map((f) => dirname(f)));
  const isAwsFile = (path: string) => files.has(path) || [...files].some((f) => basename(f) === basename(path) && dirname(f) === dirname(path));
  // Every write leaves a temporary file and a lock directory beside the AWS files; chokidar
  // would look at each of them (lstat, realpath) hundreds of times in a burst of refreshes.
  watcher = watchFiles([...dirs], { depth: 0, ignoreInitial: true, ignored: (path: string) => !dirs.has(path) && !isAwsFile(path) });
  watcher.on('all', (_event, path) => {
    if (!isAwsFile(path)) return;
    clearTimeout(settle);
    settle = setTimeout(() => void reconcile().catch((err: Error) => log.warn(`re-reading the AWS files: ${err.message}`)), FILE_SETTLE_MS);
  });
  watcher.on('error', (err) => log.warn(`watching the AWS files: ${(err as Error).message}`));

  const timer = setInterval(() => void tick(), options.tickMs ?? DEFAULT_TICK_MS);
  log.info(`daemon ${options.version} started (pid ${process.pid}, socket ${socketPath}, ${loaded.watches.length} watched)`);
  await reconcile().catch((err: Error) => log.warn(`first look at the AWS files: ${err.message}`));

  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      clearInterval(timer);
      clearTimeout(settle);
      clearTimeout(recheck);
      memory.stop();
      await watcher?.close();
      watcher = undefined;
      const closed = new Promise<void>((resolve) => net.close(() => resolve()));
      // Clients see the connection close only once running refreshes are written and the
      // socket is gone, so `anwbis daemon stop` can return when it sees that.
      await running;
      if (ownsSocket) rmSync(socketPath, { force: true });
      if (ownsSocket) rmSync(tokenPathFor(socketPath), { force: true });
      log.info('daemon stopped');
      server.closeAll();
      await closed;
      resolveStopped();
    })());
  return { socketPath, stop, stopped };
}

function notWatched(profile: string): AnwbisError {
  return new AnwbisError('usage', `${profile} is not watched`, { next: `watch it with \`anwbis watch\`, or see \`anwbis daemon status\`` });
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

export type { Results };
