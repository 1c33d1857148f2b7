import { describe, expect, it } from '@jest/globals';
import { resolveTarget } from '../naming/patterns.js';
import { askedRegion, requestKey, type RequestKeyParts } from './request-key.js';

const base: RequestKeyParts = {
  target: resolveTarget({ project: 'datalab', env: 'dev', role: 'admin' }),
  source: 'default',
  region: '',
  credentialsFile: '/home/u/.aws/credentials',
};

describe('requestKey', () => {
  it('is stable for one request', () => {
    expect(requestKey(base)).toBe(requestKey({ ...base }));
    expect(JSON.parse(requestKey(base))).toContain('datalab-dev-admin');
  });

  it.each<[string, Partial<RequestKeyParts>]>([
    ['another account', { account: '333333333333' }],
    ['another external id', { externalId: 'x1' }],
    ['another source', { source: 'corp' }],
    ['another region', { region: 'us-west-2' }],
    ['another credentials file', { credentialsFile: '/tmp/other' }],
    ['another delegated role', { target: resolveTarget({ project: 'datalab', env: 'dev', role: 'admin', delegatedRoleName: 'dev-datalab-delegated-devops' }) }],
    ['another group', { target: resolveTarget({ project: 'datalab', env: 'dev', role: 'admin', groupName: 'corp-datalab-master-devops' }) }],
  ])('differs for %s', (_what, change) => {
    expect(requestKey({ ...base, ...change })).not.toBe(requestKey(base));
  });

  it('takes the region from the flag, then the environment', () => {
    expect(askedRegion('eu-west-1', { AWS_REGION: 'us-east-2' })).toBe('eu-west-1');
    expect(askedRegion(undefined, { AWS_REGION: 'us-east-2', AWS_DEFAULT_REGION: 'x' })).toBe('us-east-2');
    expect(askedRegion(undefined, { AWS_DEFAULT_REGION: 'ap-south-1' })).toBe('ap-south-1');
    expect(askedRegion(undefined, {})).toBe('');
  });
});
