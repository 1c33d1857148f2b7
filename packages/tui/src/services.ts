import {
  AnwbisError,
  anwbisHome,
  assume,
  cachedDelegatedRoles,
  corpSession,
  credentialsFilePath,
  credentialVariables,
  formatShellExports,
  listDelegatedRoles,
  loadSettings,
  openConsole,
  readValidSession,
  readValidWrittenProfile,
  roleStatuses,
  sessionProfileName,
  silentEvents,
  StateStore,
  type FlowDeps as AssumeDeps,
  type AssumeRequest,
  type AssumeResult,
  type BrowserLauncher,
  type ConsoleRequest,
  type DelegatedRole,
  type DiscoveryProgress,
  type RoleList,
  type MfaSources,
  type RoleStatus,
  type SessionRequest,
  type SessionResult,
  type SessionTaggingFlags,
} from '@anwbis/core';
// Apart from the index: its zod would otherwise be reachable from every bundle of core.
import { frecencyScore, RoleHistory } from '@anwbis/core/history';

/** Everything the picker does outside itself; the CLI wires the real one, tests a fake. */
export interface PickerServices {
  loadRoles(refresh: boolean, onProgress: (progress: DiscoveryProgress) => void): Promise<RoleList>;
  /** The list from the cache while it is young enough, else undefined; never asks AWS. */
  cachedRoles(): Promise<RoleList | undefined>;
  statuses(roles: readonly DelegatedRole[]): Promise<ReadonlyMap<string, RoleStatus>>;
  /** Frecency score by role ARN. */
  scores(): Promise<ReadonlyMap<string, number>>;
  /** Counts a use of the role, for the order of the next visit. */
  recordUse(role: DelegatedRole): Promise<void>;
  /** Whether getting credentials needs an MFA code typed in the picker (no valid corp session, no --mfa-code/--mfa-process). */
  needsCode(): Promise<boolean>;
  /** Starts the corp session with a code typed in the picker, or with the MFA flags when `code` is undefined. */
  startSession(code: string | undefined): Promise<void>;
  /** Assumes the role with the corp session (no code) and writes its profile. */
  assume(role: DelegatedRole): Promise<AssumeResult>;
  /** The credentials anwbis wrote in the role's profile while still valid, whatever request wrote them; undefined otherwise. */
  written(role: DelegatedRole): Promise<AssumeResult | undefined>;
  /** Opens the console signed in as the role; says how. */
  openConsole(role: DelegatedRole, result: AssumeResult): Promise<string>;
  /** Puts text on the clipboard; says how. */
  copy(text: string): Promise<string>;
  /** Profiles the daemon keeps fresh; undefined when no daemon answers (the picker works without one). */
  watched(): Promise<ReadonlySet<string> | undefined>;
  /** Hands the role's profile, just written by {@link PickerServices.assume}, to the daemon to keep fresh; says so. */
  watch(role: DelegatedRole, result: AssumeResult): Promise<string>;
  /** Stops the daemon keeping the role's profile fresh; says so. */
  unwatch(role: DelegatedRole): Promise<string>;
  /** Calls `changed` whenever the daemon reports something (a refresh, an unwatch, going away); returns the stop. */
  onDaemonChange(changed: () => void): () => void;
  now(): Date;
}

/** A profile handed to the daemon: what was assumed, from which corp profile, for how long. */
export interface DaemonWatch {
  readonly request: AssumeRequest;
  readonly profile: string;
  /** The corp profile with long-term keys; the daemon refreshes from its corp session. */
  readonly corpProfile: string;
  readonly durationSeconds: number;
}

/**
 * The daemon as the picker (and `anwbis roles`) uses it. The CLI wires its socket client; tests
 * a fake. It connects on first use, and again after the daemon went away.
 */
export interface DaemonPort {
  /** The profiles the daemon keeps fresh, or undefined when no daemon answers. */
  watched(): Promise<ReadonlySet<string> | undefined>;
  /** Fails with how to start the daemon when none answers. */
  watch(watch: DaemonWatch): Promise<void>;
  /** Whether the profile was watched. */
  unwatch(profile: string): Promise<boolean>;
  /** `changed` is called on every event of the daemon, and when it goes away. */
  onChange(changed: () => void): () => void;
  close(): void;
  /** An assume run by the daemon (its warm SDK); undefined when no daemon takes it, and the picker runs it. */
  assume?(request: AssumeRequest): Promise<AssumeResult | undefined>;
  /** A corp session started by the daemon, the code from `mfa`; undefined when no daemon takes it. */
  startSession?(request: SessionRequest, mfa: MfaSources): Promise<SessionResult | undefined>;
}

/** A role list with what the rows show of it. */
export interface ListRead {
  readonly list: RoleList;
  readonly statuses: ReadonlyMap<string, RoleStatus>;
  readonly scores: ReadonlyMap<string, number>;
}

/** Reads the list (from the cache or AWS) and the statuses and order of its roles. */
export async function readList(services: PickerServices, reading: Promise<RoleList>): Promise<ListRead> {
  const list = await reading;
  const [statuses, scores] = await Promise.all([services.statuses(list.roles), services.scores()]);
  return { list, statuses, scores };
}

export interface PickerServiceOptions {
  readonly sourceProfile?: string;
  readonly region?: string;
  readonly mfaSerial?: string;
  readonly durationSeconds?: number;
  /** The session tag flags; `[assume]` in the settings fills in, as for every assume. */
  readonly tagging?: SessionTaggingFlags;
  readonly console: ConsoleRequest;
  readonly launcher: BrowserLauncher;
  readonly copy: (text: string) => Promise<string>;
  readonly daemon: DaemonPort;
}

const noPrompt = { interactive: false, ask: () => Promise.reject(new AnwbisError('mfa', 'no terminal prompt inside the picker')) };

/** The role's name in its ARN (`role/path/name` → `name`). */
function roleNameOf(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/**
 * The picker's services over core: the role list (cached, no MFA), one corp session per visit
 * (its code asked once, in the picker), assumes with that session, the console, the clipboard,
 * and handing profiles to the daemon.
 */
export function createPickerServices(deps: AssumeDeps, options: PickerServiceOptions): PickerServices {
  const home = anwbisHome(deps.env);
  const history = new RoleHistory(home);
  let sourceProfile: string | undefined = options.sourceProfile;
  const toScores = (uses: Awaited<ReturnType<RoleHistory['read']>>) => {
    const now = deps.clock.now();
    return new Map([...uses].map(([arn, use]) => [arn, frecencyScore(use, now)]));
  };
  const session = async () => {
    const settings = await loadSettings(home);
    const source = sourceProfile ?? 'default';
    const profile = sessionProfileName(source, settings.naming);
    const store = new StateStore(home);
    // A corp session given as the profile is used as it is; its corp profile is the daemon's source.
    const given = await store.readProfile(source);
    if (given?.kind === 'session') return { profile: source, corpProfile: given.sourceProfile, valid: true };
    const written = await readValidSession(store, credentialsFilePath(deps.env), profile, deps.clock).catch(() => undefined);
    return { profile, corpProfile: source, valid: written !== undefined };
  };
  /** Refuses a role outside the naming patterns before any code is asked for. */
  const targetFor = (role: DelegatedRole): AssumeRequest['target'] => {
    if (role.project === null || role.env === null || role.profile === null) {
      throw new AnwbisError('usage', `${role.roleArn} does not follow the naming patterns, so anwbis has no profile name for it`, {
        next: `assume it with: anwbis -p PROJECT -e ENV -r ROLE --iam_master_group ${role.group} --iam_delegated_role ${roleNameOf(role.roleArn)}`,
      });
    }
    return { project: role.project, env: role.env, role: role.role, groupName: role.group, policyName: role.policy, delegatedRoleName: roleNameOf(role.roleArn) };
  };
  const requestFor = (role: DelegatedRole, sessionProfile: string): AssumeRequest => ({
    target: targetFor(role),
    sourceProfile: sessionProfile,
    noMfa: true,
    account: role.account,
    ...(options.region ? { region: options.region } : {}),
    ...(options.durationSeconds ? { durationSeconds: options.durationSeconds } : {}),
    ...(options.tagging ? { tagging: options.tagging } : {}),
  });
  const mfaFlags = deps.mfa.flag !== undefined || deps.mfa.process !== undefined;
  return {
    async loadRoles(refresh, onProgress) {
      const list = await listDelegatedRoles({ ...(sourceProfile ? { sourceProfile } : {}), ...(options.region ? { region: options.region } : {}), refresh, onProgress }, deps);
      sourceProfile = list.sourceProfile;
      return list;
    },
    async cachedRoles() {
      const list = await cachedDelegatedRoles(sourceProfile ? { sourceProfile } : {}, deps);
      if (list) sourceProfile = list.sourceProfile;
      return list;
    },
    statuses: (roles) => roleStatuses(roles, home, credentialsFilePath(deps.env), deps.clock.now()),
    scores: async () => toScores(await history.read()),
    recordUse: async (role) => void (await history.record(role.roleArn, deps.clock.now())),
    needsCode: async () => !(await session()).valid && !mfaFlags,
    async startSession(code) {
      const request = {
        ...(sourceProfile ? { sourceProfile } : {}),
        ...(options.region ? { region: options.region } : {}),
        ...(options.mfaSerial ? { mfaSerial: options.mfaSerial } : {}),
      };
      const mfa = code === undefined ? deps.mfa : { flag: code, prompter: noPrompt };
      if (await options.daemon.startSession?.(request, mfa)) return;
      await corpSession(request, { ...deps, events: silentEvents, mfa });
    },
    async assume(role) {
      targetFor(role);
      const { profile, valid } = await session();
      if (!valid) await this.startSession(undefined);
      const request = requestFor(role, profile);
      return (await options.daemon.assume?.(request)) ?? assume(request, { ...deps, events: silentEvents });
    },
    async written(role) {
      if (role.profile === null) return undefined;
      const credentialsFile = credentialsFilePath(deps.env);
      const settings = await loadSettings(home);
      const found = await readValidWrittenProfile(new StateStore(home), credentialsFile, role.profile, {
        kind: 'assume',
        now: deps.clock.now(),
        marginSeconds: settings.refreshMarginSeconds,
      }).catch(() => undefined);
      if (found?.record.roleArn !== role.roleArn) return undefined;
      return { profile: role.profile, credentials: found.credentials, region: found.record.region, roleArn: role.roleArn, account: role.account, reused: true, credentialsFile };
    },
    async openConsole(role, result) {
      const opened = await openConsole(options.console, { credentials: result.credentials, region: result.region, profile: result.profile }, { env: deps.env, launcher: options.launcher });
      return opened.kind === 'link' ? `sign-in URL for ${result.profile}: ${opened.url}` : `opened the AWS console for ${role.profile} with ${opened.command}`;
    },
    copy: (text) => options.copy(text),
    watched: () => options.daemon.watched(),
    async watch(role, result) {
      const { profile, corpProfile } = await session();
      await options.daemon.watch({ request: requestFor(role, profile), profile: result.profile, corpProfile, durationSeconds: options.durationSeconds ?? 3600 });
      return `The daemon keeps ${result.profile} fresh from ${profile}`;
    },
    async unwatch(role) {
      if (role.profile === null) return `${role.roleArn} has no profile for the daemon to watch`;
      return (await options.daemon.unwatch(role.profile)) ? `The daemon no longer refreshes ${role.profile} (it stays valid until it expires)` : `${role.profile} was not watched`;
    },
    onDaemonChange: (changed) => options.daemon.onChange(changed),
    now: () => deps.clock.now(),
  };
}

/** The `export` lines of an assume, as `--stdout` prints them. */
export function exportLines(result: AssumeResult): string {
  return formatShellExports(credentialVariables(result.credentials, result.region));
}
