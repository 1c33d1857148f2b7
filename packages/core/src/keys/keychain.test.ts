import { describe, expect, it } from '@jest/globals';
import { rejectedAnwbisError } from '../testing/caught.js';
import { keychainBackend, type EntryOptions, type KeyringEntry, type KeyringModule } from './keychain.js';

/** A keyring module that records what anwbis asks of it, and answers from a map. */
function fakeKeyring(fail?: Error) {
  /** service, account, options, and how many option arguments were passed (none off Linux). */
  const made: Array<[string, string, EntryOptions | undefined, number]> = [];
  const saved = new Map<string, string>();
  let loads = 0;
  class AsyncEntry implements KeyringEntry {
    constructor(
      private readonly service: string,
      private readonly account: string,
      ...options: [EntryOptions?]
    ) {
      made.push([service, account, options[0], options.length]);
    }
    async getPassword() {
      if (fail) throw fail;
      return saved.get(`${this.service}/${this.account}`) ?? null;
    }
    async setPassword(password: string) {
      if (fail) throw fail;
      saved.set(`${this.service}/${this.account}`, password);
    }
    async deleteCredential() {
      if (fail) throw fail;
      return saved.delete(`${this.service}/${this.account}`);
    }
  }
  const load = async (): Promise<KeyringModule> => (loads++, { AsyncEntry });
  return { made, saved, load, loads: () => loads };
}

const BUS = { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus' };

describe('keychainBackend on each platform', () => {
  it.each<[NodeJS.Platform, EntryOptions | undefined, number, string]>([
    // Linux: pinned to the Secret Service, so the library never falls back to the kernel keyring.
    ['linux', { linux: { store: 'secret-service' } }, 1, 'the Secret Service keyring (D-Bus)'],
    ['darwin', undefined, 0, 'the macOS Keychain'],
    ['win32', undefined, 0, 'the Windows Credential Manager'],
  ])('on %s makes the entry (anwbis, <profile>) with options %j', async (platform, options, optionArgs, where) => {
    const keyring = fakeKeyring();
    const backend = keychainBackend({ platform, env: BUS, load: keyring.load });
    expect(backend.where).toBe(where);
    await backend.set('corp', 'secret-text');
    expect(await backend.get('corp')).toBe('secret-text');
    expect(await backend.delete('corp')).toBe(true);
    expect(await backend.get('corp')).toBeUndefined();
    expect(keyring.made).toEqual(Array(4).fill(['anwbis', 'corp', options, optionArgs]));
    expect(keyring.loads()).toBe(1);
  });

  it.each<[NodeJS.Platform, RegExp]>([
    ['linux', /^the Secret Service keyring \(D-Bus\) cannot be used: Platform failure: DBus error/],
    ['darwin', /^the macOS Keychain cannot be used: Platform failure/],
    ['win32', /^the Windows Credential Manager cannot be used: Platform failure/],
  ])('on %s a keychain failure is a config error that names the encrypted key file', async (platform, message) => {
    const keyring = fakeKeyring(new Error('Platform failure: DBus error: org.freedesktop.DBus.Error.ServiceUnknown'));
    const error = await rejectedAnwbisError(keychainBackend({ platform, env: BUS, load: keyring.load }).get('corp'));
    expect(error.kind).toBe('config');
    expect(error.message).toMatch(message);
    expect(error.next).toContain('anwbis keys add --backend file');
    expect(error.next).toContain('[keys] backend = file');
  });

  it('on Linux without a session bus fails at once, without loading the native module', async () => {
    const keyring = fakeKeyring();
    const error = await rejectedAnwbisError(keychainBackend({ platform: 'linux', env: {}, load: keyring.load }).get('corp'));
    expect(error.message).toMatch(/no D-Bus session bus/);
    expect(error.next).toContain('ANWBIS_KEYS_PASSPHRASE');
    expect(keyring.loads()).toBe(0);
  });

  it('a module that does not load (a single executable, an unsupported platform) says so and names the key file', async () => {
    const error = await rejectedAnwbisError(
      keychainBackend({ platform: 'darwin', env: {}, load: () => Promise.reject(new Error("Cannot find module '@napi-rs/keyring'")) }).get('corp'),
    );
    expect(error.message).toMatch(/its module \(@napi-rs\/keyring\) does not load here/);
    expect(error.next).toContain('anwbis keys add --backend file');
  });
});
