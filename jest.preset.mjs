import { fileURLToPath } from 'node:url';

/** A unit test has no process, server or browser to wait for: a stuck one should fail soon. */
export const UNIT_TIMEOUT_MS = 10_000;

/**
 * End-to-end and integration tests start moto, the built CLI, the AWS CLI and browsers; on a
 * loaded 2-core machine (CI, or suites side by side) one such test can take minutes without
 * anything being wrong: sixteen parallel runs took over 60 s each at a load of 40. Only a hang
 * should reach this.
 */
export const INTEGRATION_TIMEOUT_MS = 300_000;

const transform = {
  '^.+\\.(t|j)sx?$': [
    '@swc/jest',
    {
      jsc: {
        parser: { syntax: 'typescript', tsx: true },
        transform: { react: { runtime: 'automatic' } },
        target: 'es2023',
      },
      module: { type: 'es6' },
    },
  ],
};

/**
 * Shared jest settings for a package. Tests run as native ES modules (node
 * --experimental-vm-modules); @swc/jest strips types only, so type errors are caught by the
 * typecheck target, not here.
 *
 * Two jest projects, so one `npm test` runs both: `unit` (`src/**`, short timeout) and
 * `integration` (`test/**`, long timeout). Jest reads `testTimeout` from the global config
 * only, so the integration project sets its own through a setup file.
 *
 * @param rootDir the package directory (the folder of its jest.config.mjs)
 */
export function jestConfig(rootDir) {
  const shared = {
    rootDir,
    testEnvironment: 'node',
    extensionsToTreatAsEsm: ['.ts', '.tsx'],
    moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
    transform,
    transformIgnorePatterns: ['/node_modules/'],
    restoreMocks: true,
  };
  return {
    rootDir,
    testTimeout: UNIT_TIMEOUT_MS,
    projects: [
      { ...shared, displayName: 'unit', testMatch: ['<rootDir>/src/**/*.test.ts', '<rootDir>/src/**/*.test.tsx'] },
      {
        ...shared,
        displayName: 'integration',
        testMatch: ['<rootDir>/test/**/*.test.ts', '<rootDir>/test/**/*.test.tsx'],
        setupFilesAfterEnv: [fileURLToPath(new URL('./jest.integration-timeout.mjs', import.meta.url))],
      },
    ],
  };
}
