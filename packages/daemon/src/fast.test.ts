import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { FakeBackend } from './backend-fake.js';
import { startDaemon, type RunningDaemon } from './daemon.js';
import { requestDaemonOnce } from './fast.js';

describe('requestDaemonOnce (the credential-process fast path) and credentials.provide', () => {
  let dir: string;
  let env: Record<string, string>;
  let backend: FakeBackend;
  let daemon: RunningDaemon | undefined;
  const once = (method: string, params: unknown) => requestDaemonOnce(env, method, params, { timeoutMs: 60_000, client: 'test' });
  const request = () => ({
    target: { project: 'datalab', env: 'dev', role: 'admin' },
    sourceProfile: 'default',
    region: '',
    credentialsFile: backend.files.credentials,
    home: env.ANWBIS_HOME!,
  });

  beforeEach(async () => {
    // Short: a Unix socket path is limited to about 107 bytes.
    dir = mkdtempSync('/tmp/anwf-');
    env = { HOME: dir, XDG_RUNTIME_DIR: join(dir, 'run'), ANWBIS_HOME: join(dir, 'home') };
    mkdirSync(env.XDG_RUNTIME_DIR!, { mode: 0o700 });
    backend = new FakeBackend(dir);
    daemon = await startDaemon({ env, version: '9.9.9', backend, log: { info: () => undefined, warn: () => undefined }, notifier: () => undefined });
  });

  afterEach(async () => {
    await daemon?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has the daemon make the credentials for the request as asked, and answers no secret', async () => {
    const answer = await once('credentials.provide', request());
    expect(answer).toEqual({ profile: 'datalab-dev-admin', expiresAt: expect.any(String) });
    expect(backend.provided).toEqual([{ target: { project: 'datalab', env: 'dev', role: 'admin' }, sourceProfile: 'default', region: '' }]);
  });

  it.each([
    ['another credentials file', { credentialsFile: '/elsewhere/credentials' }],
    ['another ANWBIS_HOME', { home: '/elsewhere/anwbis' }],
  ])('is refused for %s, and the backend is not asked', async (_what, other) => {
    await expect(once('credentials.provide', { ...request(), ...other })).rejects.toThrow(/another credentials file or ANWBIS_HOME/);
    expect(backend.provided).toEqual([]);
  });

  it('fails when no daemon runs, and refuses a directory others can enter', async () => {
    await daemon!.stop();
    daemon = undefined;
    await expect(once('status', undefined)).rejects.toThrow();
    chmodSync(join(env.XDG_RUNTIME_DIR!, 'anwbis'), 0o755);
    await expect(once('status', undefined)).rejects.toThrow(/others can reach the socket/);
  });
});
