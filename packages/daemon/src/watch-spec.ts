import { z } from 'zod';
import { MAX_CHAINED_DURATION_SECONDS, MIN_DURATION_SECONDS } from './protocol-version.js';

// The character set core's name check allows; repeated here only as a shape check for input
// that arrives over the socket or from a file, core checks the names again before any use.
const name = z.string().min(1).max(128).regex(/^[\w+=,.@-]+$/);

/** A profile the daemon keeps fresh: what to assume, from which corp session, for how long. */
export const watchSpecSchema = z
  .object({
    /** The profile written into the credentials file. */
    profile: name,
    /** The corp profile with long-term keys; its corp session (`corp-session-<it>`) is the source. */
    sourceProfile: name,
    target: z
      .object({
        project: name,
        env: name,
        role: name,
        contractor: name.optional(),
        groupName: name.optional(),
        policyName: name.optional(),
        delegatedRoleName: name.optional(),
        profileName: name.optional(),
      })
      .strict(),
    region: z.string().regex(/^[a-z0-9-]{1,32}$/).optional(),
    externalId: z.string().regex(/^[\w+=,.@:/-]{2,1224}$/).optional(),
    account: z.string().regex(/^\d{12}$/).optional(),
    sessionName: name.optional(),
    durationSeconds: z.number().int().min(MIN_DURATION_SECONDS).max(MAX_CHAINED_DURATION_SECONDS),
    /** ISO time after which the profile is no longer kept fresh. */
    until: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

export type WatchSpec = z.infer<typeof watchSpecSchema>;
