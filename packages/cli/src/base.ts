import { stripVTControlCharacters } from 'node:util';
import { Command } from '@oclif/core';
import { AnwbisError } from '@anwbis/core';
import { writeJson } from './output/json.js';

/** What oclif's parser attaches to the errors it throws for a command line it refuses. */
interface ParseFailure extends Error {
  oclif?: { exit?: number };
  parse?: {
    input?: {
      flags?: Record<string, { char?: string; required?: boolean }>;
      args?: Record<string, { required?: boolean; options?: readonly string[] }>;
    };
    output?: { flags?: Record<string, unknown>; args?: Record<string, unknown> };
  };
}

/**
 * oclif's parser errors in the project's form: what is wrong, and as the next step an example
 * of the command (for missing flags) or where its flags are listed. Anything else is returned
 * unchanged.
 */
export function parseErrorInOurTerms(error: Error, id: string, example: string | undefined): Error {
  const { parse, message } = error as ParseFailure;
  if (!parse?.input?.flags) return error;
  const help = `anwbis ${id} --help lists what it takes`;
  const givenFlags = parse.output?.flags ?? {};
  const givenArgs = parse.output?.args ?? {};
  const missing = [
    ...Object.entries(parse.input.args ?? {})
      .filter(([name, arg]) => arg.required === true && givenArgs[name] === undefined)
      .map(([name, arg]) => (arg.options ? `${name.toUpperCase()} (${arg.options.join(', ')})` : name.toUpperCase())),
    ...Object.entries(parse.input.flags)
      .filter(([name, flag]) => flag.required === true && givenFlags[name] === undefined)
      .map(([name, flag]) => (flag.char ? `-${flag.char}/--${name}` : `--${name}`)),
  ];
  if (missing.length > 0) {
    return new AnwbisError('usage', `missing ${missing.join(', ')}`, {
      next: example ? `for example: ${example} (${help})` : help,
      cause: error,
    });
  }
  // "The following errors occurred:\n  a\n  b\nSee more help with --help" -> "a; b"
  const reasons = stripVTControlCharacters(message)
    .replace(/\nSee more help with --help$/, '')
    .replace(/^The following errors? occurred:\n/, '')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
  return new AnwbisError('usage', reasons.join('; '), { next: help, cause: error });
}

/**
 * The base of every anwbis command. With oclif's `--json` (`enableJsonFlag`) a command returns
 * its result and oclif prints it; errors, with `--json` too, go on to the entry point, which
 * prints them for a person on stderr and maps them to the documented exit codes, so stdout holds
 * only data and a failed run leaves it empty.
 */
export abstract class AnwbisCommand extends Command {
  /** `--json` results go through the one JSON writer, as the commands that print their own do. */
  protected override logJson(json: unknown): void {
    writeJson(json);
  }

  protected override async catch(error: Error & { exitCode?: number }): Promise<never> {
    const [example] = this.ctor.examples ?? [];
    throw parseErrorInOurTerms(error, this.id ?? '', typeof example === 'string' ? example : example?.command);
  }
}
