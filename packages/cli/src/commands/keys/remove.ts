import { Flags } from '@oclif/core';
import { removeKeys } from '@anwbis/core';
import { AnwbisCommand } from '../../base.js';
import { stderrSay } from '../../runtime/say.js';
import { askPassphrase } from '../../runtime/terminal.js';

export default class KeysRemove extends AnwbisCommand {
  static override summary = 'Forget the keys anwbis keeps for a profile';
  static override description = `Deletes the profile's keys from the keychain (or the key file) and from the index. The key
stays valid in IAM: to use it again, put it back with \`anwbis keys add\` or \`aws configure\`;
to end it, delete it in IAM.`;

  static override examples = ['anwbis keys remove --profile corp'];

  static override flags = {
    profile: Flags.string({ char: 'P', description: 'the profile (default: $AWS_PROFILE, else default)' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(KeysRemove);
    const result = await removeKeys({ profile: flags.profile }, { env: process.env, askPassphrase });
    stderrSay(false).ok(`Removed the keys of profile ${result.profile} from ${result.where}`);
  }
}
