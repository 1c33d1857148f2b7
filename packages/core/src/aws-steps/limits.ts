/**
 * STS's limits on AssumeRole, apart from the call itself: a request is checked against them on
 * the fast paths too, which must not load the AssumeRole step (and its error explanations).
 */

/** STS limits for AssumeRole's DurationSeconds. */
export const ASSUME_ROLE_DURATION = { min: 900, max: 43_200, default: 3600 } as const;

/** AWS caps AssumeRole made with GetSessionToken credentials (role chaining) at one hour. */
export const ROLE_CHAINING_MAX_SECONDS = 3600;
