import { AnwbisCommand } from '../base.js';
import { completionRoles } from '@anwbis/core';
import { complete, type CommandSpec } from '../completion/complete.js';

/** The completion scripts' back end: prints the candidates for the words after `--`, one a line. */
export default class Complete extends AnwbisCommand {
  static override hidden = true;
  static override strict = false;
  static override summary = 'Print completion candidates (used by the scripts of anwbis autocomplete)';

  async run(): Promise<void> {
    const { argv } = await this.parse(Complete);
    const words = (argv as string[]).length === 0 ? [''] : (argv as string[]);
    const commands: CommandSpec[] = this.config.commands.map((c) => ({ id: c.id, hidden: c.hidden, flags: c.flags as CommandSpec['flags'] }));
    const roles = await completionRoles(process.env).catch(() => []);
    const candidates = complete(words, commands, roles);
    if (candidates.length > 0) process.stdout.write(`${candidates.join('\n')}\n`);
  }
}
