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
    ['a source identity', { tagging: { sourceIdentity: 'auto', tags: [], transitiveTagKeys: [] } }],
    ['a session tag', { tagging: { tags: [{ key: 'team', value: 'data' }], transitiveTagKeys: [] } }],
  ])('differs for %s', (_what, change) => {
    expect(requestKey({ ...base, ...change })).not.toBe(requestKey(base));
  });

  it.each<[string, RequestKeyParts['tagging'], RequestKeyParts['tagging']]>([
    ['another source identity', { sourceIdentity: 'ana', tags: [], transitiveTagKeys: [] }, { sourceIdentity: 'auto', tags: [], transitiveTagKeys: [] }],
    ['another tag value', { tags: [{ key: 'team', value: 'data' }], transitiveTagKeys: [] }, { tags: [{ key: 'team', value: 'web' }], transitiveTagKeys: [] }],
    ['a tag made transitive', { tags: [{ key: 'team', value: 'data' }], transitiveTagKeys: [] }, { tags: [{ key: 'team', value: 'data' }], transitiveTagKeys: ['team'] }],
    // A value that holds the separator of a naive "k=v" join.
    ['the same text split elsewhere', { tags: [{ key: 'a', value: 'b=c' }], transitiveTagKeys: [] }, { tags: [{ key: 'a=b', value: 'c' }], transitiveTagKeys: [] }],
  ])('a profile assumed with %s is another request', (_what, one, other) => {
    expect(requestKey({ ...base, tagging: one })).not.toBe(requestKey({ ...base, tagging: other }));
  });

  it('is the key it was without source identity and tags when none are asked for', () => {
    expect(requestKey({ ...base, tagging: { tags: [], transitiveTagKeys: [] } })).toBe(requestKey(base));
  });

  it('takes the region from the flag, then the environment', () => {
    expect(askedRegion('eu-west-1', { AWS_REGION: 'us-east-2' })).toBe('eu-west-1');
    expect(askedRegion(undefined, { AWS_REGION: 'us-east-2', AWS_DEFAULT_REGION: 'x' })).toBe('us-east-2');
    expect(askedRegion(undefined, { AWS_DEFAULT_REGION: 'ap-south-1' })).toBe('ap-south-1');
    expect(askedRegion(undefined, {})).toBe('');
  });
});
