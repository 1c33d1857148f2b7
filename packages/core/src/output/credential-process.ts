import type { TemporaryCredentials } from '../aws/port.js';

/** The `credential_process` answer AWS SDKs and the CLI read (Version 1). */
export function credentialProcessJson(credentials: TemporaryCredentials): string {
  return JSON.stringify({
    Version: 1,
    AccessKeyId: credentials.accessKeyId,
    SecretAccessKey: credentials.secretAccessKey,
    SessionToken: credentials.sessionToken,
    Expiration: credentials.expiration.toISOString(),
  });
}
