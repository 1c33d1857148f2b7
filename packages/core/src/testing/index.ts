/** Test doubles for anwbis's ports, for the packages' own tests; not part of the runtime API. */
export * from './caught.js';
export * from './fake-aws.js';
export * from './wait-for.js';
