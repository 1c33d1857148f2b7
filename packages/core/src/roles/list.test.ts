import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AwsCredentials, AwsPort } from '../aws/port.js';
import { StateStore } from '../cache/state-store.js';
import { rejectedAnwbisError } from '../testing/caught.js';
import { cachedDelegatedRoles, listDelegatedRoles, type RoleListDeps } from './list.js';
import { roleStatuses } from './status.js';

const policy = (...arns: string[]) => encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: arns }] }));
const ARN = 'arn:aws:iam::222222222222:role/dev-datalab-delegated-admin';

describe('listDelegatedRoles', () => {
  let dir: string;
  let now: Date;
  let calls: string[];
  let usedKeys: string[];
  let groups: string[];
  let deps: RoleListDeps;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'anwbis-unit-'));
    now = new Date('2030-01-01T10:00:00Z');
    calls = [];
    usedKeys = [];
    groups = ['corp-datalab-master-admin'];
    writeFileSync(join(dir, 'credentials'), '[default]\naws_access_key_id = AKIACORP\naws_secret_access_key = x\n');
    const port: AwsPort = {
      getCallerIdentity: async () => (calls.push('GetCallerIdentity'), { account: '111111111111', arn: 'arn:aws:iam::111111111111:user/alice', userId: 'AIDA' }),
      listGroupsForUser: async (user) => (calls.push(`ListGroupsForUser ${user}`), groups),
      listGroupPolicies: async () => [],
      getGroupPolicy: async () => (calls.push('GetGroupPolicy'), policy(ARN)),
      getRolePolicy: async () => '',
      listMfaDevices: async () => [],
      assumeRole: async () => {
        throw new Error('unused');
      },
      getSessionToken: async () => {
        throw new Error('unused');
      },
    };
    deps = {
      env: { HOME: dir, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_CONFIG_FILE: join(dir, 'config'), ANWBIS_HOME: join(dir, 'home') },
      clock: { now: () => now },
      loadSourceCredentials: async (): Promise<AwsCredentials> => ({ accessKeyId: 'AKIACORP', secretAccessKey: 'x' }),
      createAws: ({ credentials }) => (usedKeys.push(credentials.accessKeyId), port),
    };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('answers from the cache for an hour without AWS calls, then asks again; --refresh asks at once', async () => {
    const first = await listDelegatedRoles({}, deps);
    expect(first).toMatchObject({ fromCache: false, userName: 'alice', roles: [{ roleArn: ARN, profile: 'datalab-dev-admin' }] });
    expect(calls).toEqual(['GetCallerIdentity', 'ListGroupsForUser alice', 'GetGroupPolicy']);
    calls = [];
    now = new Date('2030-01-01T10:59:00Z');
    expect(await listDelegatedRoles({}, deps)).toMatchObject({ fromCache: true, roles: first.roles, fetchedAt: first.fetchedAt });
    expect(calls).toEqual([]);
    expect((await listDelegatedRoles({ refresh: true }, deps)).fromCache).toBe(false);
    now = new Date('2030-01-01T12:00:00Z');
    expect((await listDelegatedRoles({}, deps)).fromCache).toBe(false);
  });

  it('cachedDelegatedRoles answers only from a list younger than an hour, never with AWS', async () => {
    expect(await cachedDelegatedRoles({}, deps)).toBeUndefined();
    const first = await listDelegatedRoles({}, deps);
    calls = [];
    now = new Date('2030-01-01T10:59:00Z');
    expect(await cachedDelegatedRoles({}, deps)).toEqual({ ...first, fromCache: true });
    now = new Date('2030-01-01T11:00:00Z');
    expect(await cachedDelegatedRoles({}, deps)).toBeUndefined();
    expect(await cachedDelegatedRoles({ sourceProfile: 'corp' }, deps)).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('cache file that is not what anwbis writes is a miss, not a crash', async () => {
    await listDelegatedRoles({}, deps);
    const rolesDir = join(dir, 'home', 'roles');
    const [file] = readdirSync(rolesDir);
    writeFileSync(join(rolesDir, file!), JSON.stringify({ version: 1, roles: [{ project: 3 }] }));
    calls = [];
    expect((await listDelegatedRoles({}, deps)).fromCache).toBe(false);
    expect(calls).toContain('GetCallerIdentity');
  });

  it('reads with a still-valid corp session, else with the corp keys', async () => {
    await new StateStore(join(dir, 'home')).writeProfile({
      version: 1,
      profile: 'corp-session-default',
      kind: 'session',
      accessKeyId: 'ASIASESSION',
      expiration: '2030-01-01T18:00:00Z',
      region: 'eu-west-1',
      sourceProfile: 'default',
    });
    writeFileSync(join(dir, 'credentials'), '[default]\naws_access_key_id = AKIACORP\naws_secret_access_key = x\n[corp-session-default]\naws_access_key_id = ASIASESSION\naws_secret_access_key = y\naws_session_token = t\n');
    await listDelegatedRoles({ refresh: true }, deps);
    now = new Date('2030-01-01T19:00:00Z');
    await listDelegatedRoles({ refresh: true }, deps);
    expect(usedKeys).toEqual(['ASIASESSION', 'AKIACORP']);
  });

  it('explains the convention when the user is in no group', async () => {
    groups = [];
    const error = await rejectedAnwbisError(listDelegatedRoles({}, deps));
    expect(error.kind).toBe('denied');
    expect(error.message).toBe('your corp user alice is in no IAM group, so no delegated role is granted to it');
    expect(error.next).toContain('corp-{project}-master-{role}');
  });

  it('gives the status of each written profile', async () => {
    const { roles } = await listDelegatedRoles({}, deps);
    const home = join(dir, 'home');
    const credentialsFile = join(dir, 'credentials');
    expect((await roleStatuses(roles, home, credentialsFile, now)).get(ARN)).toEqual({ state: 'not-assumed', expiresAt: null });
    await new StateStore(home).writeProfile({
      version: 1,
      profile: 'datalab-dev-admin',
      kind: 'assume',
      accessKeyId: 'ASIAROLE',
      expiration: '2030-01-01T10:30:00Z',
      region: 'eu-west-1',
      sourceProfile: 'default',
    });
    expect((await roleStatuses(roles, home, credentialsFile, now)).get(ARN)?.state).toBe('not-assumed');
    writeFileSync(credentialsFile, '[datalab-dev-admin]\naws_access_key_id = ASIAROLE\naws_secret_access_key = y\naws_session_token = t\n');
    expect((await roleStatuses(roles, home, credentialsFile, now)).get(ARN)).toEqual({ state: 'valid', expiresAt: new Date('2030-01-01T10:30:00Z') });
    expect((await roleStatuses(roles, home, credentialsFile, new Date('2030-01-01T11:00:00Z'))).get(ARN)?.state).toBe('expired');
  });

  it('a profile configured for credential-process is not shown "not assumed" while the cache holds valid credentials for its role', async () => {
    const { roles } = await listDelegatedRoles({}, deps);
    const home = join(dir, 'home-cached');
    const cached = { version: 1 as const, profile: 'datalab-dev-admin', requestKey: 'k', region: 'eu-west-1', accessKeyId: 'ASIAC', secretAccessKey: 's', sessionToken: 't', expiration: '2030-01-01T10:45:00Z' };
    await new StateStore(home).writeCredentials({ ...cached, roleArn: 'arn:aws:iam::999999999999:role/another' });
    expect((await roleStatuses(roles, home, join(dir, 'credentials'), now)).get(ARN)?.state).toBe('not-assumed');
    await new StateStore(home).writeCredentials({ ...cached, roleArn: ARN });
    expect((await roleStatuses(roles, home, join(dir, 'credentials'), now)).get(ARN)).toEqual({ state: 'valid', expiresAt: new Date('2030-01-01T10:45:00Z') });
  });
});
