// Setup file of the `integration` jest project (see jest.preset.mjs): the long per-test timeout.
import { jest } from '@jest/globals';
import { INTEGRATION_TIMEOUT_MS } from './jest.preset.mjs';

jest.setTimeout(INTEGRATION_TIMEOUT_MS);
