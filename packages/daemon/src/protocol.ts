/**
 * The daemon's socket protocol (see PROTOCOL.md): newline-delimited JSON-RPC 2.0, the first
 * message `hello` with the token, every request's params checked against these schemas.
 */
import { z } from 'zod';
import type { ProfileState, SessionState } from './scheduler.js';
import { watchSpecSchema } from './watch-spec.js';

export { EVENT_METHOD, MAX_ANSWER_BYTES, MAX_BATCH_REQUESTS, MAX_LINE_BYTES, PROTOCOL_VERSION } from './protocol-version.js';

/** Application error codes, in JSON-RPC's range for server-defined errors. */
export const ERROR_CODES = {
  unauthorized: -32001,
  protocolVersion: -32002,
  failed: -32004,
  /** A connection limit was reached; the message names it. */
  busy: -32005,
  /** A batch or an answer past the protocol's limits; the message names the limit. */
  tooLarge: -32006,
} as const;

const empty = z.object({}).strict().optional();

/** Params of each method; a method missing here does not exist. */
export const paramsSchemas = {
  hello: z.object({ token: z.string().max(256), protocol: z.number().int(), client: z.string().max(64).optional() }).strict(),
  status: empty,
  watch: z.object({ watch: watchSpecSchema }).strict(),
  unwatch: z.object({ profile: watchSpecSchema.shape.profile }).strict(),
  refresh: z.object({ profile: watchSpecSchema.shape.profile.optional() }).strict().optional(),
  roles: z.object({ sourceProfile: watchSpecSchema.shape.sourceProfile.optional(), refresh: z.boolean().optional() }).strict().optional(),
  'session.unlock': z.object({ mfaCode: z.string().regex(/^\d{6}$/, 'an MFA code is six digits'), sourceProfile: watchSpecSchema.shape.sourceProfile.optional() }).strict(),
  subscribe: empty,
  shutdown: empty,
  'credentials.hold': z.object({ watch: watchSpecSchema }).strict(),
  'credentials.fetch': z.object({ profile: watchSpecSchema.shape.profile }).strict(),
  'credentials.provide': z
    .object({
      target: watchSpecSchema.shape.target,
      /** The source as asked: `--profile`, else `AWS_PROFILE`, else `default`. */
      sourceProfile: watchSpecSchema.shape.sourceProfile,
      /** The region as asked; '' leaves it to the source profile. */
      region: z.string().regex(/^[a-z0-9-]{0,32}$/),
      externalId: watchSpecSchema.shape.externalId,
      account: watchSpecSchema.shape.account,
      /** The caller's credentials file and ANWBIS_HOME: the daemon serves only its own. */
      credentialsFile: z.string().min(1).max(4096),
      home: z.string().min(1).max(4096),
    })
    .strict(),
} as const;

export type Method = keyof typeof paramsSchemas;
export type Params<M extends Method> = z.input<(typeof paramsSchemas)[M]>;

/** `status` (and `anwbis daemon status --json`). Times are ISO strings; unknown is null. */
export interface StatusResult {
  readonly pid: number;
  readonly version: string;
  readonly socket: string;
  /** Grants held by programs (one per running `anwbis exec --server`). */
  readonly grants: number;
  readonly session: { readonly profile: string; readonly state: SessionState; readonly expiresAt: string | null } | null;
  readonly profiles: ReadonlyArray<{
    readonly profile: string;
    readonly state: ProfileState;
    readonly expiresAt: string | null;
    readonly lastRefreshAt: string | null;
    readonly lastError: string | null;
  }>;
}

/**
 * `roles`: every delegated role the corp user may assume (core's list, cached for an hour as
 * for `anwbis roles`), each with what anwbis wrote for it and whether the daemon keeps it fresh.
 */
export interface RolesResult {
  readonly sourceProfile: string;
  readonly userName: string;
  readonly account: string;
  readonly fetchedAt: string;
  /** Answered from the cached list, not from AWS. */
  readonly fromCache: boolean;
  /** Policies skipped because they could not be read as policy documents. */
  readonly problems: readonly string[];
  readonly roles: ReadonlyArray<{
    readonly project: string | null;
    readonly env: string | null;
    readonly role: string;
    readonly account: string;
    readonly roleArn: string;
    readonly profile: string | null;
    readonly group: string;
    readonly policy: string;
    /** What the credentials file holds for its profile, as `anwbis roles` shows it. */
    readonly status: 'valid' | 'expired' | 'not-assumed';
    readonly expiresAt: string | null;
    readonly watched: boolean;
    /** The daemon's state of the profile; null when it is not watched. */
    readonly watchState: ProfileState | null;
  }>;
}

/** What each method answers. */
export interface Results {
  hello: { protocol: number; version: string; pid: number };
  status: StatusResult;
  watch: { profile: string; state: ProfileState };
  unwatch: { profile: string; removed: boolean };
  refresh: StatusResult['profiles'];
  roles: RolesResult;
  'session.unlock': { profile: string; expiresAt: string };
  subscribe: { subscribed: true };
  shutdown: { stopping: true };
  'credentials.hold': CredentialsHoldResult;
  'credentials.fetch': FetchedCredentials;
  'credentials.provide': { profile: string; expiresAt: string };
}

/** `credentials.hold`: the connection holds a grant of the profile until it closes. */
export interface CredentialsHoldResult {
  readonly profile: string;
  /** The current credentials' expiry; null when none is recorded. */
  readonly expiresAt: string | null;
}

/**
 * `credentials.fetch`: a held profile's credentials, with the expiry to announce to SDKs (when
 * the daemon's next refresh is due, not the keys' real end).
 */
export interface FetchedCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string;
  readonly expiration: string;
}
