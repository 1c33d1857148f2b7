import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AwsPort } from '../aws/port.js';
import { assume } from '../assume/assume.js';
import type { FlowDeps } from '../assume/request.js';
import { corpSession } from '../session/session.js';
import { rejectedAnwbisError } from '../testing/caught.js';
import { fakeAws } from '../testing/fake-aws.js';

const SESSION_END = new Date('2030-01-01T00:00:00Z');
const TWO_MINUTES_BEFORE = new Date('2029-12-31T23:58:00Z');

describe('a corp session too close to its end is not valid anywhere', () => {
  let dir: string;
  let deps: (aws: AwsPort, now: Date) => FlowDeps;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'anwbis-source-'));
    writeFileSync(join(dir, 'credentials'), '[default]\naws_access_key_id = AKIACORP\naws_secret_access_key = x\n');
    const env = { HOME: dir, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_CONFIG_FILE: join(dir, 'config'), ANWBIS_HOME: join(dir, 'home') };
    deps = (aws, now) => ({
      env,
      clock: { now: () => now },
      events: () => undefined,
      mfa: { flag: '123456', prompter: { interactive: false, ask: async () => '' } },
      loadSourceCredentials: async (profile) => {
        const section = readFileSync(join(dir, 'credentials'), 'utf8').split(`[${profile}]`)[1] ?? '';
        const key = /aws_access_key_id = (\S+)/.exec(section)?.[1] ?? 'none';
        return { accessKeyId: key, secretAccessKey: 'x', ...(key.startsWith('ASIA') ? { sessionToken: 't' } : {}) };
      },
      instanceMetadata: async () => {
        throw new Error('not on EC2');
      },
      createAws: () => aws,
    });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  // The source check allowed a session to its last second while `anwbis session` and the daemon
  // already took it for over at 5 minutes, so `--profile corp-session-… --nomfa` went on with a
  // session that every other command had given up.
  it('as a source with 2 minutes left it is refused with what to run, before any AWS call (the source check used no margin)', async () => {
    const aws = fakeAws({}, SESSION_END);
    await corpSession({}, deps(aws.port, new Date('2029-12-31T16:00:00Z')));
    aws.calls.length = 0;
    const error = await rejectedAnwbisError(
      assume({ target: { project: 'datalab', env: 'dev', role: 'admin' }, sourceProfile: 'corp-session-default', noMfa: true }, deps(aws.port, TWO_MINUTES_BEFORE)),
    );
    expect(error.kind).toBe('config');
    expect(error.message).toBe('the corp session corp-session-default ends at 2030-01-01T00:00:00.000Z (2m left), too close to its end to use');
    expect(error.next).toContain('`anwbis session`');
    expect(aws.calls).toEqual([]);
  });

  it('anwbis session does not reuse it either, and makes a new one', async () => {
    const aws = fakeAws({}, SESSION_END);
    await corpSession({}, deps(aws.port, new Date('2029-12-31T16:00:00Z')));
    const again = await corpSession({}, deps(aws.port, TWO_MINUTES_BEFORE));
    expect(again.reused).toBe(false);
    expect(aws.sessions).toHaveLength(2);
  });

  it('an expired one says when it expired', async () => {
    const aws = fakeAws({}, SESSION_END);
    await corpSession({}, deps(aws.port, new Date('2029-12-31T16:00:00Z')));
    const error = await rejectedAnwbisError(
      assume({ target: { project: 'datalab', env: 'dev', role: 'admin' }, sourceProfile: 'corp-session-default', noMfa: true }, deps(aws.port, new Date('2030-01-01T00:00:01Z'))),
    );
    expect(error.message).toBe('the corp session corp-session-default expired at 2030-01-01T00:00:00.000Z (expired)');
  });
});
