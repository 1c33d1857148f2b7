import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { AnwbisError } from '../errors/errors.js';
import type { Env } from '../paths/paths.js';
import type { SecretBackend } from './backend.js';

/** The service name every anwbis entry carries in the keychain; the account is the profile. */
export const KEYCHAIN_SERVICE = 'anwbis';

/** What anwbis uses of `@napi-rs/keyring`'s `AsyncEntry` (async: D-Bus calls must not block the event loop). */
export interface KeyringEntry {
  getPassword(): Promise<string | null>;
  setPassword(password: string): Promise<void>;
  deleteCredential(): Promise<boolean>;
}

export interface EntryOptions {
  readonly linux?: { readonly store: 'secret-service' };
}

export interface KeyringModule {
  readonly AsyncEntry: new (service: string, account: string, options?: EntryOptions) => KeyringEntry;
}

const FILE_BACKEND_NEXT =
  'or keep the keys in the encrypted key file instead: `anwbis keys add --backend file`, or `[keys] backend = file` in ANWBIS_HOME/config (passphrase from a prompt or ANWBIS_KEYS_PASSPHRASE)';

interface PlatformKeychain {
  readonly name: string;
  /**
   * Linux: pinned to the Secret Service, so a missing one fails instead of the library falling
   * back to the kernel keyring, which forgets everything at logout or reboot.
   */
  readonly options: EntryOptions | undefined;
  readonly fix: string;
}

/** The keychain of each platform: what the entry is made with, and what to do when it fails. */
export function platformKeychain(platform: NodeJS.Platform): PlatformKeychain {
  switch (platform) {
    case 'darwin':
      return { name: 'the macOS Keychain', options: undefined, fix: `unlock your login keychain (Keychain Access), ${FILE_BACKEND_NEXT}` };
    case 'win32':
      return { name: 'the Windows Credential Manager', options: undefined, fix: `check that Credential Manager works for your account, ${FILE_BACKEND_NEXT}` };
    default:
      return {
        name: 'the Secret Service keyring (D-Bus)',
        options: { linux: { store: 'secret-service' } },
        fix: `start and unlock a Secret Service keyring in your session (GNOME Keyring, KWallet, KeePassXC), ${FILE_BACKEND_NEXT}`,
      };
  }
}

/**
 * The OS keychain as a {@link SecretBackend}. The native module is loaded on first use only, so
 * commands and fast paths that never need a stored key never load it or reach D-Bus.
 */
export function keychainBackend(options: { platform: NodeJS.Platform; env: Env; load: () => Promise<KeyringModule> }): SecretBackend {
  const keychain = platformKeychain(options.platform);
  let loaded: Promise<KeyringModule> | undefined;
  const unusable = (why: string, cause?: unknown) =>
    new AnwbisError('config', `${keychain.name} cannot be used: ${why}`, { next: keychain.fix, ...(cause === undefined ? {} : { cause }) });

  async function entry(profile: string): Promise<KeyringEntry> {
    if (options.platform === 'linux' && !sessionBusReachable(options.env)) {
      throw unusable('no D-Bus session bus (DBUS_SESSION_BUS_ADDRESS is not set, and there is no $XDG_RUNTIME_DIR/bus)');
    }
    loaded ??= options.load().catch((error: unknown) => {
      loaded = undefined;
      throw unusable(`its module (@napi-rs/keyring) does not load here: ${(error as Error).message}`, error);
    });
    const { AsyncEntry } = await loaded;
    return keychain.options === undefined ? new AsyncEntry(KEYCHAIN_SERVICE, profile) : new AsyncEntry(KEYCHAIN_SERVICE, profile, keychain.options);
  }

  async function using<T>(profile: string, call: (e: KeyringEntry) => Promise<T>): Promise<T> {
    const e = await entry(profile);
    try {
      return await call(e);
    } catch (error) {
      throw unusable((error as Error).message, error);
    }
  }

  return {
    name: 'keychain',
    where: keychain.name,
    get: (profile) => using(profile, async (e) => (await e.getPassword()) ?? undefined),
    set: (profile, secret) => using(profile, (e) => e.setPassword(secret)),
    delete: (profile) => using(profile, (e) => e.deleteCredential()),
  };
}

/** libdbus finds the session bus through this variable or at the runtime directory's `bus`. */
function sessionBusReachable(env: Env): boolean {
  if (env.DBUS_SESSION_BUS_ADDRESS) return true;
  return env.XDG_RUNTIME_DIR !== undefined && env.XDG_RUNTIME_DIR !== '' && existsSync(join(env.XDG_RUNTIME_DIR, 'bus'));
}

/** The real module, loaded on first use. */
export async function loadKeyringModule(): Promise<KeyringModule> {
  const mod = (await import('@napi-rs/keyring')) as unknown as KeyringModule & { default?: KeyringModule };
  return mod.AsyncEntry ? mod : (mod.default as KeyringModule);
}
