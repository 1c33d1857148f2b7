import { AnwbisError } from '../errors/errors.js';

/** The AnwbisError a function throws; anything else thrown, or nothing, fails the test. */
export function thrownAnwbisError(run: () => unknown): AnwbisError {
  try {
    run();
  } catch (error) {
    if (error instanceof AnwbisError) return error;
    throw error;
  }
  throw new Error('expected an AnwbisError');
}

/** The AnwbisError a promise rejects with; anything else, or fulfilment, fails the test. */
export async function rejectedAnwbisError(promise: Promise<unknown>): Promise<AnwbisError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AnwbisError) return error;
    throw error;
  }
  throw new Error('expected an AnwbisError');
}
