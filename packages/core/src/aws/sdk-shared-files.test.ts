import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { loadProfileCredentials } from '../source/profile-credentials.js';
import { narrowSharedFilesForSdk, readNarrowedSharedFiles, widenSharedFilesForSdk } from './sdk-shared-files.js';

const OTHERS = Array.from({ length: 50 }, (_, i) => `# team ${i}\n[profile other-${i}]\nregion = eu-west-${i % 3}\nservices = other-${i}\n\n[services other-${i}]\nsts =\n  endpoint_url = https://sts.other-${i}\n`).join('\n');
const OTHER_KEYS = Array.from({ length: 50 }, (_, i) => `[other-${i}]\naws_access_key_id = AKIAOTHER${i}\naws_secret_access_key = s${i}\n`).join('\n');

describe('the SDK given only the sections its clients can consult', () => {
  const saved = { ...process.env };
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'anwbis-sdk-files-'));
    process.env.AWS_CONFIG_FILE = join(dir, 'config');
    process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
  });
  afterEach(() => {
    widenSharedFilesForSdk();
    process.env = { ...saved };
    rmSync(dir, { recursive: true, force: true });
  });

  it.each<[string, string | undefined, string, string]>([
    ['the default profile, in both spellings, with its services', undefined, '[default]\nregion = eu-west-1\nservices = mine\n\n[profile default]\noutput = json\n\n[services mine]\ns3 =\n  endpoint_url = https://s3.mine\n', '[default]\naws_access_key_id = AKIADEF\naws_secret_access_key = d\n'],
    ['a named profile with its sso-session, amid others', 'corp', '[sso-session corp-sso]\nsso_region = us-east-1\nsso_start_url = https://corp/start\n\n[profile corp]\nsso_session = corp-sso\nregion = us-west-2 # a comment the SDK drops\nretry_mode = adaptive\n', '[corp]\naws_access_key_id = AKIACORP\naws_secret_access_key = c'],
    ['a quoted profile name, last in the file without a line ending', 'corp', '[default]\nregion = eu-west-1\n\n[profile "corp"]\nuse_fips_endpoint = true', ''],
  ])('reads %s as it reads the whole files, and nothing of the other profiles', async (_what, profile, config, credentials) => {
    if (profile) process.env.AWS_PROFILE = profile;
    else delete process.env.AWS_PROFILE;
    const name = profile ?? 'default';
    writeFileSync(process.env.AWS_CONFIG_FILE!, `${OTHERS}\n${config}\n\n${OTHERS.replaceAll('other-', 'later-')}`);
    writeFileSync(process.env.AWS_SHARED_CREDENTIALS_FILE!, `${OTHER_KEYS}\n${credentials}\n\n${OTHER_KEYS.replaceAll('other-', 'later-')}`);
    const whole = await loadSharedConfigFiles({ ignoreCache: true });

    narrowSharedFilesForSdk(await readNarrowedSharedFiles());
    const narrowed = await loadSharedConfigFiles({ ignoreCache: true });
    expect(narrowed.configFile[name]).toEqual(whole.configFile[name]);
    expect(narrowed.credentialsFile[name]).toEqual(whole.credentialsFile[name]);
    for (const key of Object.keys(narrowed.configFile)) expect(whole.configFile[key]).toEqual(narrowed.configFile[key]);
    // The sections the profile names come along.
    for (const key of ['services.mine', 'sso-session.corp-sso']) expect(narrowed.configFile[key]).toEqual(whole.configFile[key]);
    expect(Object.keys(narrowed.configFile).filter((key) => key.includes('other-') || key.includes('later-'))).toEqual([]);
    expect(Object.keys(narrowed.credentialsFile).filter((key) => key !== name)).toEqual([]);

    widenSharedFilesForSdk();
    expect(await loadSharedConfigFiles({ ignoreCache: true })).toEqual(whole);
  });

  it('leaves a file its parser refuses to the SDK whole', async () => {
    delete process.env.AWS_PROFILE;
    writeFileSync(process.env.AWS_CONFIG_FILE!, `${OTHERS}\n[default]\nregion = eu-west-1\n[default]\nregion = eu-west-2\n`);
    writeFileSync(process.env.AWS_SHARED_CREDENTIALS_FILE!, OTHER_KEYS);
    const whole = await loadSharedConfigFiles({ ignoreCache: true });
    narrowSharedFilesForSdk(await readNarrowedSharedFiles());
    const after = await loadSharedConfigFiles({ ignoreCache: true });
    expect(after.configFile).toEqual(whole.configFile);
  });

  it('gives the whole files back for the corp profile\'s own resolver (a credential_process profile other than AWS_PROFILE)', async () => {
    delete process.env.AWS_PROFILE;
    process.env.ANWBIS_HOME = join(dir, 'home');
    const answer = JSON.stringify({ Version: 1, AccessKeyId: 'AKIAPROC', SecretAccessKey: 'from-process' });
    writeFileSync(join(dir, 'answer.json'), answer);
    writeFileSync(process.env.AWS_CONFIG_FILE!, `[default]\nregion = eu-west-1\n\n[profile corp-proc]\ncredential_process = cat ${join(dir, 'answer.json')}\n`);
    writeFileSync(process.env.AWS_SHARED_CREDENTIALS_FILE!, '');
    narrowSharedFilesForSdk(await readNarrowedSharedFiles());
    const credentials = await loadProfileCredentials('corp-proc', 'the config file', process.env);
    expect(credentials.accessKeyId).toBe('AKIAPROC');
  });
});
