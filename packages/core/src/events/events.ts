import type { ProfileKind } from '../cache/state-store.js';

/**
 * What a credential flow reports while it runs. Front ends decide how to show it: the CLI prints
 * today's progress lines on stderr, the TUI draws it, the daemon logs and forwards it. Events
 * never carry secrets.
 */
export type AnwbisEvent =
  /** Still-valid credentials anwbis wrote were reused; nothing was asked of AWS. */
  | { readonly type: 'reused'; readonly kind: ProfileKind; readonly profile: string; readonly expiration: Date }
  /** A written profile is valid but was made for another request (role, account, source, region): it is replaced. */
  | { readonly type: 'replacing'; readonly profile: string }
  | { readonly type: 'source-passed-over'; readonly profile: string }
  | { readonly type: 'instance-role'; readonly roleName: string; readonly instanceId?: string; readonly endpoint: string }
  | { readonly type: 'authenticated'; readonly userName: string }
  | { readonly type: 'role-found'; readonly roleArn: string; readonly remembered: boolean }
  | { readonly type: 'mfa-devices'; readonly count: number; readonly chosen?: string }
  | { readonly type: 'assuming'; readonly role: string; readonly project: string; readonly userName: string; readonly mfa: boolean }
  | { readonly type: 'mfa-rejected' }
  | { readonly type: 'assumed'; readonly roleArn: string }
  | { readonly type: 'session-starting'; readonly userName: string; readonly serial: string }
  | { readonly type: 'written'; readonly kind: ProfileKind; readonly profile: string; readonly file: string; readonly expiration: Date }
  /** One AWS call, for verbose output; `line` is already redacted. */
  | { readonly type: 'aws-call'; readonly line: string }
  /** Something went wrong that did not stop the flow (state that could not be saved, …). */
  | { readonly type: 'warning'; readonly message: string };

/** Where a flow sends its events. */
export type EventSink = (event: AnwbisEvent) => void;

/** Drops every event. */
export const silentEvents: EventSink = () => undefined;
