import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { completionRoles } from './candidates.js';

describe('completionRoles', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'anwbis-complete-'));
  });
  afterEach(async () => {
    await rm(home, { recursive: true, force: true });
  });
  const put = async (dir: string, name: string, value: unknown) => {
    await mkdir(join(home, dir), { recursive: true });
    await writeFile(join(home, dir, name), typeof value === 'string' ? value : JSON.stringify(value));
  };

  it('is empty when anwbis has written nothing', async () => {
    expect(await completionRoles({ ANWBIS_HOME: join(home, 'absent') })).toEqual([]);
  });

  it('offers the cached role lists and the written profiles, each role once', async () => {
    await put('roles', 'a.json', {
      version: 1,
      roles: [
        { project: 'datalab', env: 'dev', role: 'admin', account: '2', roleArn: 'arn' },
        { project: null, env: null, role: 'odd', account: '2', roleArn: 'arn' },
        { project: 'dataops', env: 'pro', role: 'audit', account: '3', roleArn: 'arn' },
        // A role name from a policy that parses but for its role part is listed raw: never offered to the shell.
        { project: 'evil', env: 'dev', role: 'dev-evil-delegated-x\x1b]2;pwned\x07', account: '6', roleArn: 'arn' },
      ],
    });
    await put('roles', 'future.json', { version: 2, roles: [{ project: 'x', env: 'y', role: 'z' }] });
    await put('roles', 'torn.json', '{"version": 1, "ro');
    await put('roles', 'null.json', 'null');
    await put('profiles', 'datalab-dev-admin.json', { version: 1, kind: 'assume', profile: 'datalab-dev-admin' });
    await put('profiles', 'web-pre-developer.json', { version: 1, kind: 'assume', profile: 'web-pre-developer' });
    await put('profiles', 'corp-session-default.json', { version: 1, kind: 'session', profile: 'corp-session-default' });
    await put('profiles', 'my-own-profile-name.json', { version: 1, kind: 'assume', profile: 'my-own-profile-name' });

    expect(await completionRoles({ ANWBIS_HOME: home })).toEqual([
      { project: 'datalab', env: 'dev', role: 'admin' },
      { project: 'dataops', env: 'pro', role: 'audit' },
      { project: 'web', env: 'pre', role: 'developer' },
    ]);
  });
});
