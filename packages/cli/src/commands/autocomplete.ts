import { Args } from '@oclif/core';
import { AnwbisCommand } from '../base.js';
import { COMPLETION_SHELLS, completionScript, type CompletionShell } from '../completion/scripts.js';

export default class Autocomplete extends AnwbisCommand {
  static override summary = 'Print the shell completion script for bash, zsh or fish';
  static override description = `Completes commands, flags, and the values of -p, -e and -r from the roles anwbis knows
(the cached role list of anwbis roles and the profiles it wrote). Set it up once:

  bash   echo 'eval "$(anwbis autocomplete bash)"' >> ~/.bashrc
  zsh    echo 'eval "$(anwbis autocomplete zsh)"' >> ~/.zshrc      (after compinit)
  fish   anwbis autocomplete fish > ~/.config/fish/completions/anwbis.fish`;

  static override examples = ['eval "$(anwbis autocomplete bash)"', 'anwbis autocomplete fish > ~/.config/fish/completions/anwbis.fish'];

  static override args = {
    shell: Args.string({ description: 'the shell', options: [...COMPLETION_SHELLS], required: true }),
  };

  async run(): Promise<void> {
    const { args } = await this.parse(Autocomplete);
    process.stdout.write(completionScript(args.shell as CompletionShell, this.config.bin));
  }
}
