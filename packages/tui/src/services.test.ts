import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentEvents, systemClock, type AssumeRequest, type AssumeResult, type DelegatedRole, type FlowDeps, type SessionRequest } from '@anwbis/core';
import { fakeAws, FAKE_WORLD } from '@anwbis/core/testing';
import { createPickerServices, type DaemonPort } from './services.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'anwbis-picker-'));
  writeFileSync(join(dir, 'credentials'), '[default]\naws_access_key_id = AKIACORP\naws_secret_access_key = corp/secret\n', { mode: 0o600 });
  writeFileSync(join(dir, 'config'), '[default]\nregion = eu-west-1\n', { mode: 0o600 });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const role: DelegatedRole = { project: 'datalab', env: 'dev', role: 'admin', account: '222222222222', roleArn: FAKE_WORLD.roleArn, profile: 'datalab-dev-admin', group: 'corp-datalab-master-admin', policy: 'Delegated_Roles' };

function picker(daemon: Partial<DaemonPort>) {
  const aws = fakeAws();
  const deps: FlowDeps = {
    env: { HOME: dir, ANWBIS_HOME: join(dir, 'home'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_CONFIG_FILE: join(dir, 'config') },
    clock: systemClock,
    events: silentEvents,
    mfa: { flag: '123456', prompter: { interactive: false, ask: () => Promise.reject(new Error('no prompt')) } },
    loadSourceCredentials: async () => ({ accessKeyId: 'AKIACORP', secretAccessKey: 'corp/secret' }),
    instanceMetadata: () => Promise.reject(new Error('no instance')),
    createAws: () => aws.port,
  };
  const port: DaemonPort = { watched: async () => undefined, watch: async () => undefined, unwatch: async () => false, onChange: () => () => undefined, close: () => undefined, ...daemon };
  const services = createPickerServices(deps, { console: { isolate: false }, launcher: { open: () => Promise.reject(new Error('no browser')) } as never, copy: async (t) => t, daemon: port });
  return { services, aws };
}

describe("the picker's assume and corp session", () => {
  it('go to the daemon when one takes them: nothing is asked of AWS by the picker', async () => {
    const sent: Array<AssumeRequest | SessionRequest> = [];
    const result = { profile: 'datalab-dev-admin', reused: false } as AssumeResult;
    const { services, aws } = picker({
      startSession: async (request, mfa) => (sent.push(request), expect(mfa.flag).toBe('123456'), { profile: 'corp-session-default' } as never),
      assume: async (request) => (sent.push(request), result),
    });
    expect(await services.assume(role)).toBe(result);
    expect(sent).toEqual([{}, expect.objectContaining({ sourceProfile: 'corp-session-default', noMfa: true, account: '222222222222' })]);
    expect(aws.calls).toEqual([]);
  });

  it('are done by the picker itself when no daemon takes them', async () => {
    const { services, aws } = picker({ startSession: async () => undefined, assume: async () => undefined });
    const result = await services.assume(role);
    expect(result).toMatchObject({ profile: 'datalab-dev-admin', reused: false });
    expect(aws.calls).toContain('GetSessionToken');
    expect(aws.calls).toContain('AssumeRole');
  });
});
