import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { resolveRegion } from './region.js';

describe('resolveRegion', () => {
  let dir: string;
  let env: Record<string, string>;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'anwbis-region-'));
    env = { AWS_CONFIG_FILE: join(dir, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), HOME: dir };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('takes the flag, then AWS_REGION, then AWS_DEFAULT_REGION before any file', async () => {
    writeFileSync(env.AWS_CONFIG_FILE!, '[default]\nregion = eu-west-1\n');
    expect(await resolveRegion('ap-south-1', { ...env, AWS_REGION: 'us-west-2' }, 'default')).toBe('ap-south-1');
    expect(await resolveRegion(undefined, { ...env, AWS_REGION: 'us-west-2', AWS_DEFAULT_REGION: 'eu-north-1' }, 'default')).toBe('us-west-2');
    expect(await resolveRegion(undefined, { ...env, AWS_DEFAULT_REGION: 'eu-north-1' }, 'default')).toBe('eu-north-1');
  });

  // The region the SDK's own loader reads from the same file (us-east-1 when it has none).
  it.each<[string, string, string]>([
    ['[default]', '[default]\nregion = eu-west-1\n', 'default'],
    ['[profile default]', '[profile default]\nregion = eu-central-1\n', 'default'],
    ['[profile corp]', '[default]\nregion = eu-west-1\n\n[profile corp]\nregion = us-west-2\n', 'corp'],
    ['a profile without a region', '[default]\nregion = eu-west-1\n\n[profile corp]\noutput = json\n', 'corp'],
    ['[corp] without the profile prefix, which the config file does not name so', '[corp]\nregion = sa-east-1\n', 'corp'],
    ['CRLF and comments', '; mine\r\n[profile corp]\r\nregion = ca-central-1\r\n', 'corp'],
  ])('reads %s as the SDK does', async (_what, config, profile) => {
    writeFileSync(env.AWS_CONFIG_FILE!, config);
    const sdk = await loadSharedConfigFiles({ filepath: env.AWS_SHARED_CREDENTIALS_FILE, configFilepath: env.AWS_CONFIG_FILE, ignoreCache: true });
    expect(await resolveRegion(undefined, env, profile)).toBe(sdk.configFile[profile]?.region || 'us-east-1');
  });

  it('is us-east-1 without a config file, and with one the parser refuses', async () => {
    expect(await resolveRegion(undefined, env, 'default')).toBe('us-east-1');
    writeFileSync(env.AWS_CONFIG_FILE!, '[default\nregion = eu-west-1\n');
    expect(await resolveRegion(undefined, env, 'default')).toBe('us-east-1');
  });
});
