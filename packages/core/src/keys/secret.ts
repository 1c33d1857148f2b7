import { AnwbisError } from '../errors/errors.js';
import type { AwsCredentials } from '../aws/port.js';

/**
 * Windows Credential Manager refuses a secret over 2,560 bytes (CRED_MAX_CREDENTIAL_BLOB_SIZE),
 * and the keyring library stores a password there as UTF-16. Every backend keeps to it, so a
 * secret that fits on Linux cannot fail on Windows.
 */
export const MAX_SECRET_BYTES = 2560;

/** The access key id IAM issues: upper-case letters and digits, 16 to 128 of them. */
const ACCESS_KEY_ID = /^[A-Z0-9]{16,128}$/;

/** Long-term keys as stored: only what AWS needs, so the secret stays small. */
export interface StoredKeys {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

/** Refuses keys AWS would never accept, before any call (and without showing the secret). */
export function assertKeyShape(keys: StoredKeys): void {
  if (!ACCESS_KEY_ID.test(keys.accessKeyId)) {
    throw new AnwbisError('usage', 'that access key id is not one IAM issues (16 to 128 upper-case letters and digits, like AKIA…)', {
      next: 'copy the access key id from the IAM console or from the credentials file',
    });
  }
  if (keys.secretAccessKey === '' || /\s/.test(keys.secretAccessKey)) {
    throw new AnwbisError('usage', 'the secret access key is empty or holds spaces or line breaks', { next: 'paste the secret access key as IAM gave it' });
  }
}

/** The text a backend stores for a profile's keys; refused when it would not fit in every backend. */
export function serializeKeys(keys: StoredKeys): string {
  const text = JSON.stringify({ v: 1, AccessKeyId: keys.accessKeyId, SecretAccessKey: keys.secretAccessKey });
  // UTF-16 code units are 2 bytes each (the keys are ASCII, so this is exact).
  if (text.length * 2 > MAX_SECRET_BYTES) {
    throw new AnwbisError('usage', `these keys take ${text.length * 2} bytes stored; the Windows Credential Manager holds at most ${MAX_SECRET_BYTES}`, {
      next: 'check that the access key id and the secret access key are the ones IAM gave you',
    });
  }
  return text;
}

/** Reads what {@link serializeKeys} wrote; anything else is a damaged entry, named by `where`. */
export function parseKeys(text: string, where: string): AwsCredentials {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    data = undefined;
  }
  const d = data as { v?: unknown; AccessKeyId?: unknown; SecretAccessKey?: unknown } | undefined;
  if (d?.v !== 1 || typeof d.AccessKeyId !== 'string' || typeof d.SecretAccessKey !== 'string') {
    throw new AnwbisError('config', `the keys stored in ${where} are not in a form this anwbis reads`, {
      next: 'store them again with `anwbis keys add`',
    });
  }
  return { accessKeyId: d.AccessKeyId, secretAccessKey: d.SecretAccessKey };
}

/** An access key id as shown to people: its last four characters. */
export function maskedKeyId(accessKeyId: string): string {
  return `…${accessKeyId.slice(-4)}`;
}
