import { Command } from '@oclif/core';

/**
 * The base of every anwbis command. With oclif's `--json` (`enableJsonFlag`) a command returns
 * its result and oclif prints it; errors, with `--json` too, go on to the entry point, which
 * prints them for a person on stderr and maps them to the documented exit codes, so stdout holds
 * only data and a failed run leaves it empty.
 */
export abstract class AnwbisCommand extends Command {
  protected override async catch(error: Error & { exitCode?: number }): Promise<never> {
    throw error;
  }
}
