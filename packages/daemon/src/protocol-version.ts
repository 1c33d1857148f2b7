// Apart from the schemas (zod) so the credential-process fast path can speak the protocol.

/** Bumped on any change a client of the previous version would misread. */
export const PROTOCOL_VERSION = 1;
/** A line longer than this closes the connection. */
export const MAX_LINE_BYTES = 1024 * 1024;
