import { AnwbisError, shown } from '../errors/errors.js';
import type { AwsCredentials } from '../aws/port.js';
import { anwbisHome, type Env } from '../paths/paths.js';
import type { PassphrasePrompt, SecretBackend } from './backend.js';
import { encryptedFileBackend } from './key-file.js';
import type { KeyBackend } from './key-index.js';
import { keychainBackend, loadKeyringModule, type KeyringModule } from './keychain.js';
import { parseKeys } from './secret.js';

/** What opening a backend may need from outside: the passphrase prompt; tests also pass a fake keyring and platform. */
export interface KeyStoreDeps {
  readonly env: Env;
  readonly askPassphrase?: PassphrasePrompt | undefined;
  readonly platform?: NodeJS.Platform;
  readonly loadKeyring?: () => Promise<KeyringModule>;
}

/** The backend a profile's keys are kept in. */
export function openBackend(backend: KeyBackend, deps: KeyStoreDeps): SecretBackend {
  if (backend === 'file') return encryptedFileBackend({ home: anwbisHome(deps.env), env: deps.env, ask: deps.askPassphrase });
  return keychainBackend({ platform: deps.platform ?? process.platform, env: deps.env, load: deps.loadKeyring ?? loadKeyringModule });
}

/** The stored keys of a profile the key index names; a missing entry is an error that says how to mend it. */
export async function loadStoredKeys(profile: string, backend: KeyBackend, deps: KeyStoreDeps): Promise<AwsCredentials> {
  const store = openBackend(backend, deps);
  const secret = await store.get(profile);
  if (secret === undefined) {
    throw new AnwbisError('config', `the keys of profile ${shown(profile)} should be in ${store.where}, but are not there`, {
      next: `add them again with \`anwbis keys add --profile ${profile}\`, or forget them with \`anwbis keys remove --profile ${profile}\``,
    });
  }
  return parseKeys(secret, store.where);
}
