import { describe, expect, it } from '@jest/globals';
import { forwardedEnv } from './forward.js';

describe('forwardedEnv', () => {
  it('carries what core reads, and never the keys an environment holds', () => {
    expect(
      forwardedEnv({
        HOME: '/home/me',
        ANWBIS_HOME: '/home/me/.anwbis',
        AWS_CONFIG_FILE: '/home/me/.aws/config',
        AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:5000',
        AWS_ACCESS_KEY_ID: 'AKIAINHERITED',
        AWS_SECRET_ACCESS_KEY: 'secret',
        AWS_SESSION_TOKEN: 'token',
        PATH: '/bin',
      }),
    ).toEqual({ HOME: '/home/me', ANWBIS_HOME: '/home/me/.anwbis', AWS_CONFIG_FILE: '/home/me/.aws/config', AWS_ENDPOINT_URL_STS: 'http://127.0.0.1:5000' });
  });

  // In a shell served by `env --server`, AWS_SHARED_CREDENTIALS_FILE is /dev/null and the person's
  // own files are named by ANWBIS_AWS_*: a daemon sent only the former wrote the session over /dev/null.
  it('carries a served shell\'s own file variables, which core reads before AWS_SHARED_CREDENTIALS_FILE', () => {
    expect(
      forwardedEnv({
        AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
        ANWBIS_AWS_SHARED_CREDENTIALS_FILE: '/home/me/.aws/credentials',
        ANWBIS_AWS_CONFIG_FILE: '/home/me/.aws/config',
      }),
    ).toEqual({ AWS_SHARED_CREDENTIALS_FILE: '/dev/null', ANWBIS_AWS_SHARED_CREDENTIALS_FILE: '/home/me/.aws/credentials', ANWBIS_AWS_CONFIG_FILE: '/home/me/.aws/config' });
  });
});
