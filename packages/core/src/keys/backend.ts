import type { KeyBackend } from './key-index.js';

/** One place that keeps secrets by profile name: the OS keychain or the encrypted key file. */
export interface SecretBackend {
  readonly name: KeyBackend;
  /** Where the secrets are, in a person's words, for messages. */
  readonly where: string;
  get(profile: string): Promise<string | undefined>;
  set(profile: string, secret: string): Promise<void>;
  /** False when there was nothing to delete. */
  delete(profile: string): Promise<boolean>;
}

/**
 * Asks a person for the key file's passphrase (`create`: a new file, so it is asked twice);
 * undefined when there is no terminal to ask on.
 */
export type PassphrasePrompt = (purpose: 'open' | 'create') => Promise<string | undefined>;

/** The environment variable that holds the key file's passphrase where no one can be asked. */
export const PASSPHRASE_VARIABLE = 'ANWBIS_KEYS_PASSPHRASE';
