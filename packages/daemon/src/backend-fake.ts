import { readFile } from 'node:fs/promises';
import type { DelegatedRole, RoleStatus, TemporaryCredentials } from '@anwbis/core';
import { RefreshFailure, type DaemonBackend, type ProvideRequest, type RoleListing, type WrittenProfile } from './backend.js';
import type { FailureReason } from './scheduler.js';
import type { WatchSpec } from './watch-spec.js';

/**
 * An in-memory {@link DaemonBackend} for the daemon's own tests: refreshes succeed with a new
 * key each time unless a failure is queued, and every call is counted.
 */
export class FakeBackend implements DaemonBackend {
  readonly files: { credentials: string; config: string };
  readonly refreshes: string[] = [];
  /** How often the daemon looked at what the files hold. */
  writtenCalls = 0;
  readonly sessions = new Map<string, Date>();
  readonly profiles = new Map<string, { accessKeyId: string; expiresAt: Date }>();
  /** What `roles` lists, with the status of each role's profile by role ARN. */
  readonly roleList: DelegatedRole[] = [];
  readonly roleStatuses = new Map<string, RoleStatus>();
  /** The requests `roles` received. */
  readonly roleRequests: Array<{ sourceProfile?: string; refresh?: boolean }> = [];
  private readonly failures: Array<{ reason: FailureReason; message: string }> = [];
  private serial = 0;

  constructor(
    dir: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.files = { credentials: `${dir}/credentials`, config: `${dir}/config` };
  }

  failNext(reason: FailureReason, message = `fake ${reason}`): void {
    this.failures.push({ reason, message });
  }

  /** The timeout each refresh was given, by profile. */
  readonly refreshTimeouts = new Map<string, number | undefined>();

  async refresh(watch: WatchSpec, options: { timeoutMs?: number } = {}): Promise<{ expiresAt: Date; accessKeyId: string }> {
    this.refreshes.push(watch.profile);
    this.refreshTimeouts.set(watch.profile, options.timeoutMs);
    const failure = this.failures.shift();
    if (failure) throw new RefreshFailure(failure.reason, failure.message);
    const written = { accessKeyId: `ASIAFAKE${++this.serial}`, expiresAt: new Date(this.now().getTime() + Math.min(watch.durationSeconds, 3600) * 1000) };
    this.profiles.set(watch.profile, written);
    return written;
  }

  async session(sourceProfile: string): Promise<{ profile: string; expiresAt?: Date }> {
    const expiresAt = this.sessions.get(sourceProfile);
    return { profile: `corp-session-${sourceProfile}`, ...(expiresAt ? { expiresAt } : {}) };
  }

  async unlock(sourceProfile: string, mfaCode: string): Promise<{ profile: string; expiresAt: Date }> {
    if (!/^\d{6}$/.test(mfaCode)) throw new Error('the MFA code is not six digits');
    const expiresAt = new Date(this.now().getTime() + 8 * 3600_000);
    this.sessions.set(sourceProfile, expiresAt);
    return { profile: `corp-session-${sourceProfile}`, expiresAt };
  }

  async keys(profiles: readonly string[]): Promise<Map<string, string | undefined> | undefined> {
    this.writtenCalls++;
    // The sections themselves live in `profiles`; the file the tests write says only whether there are any.
    if (!/^\[/m.test(await readFile(this.files.credentials, 'utf8').catch(() => ''))) return undefined;
    return new Map(profiles.map((p) => [p, this.profiles.get(p)?.accessKeyId]));
  }

  async credentials(profile: string): Promise<TemporaryCredentials | undefined> {
    const p = this.profiles.get(profile);
    return p ? { accessKeyId: p.accessKeyId, secretAccessKey: `fake-secret-${p.accessKeyId}`, sessionToken: `fake-token-${p.accessKeyId}`, expiration: p.expiresAt } : undefined;
  }

  /** Every `provide` request, in order. */
  readonly provided: ProvideRequest[] = [];

  async provide(request: ProvideRequest): Promise<{ profile: string; expiresAt: Date }> {
    this.provided.push(request);
    return { profile: `${request.target.project}-${request.target.env}-${request.target.role}`, expiresAt: new Date(this.now().getTime() + 3600_000) };
  }

  async written(profile: string): Promise<WrittenProfile> {
    this.writtenCalls++;
    const p = this.profiles.get(profile);
    return p ? { present: true, ...p } : { present: false };
  }

  async roles(request: { sourceProfile?: string; refresh?: boolean }): Promise<RoleListing> {
    this.roleRequests.push(request);
    const fetchedAt = this.now();
    return {
      list: { roles: [...this.roleList], userName: 'fake.user', account: '111111111111', sourceProfile: request.sourceProfile ?? 'default', fetchedAt, fromCache: !request.refresh, problems: [] },
      statuses: this.roleStatuses,
    };
  }
}
