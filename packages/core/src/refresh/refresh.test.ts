import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AwsPort } from '../aws/port.js';
import { AnwbisError } from '../errors/errors.js';
import type { AnwbisEvent } from '../events/events.js';
import { assume } from '../assume/assume.js';
import type { FlowDeps } from '../assume/request.js';
import { corpSession } from '../session/session.js';
import { FAKE_WORLD, fakeAws } from '../testing/fake-aws.js';
import { refreshWrittenProfile } from './refresh.js';

const NOW = new Date('2029-12-31T23:00:00Z');
const noPrompt = { interactive: false, ask: async () => '' };

describe('refreshWrittenProfile (the daemon composition)', () => {
  let dir: string;
  let events: AnwbisEvent[];
  let deps: (aws: AwsPort, now?: Date) => FlowDeps;
  let keysUsed: string[];
  let signedWith: string[];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'anwbis-refresh-'));
    writeFileSync(join(dir, 'credentials'), '# mine\n[default]\naws_access_key_id = AKIACORP\naws_secret_access_key = x\n');
    const env = { HOME: dir, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_CONFIG_FILE: join(dir, 'config'), ANWBIS_HOME: join(dir, 'home') };
    events = [];
    keysUsed = [];
    signedWith = [];
    deps = (aws, now = NOW) => ({
      env,
      clock: { now: () => now },
      events: (e) => events.push(e),
      mfa: { flag: '123456', prompter: noPrompt },
      loadSourceCredentials: async (profile) => {
        const text = readFileSync(join(dir, 'credentials'), 'utf8');
        const section = text.split(`[${profile}]`)[1] ?? '';
        const key = /aws_access_key_id = (\S+)/.exec(section)?.[1] ?? 'none';
        keysUsed.push(key);
        return { accessKeyId: key, secretAccessKey: 'x', ...(key.startsWith('ASIA') ? { sessionToken: 't' } : {}) };
      },
      instanceMetadata: async () => {
        throw new Error('not on EC2');
      },
      createAws: ({ credentials }) => {
        signedWith.push(credentials.accessKeyId);
        return aws;
      },
    });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('assumes the remembered role from the corp session: no discovery, no MFA, at most one hour, same section rewritten', async () => {
    const aws = fakeAws({}, new Date('2030-01-01T00:00:00Z'));
    await corpSession({}, deps(aws.port));
    await assume({ target: { project: 'datalab', env: 'dev', role: 'admin' }, sourceProfile: 'corp-session-default', noMfa: true, durationSeconds: 7200 }, deps(aws.port));
    aws.calls.length = 0;
    keysUsed.length = 0;
    signedWith.length = 0;
    events.length = 0;
    const result = await refreshWrittenProfile('datalab-dev-admin', deps(aws.port));
    expect(aws.calls).toEqual(['AssumeRole']);
    expect(aws.assumed.at(-1)).toEqual({ roleArn: FAKE_WORLD.roleArn, sessionName: 'alice', durationSeconds: 3600 });
    expect(signedWith).toEqual(['ASIASESSION1']);
    // The session's keys as checked against its record, not read a second time through the SDK's resolver.
    expect(keysUsed).toEqual([]);
    expect(result.session).toBe('corp-session-default');
    const text = readFileSync(join(dir, 'credentials'), 'utf8');
    expect(text.startsWith('# mine\n[default]\naws_access_key_id = AKIACORP\n')).toBe(true);
    expect(text).toContain(`[datalab-dev-admin]\naws_access_key_id = ${result.credentials.accessKeyId}\n`);
    expect(events.map((e) => e.type)).toEqual(['assumed', 'written']);
  });

  it('sends again the source identity and session tags the profile was assumed with (auto as it was resolved)', async () => {
    const aws = fakeAws({}, new Date('2030-01-01T00:00:00Z'));
    await corpSession({}, deps(aws.port));
    const tagging = { sourceIdentity: 'auto', tags: ['team=data'], transitiveTags: ['team'] };
    await assume({ target: { project: 'datalab', env: 'dev', role: 'admin' }, sourceProfile: 'corp-session-default', noMfa: true, tagging }, deps(aws.port));
    await refreshWrittenProfile('datalab-dev-admin', deps(aws.port));
    const sent = { sourceIdentity: 'alice', tags: [{ key: 'team', value: 'data' }], transitiveTagKeys: ['team'] };
    expect(aws.assumed.map((a) => ({ sourceIdentity: a.sourceIdentity, tags: a.tags, transitiveTagKeys: a.transitiveTagKeys }))).toEqual([sent, sent]);
  });

  it('without a valid corp session fails as needs-mfa and calls nothing', async () => {
    const aws = fakeAws();
    await assume({ target: { project: 'datalab', env: 'dev', role: 'admin' } }, { ...deps(aws.port) });
    aws.calls.length = 0;
    const error = await refreshWrittenProfile('datalab-dev-admin', deps(aws.port)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AnwbisError);
    expect((error as AnwbisError).message).toMatch(/no valid corp session for default/);
    expect(aws.calls).toEqual([]);
  });

  it('refuses a profile anwbis did not write', async () => {
    await expect(refreshWrittenProfile('default', deps(fakeAws().port))).rejects.toMatchObject({ kind: 'config' });
  });
});
