import { describe, expect, it } from '@jest/globals';
import { serverChildEnv } from './exec-server.js';

const grant = { url: 'http://127.0.0.1:4321/credentials/datalab-dev-admin', token: 't'.repeat(43), profile: 'datalab-dev-admin' };
const CONFIG = '/tmp/anwbis-exec-x/config';

describe('serverChildEnv', () => {
  it.each([
    'AWS_PROFILE',
    'AWS_DEFAULT_PROFILE',
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_SECURITY_TOKEN',
    'AWS_CREDENTIAL_EXPIRATION',
    'AWS_ROLE_ARN',
    'AWS_WEB_IDENTITY_TOKEN_FILE',
    'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
    'AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE',
  ])('drops an inherited %s, which an SDK would use before the endpoint', (name) => {
    expect(serverChildEnv({ [name]: 'inherited', PATH: '/bin' }, grant, 'eu-west-1', CONFIG)).not.toHaveProperty(name);
  });

  it('points the SDKs at the endpoint, hides the shared credentials file, puts the config copy in place of the config file, and keeps the rest', () => {
    expect(serverChildEnv({ PATH: '/bin', AWS_SHARED_CREDENTIALS_FILE: '/home/me/.aws/credentials', AWS_CONFIG_FILE: '/home/me/.aws/config', AWS_CONTAINER_CREDENTIALS_FULL_URI: 'http://169.254.170.2/x' }, grant, 'eu-west-1', CONFIG)).toEqual({
      PATH: '/bin',
      AWS_CONTAINER_CREDENTIALS_FULL_URI: grant.url,
      AWS_CONTAINER_AUTHORIZATION_TOKEN: grant.token,
      AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
      AWS_CONFIG_FILE: CONFIG,
      AWS_REGION: 'eu-west-1',
      AWS_DEFAULT_REGION: 'eu-west-1',
      ANWBIS_PROFILE: 'datalab-dev-admin',
    });
  });

  it('leaves the region alone when none was resolved', () => {
    expect(serverChildEnv({ AWS_REGION: 'us-east-1' }, grant, '', CONFIG)).toMatchObject({ AWS_REGION: 'us-east-1' });
  });
});
