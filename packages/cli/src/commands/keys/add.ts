import { Flags } from '@oclif/core';
import { addKeys, createSdkPort, KEY_BACKENDS } from '@anwbis/core';
import { AnwbisCommand } from '../../base.js';
import { stderrSay } from '../../runtime/say.js';
import { askPassphrase, readKeysFromPerson } from '../../runtime/terminal.js';

export default class KeysAdd extends AnwbisCommand {
  static override summary = 'Move your corp access keys into the OS keychain (or the encrypted key file)';
  static override description = `Takes the long-term keys of a profile from its section of ~/.aws/credentials, or, when it has
none there, asks for them on the terminal without echo (or reads two lines from a piped stdin:
the access key id, then the secret access key). AWS is asked first whether they work
(sts:GetCallerIdentity); only then are they stored, and only then are the two key lines
removed from the credentials file (every other byte of it stays).

From then on every command that takes that profile as its source (assume, session, roles, tui,
exec, env, credential-process, the daemon) reads the keys from the store.

--backend keychain (default): the macOS Keychain, the Windows Credential Manager, or on Linux
a Secret Service keyring over D-Bus (GNOME Keyring, KWallet, KeePassXC); never the kernel
keyring. --backend file: ANWBIS_HOME/keys.enc, encrypted with a passphrase (scrypt,
AES-256-GCM), asked on the terminal or taken from ANWBIS_KEYS_PASSPHRASE. The default
backend can be set in ANWBIS_HOME/config: [keys] backend = file.`;

  static override examples = ['anwbis keys add', 'anwbis keys add --profile corp', 'anwbis keys add --profile corp --backend file'];

  static override flags = {
    profile: Flags.string({ char: 'P', description: 'the corp profile whose keys to store (default: $AWS_PROFILE, else default)' }),
    backend: Flags.option({ options: KEY_BACKENDS, description: 'where to keep them (default: [keys] backend in ANWBIS_HOME/config, else keychain)' })(),
    region: Flags.string({ description: 'AWS region for the test call' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(KeysAdd);
    const result = await addKeys(
      { profile: flags.profile, backend: flags.backend, region: flags.region },
      { env: process.env, askPassphrase, readKeys: readKeysFromPerson, createAws: ({ credentials, region }) => createSdkPort({ credentials, region }) },
    );
    const say = stderrSay(false);
    say.ok(`Keys ${result.keyId} of ${result.userArn} stored for profile ${result.profile} in ${result.where}`);
    if (result.removedFrom) say.ok(`Removed them from ${result.removedFrom}`);
  }
}
