import { renderError } from '../output/error.js';

/** Runs a command's work as the entry point would: its exit status, its error on stderr. */
export async function exitStatusOf(work: () => Promise<void>): Promise<number> {
  try {
    await work();
    return 0;
  } catch (error) {
    return renderError(error);
  }
}
