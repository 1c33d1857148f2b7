import { listKeys, type StoredKeysEntry } from '@anwbis/core';
import { AnwbisCommand } from '../../base.js';

export default class KeysList extends AnwbisCommand {
  static override summary = 'List the profiles whose keys anwbis keeps, and where';
  static override description = `One line per profile: the profile, the backend (keychain or file) and the access key id's last
four characters. No secret is read: the list comes from ANWBIS_HOME/keys.json, so it neither
opens the keychain nor asks for the key file's passphrase.`;

  static override examples = ['anwbis keys list', 'anwbis keys list --json'];

  static override enableJsonFlag = true;

  async run(): Promise<StoredKeysEntry[]> {
    await this.parse(KeysList);
    const entries = await listKeys({ env: process.env });
    if (!this.jsonEnabled()) {
      if (entries.length === 0) process.stderr.write('anwbis keeps no keys; store some with `anwbis keys add`.\n');
      for (const e of entries) process.stdout.write(`${e.profile}\t${e.backend}\t${e.keyId}\n`);
    }
    return entries;
  }
}
