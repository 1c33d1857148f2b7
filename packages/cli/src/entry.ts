import { normalizeArgv } from './flags/argv.js';
import { renderError } from './output/error.js';

/**
 * The one place that turns a command's outcome into an exit status. Commands throw; nothing
 * else calls process.exit.
 */
export async function main(argv: readonly string[]): Promise<number> {
  const { run, flush } = await import('@oclif/core');
  try {
    await run(normalizeArgv(argv), import.meta.url);
    await flush();
    return 0;
  } catch (error) {
    return renderError(error);
  }
}

