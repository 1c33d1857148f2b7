// Apart from the schemas (zod) so the credential-process fast path and the client can speak the
// protocol without loading zod.

/** Bumped on any change a client of the previous version would misread. */
export const PROTOCOL_VERSION = 1;
/** A line longer than this closes the connection. */
export const MAX_LINE_BYTES = 1024 * 1024;
/** A batch holds at most this many requests; a longer one is answered with one error. */
export const MAX_BATCH_REQUESTS = 64;
/** One answer line (an answer, or a batch's answers together) is at most this long; past it, errors take the answers' place. */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

/** The notification a subscriber receives for every event. */
export const EVENT_METHOD = 'event';

/** AWS caps AssumeRole made with session credentials at one hour (role chaining). */
export const MAX_CHAINED_DURATION_SECONDS = 3600;
/** STS's floor for AssumeRole's DurationSeconds. */
export const MIN_DURATION_SECONDS = 900;
