import { Flags } from '@oclif/core';
import { createSdkPort, rotateKeys } from '@anwbis/core';
import { AnwbisCommand } from '../../base.js';
import { stderrSay } from '../../runtime/say.js';
import { askPassphrase } from '../../runtime/terminal.js';

export default class KeysRotate extends AnwbisCommand {
  static override summary = 'Replace a stored access key with a new one (CreateAccessKey, then DeleteAccessKey)';
  static override description = `With the stored key: iam:CreateAccessKey for your IAM user, waits until the new key works
(sts:GetCallerIdentity; IAM takes a few seconds), stores it where the old one was, then
iam:DeleteAccessKey the old one. If a step fails, a working key stays stored and the message
says which key is where. IAM allows two keys per user: with two already, delete the unused
one first.`;

  static override examples = ['anwbis keys rotate', 'anwbis keys rotate --profile corp'];

  static override flags = {
    profile: Flags.string({ char: 'P', description: 'the profile (default: $AWS_PROFILE, else default)' }),
    region: Flags.string({ description: 'AWS region for the calls' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(KeysRotate);
    const result = await rotateKeys(
      { profile: flags.profile, region: flags.region },
      { env: process.env, askPassphrase, createAws: ({ credentials, region }) => createSdkPort({ credentials, region }) },
    );
    stderrSay(false).ok(`Rotated the key of profile ${result.profile}: ${result.newKeyId} is stored in ${result.where}; ${result.oldKeyId} is deleted in IAM`);
  }
}
