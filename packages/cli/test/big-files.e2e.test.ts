import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  bigAwsFiles,
  conventionScenario,
  createSandbox,
  runAnwbis,
  runAwsCli,
  seedScenario,
  startMoto,
  surround,
  type MotoServer,
  type Sandbox,
} from '@anwbis/tools/emulator';
import { expectOk, modeOf } from './helpers.js';

const DEV = '222222222222';
const USER = 'luis.gonzalez';
const PROFILE = 'datalab-dev-admin';

let moto: MotoServer;
let sandbox: Sandbox;

beforeAll(async () => {
  moto = await startMoto();
  const seeded = await seedScenario(moto.endpoint, conventionScenario({ users: [USER], projects: { datalab: { envs: { dev: DEV }, roles: ['admin'] } } }));
  sandbox = createSandbox({ endpoint: moto.endpoint, profiles: { default: seeded.users[USER]! } });
});
afterAll(async () => {
  sandbox?.remove();
  await moto?.stop();
});

/** The text before and after `section` (its header up to the next blank line), which must not change. */
function around(text: string, header: string): { before: string; after: string } {
  const start = text.indexOf(header);
  const end = text.indexOf('\n\n', start);
  return { before: text.slice(0, start), after: text.slice(end) };
}

describe('20,000-line AWS files', () => {
  it('an assume rewrites only its own section of a 20,000-line credentials file and config, byte for byte, and a reuse changes nothing', async () => {
    const big = bigAwsFiles(20_000);
    // The profile anwbis writes already stands in the middle, with stale values, as after an earlier day's run.
    const stale = `[${PROFILE}]\naws_access_key_id = ASIASTALE\naws_secret_access_key = stale/secret=\naws_session_token = STALE\n`;
    sandbox.write('credentials', surround(`${sandbox.read('credentials')}\n${stale}`, big.credentials));
    sandbox.write('config', surround(`${sandbox.read('config')}\n[profile ${PROFILE}]\nregion = eu-west-1\n`, big.config));
    const credentialsBefore = sandbox.read('credentials');
    const configBefore = sandbox.read('config');
    expect(credentialsBefore.split('\n').length).toBeGreaterThan(20_000);

    expectOk(await runAnwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456'], { env: sandbox.env }));

    const credentialsAfter = sandbox.read('credentials');
    const was = around(credentialsBefore, `[${PROFILE}]`);
    const now = around(credentialsAfter, `[${PROFILE}]`);
    expect(now.before).toBe(was.before);
    expect(now.after).toBe(was.after);
    expect(credentialsAfter).not.toContain('STALE');
    expect(sandbox.read('config')).toBe(configBefore);
    expect(modeOf(sandbox.credentialsFile)).toBe('600');

    const reuse = await runAnwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin'], { env: sandbox.env });
    expectOk(reuse);
    expect(reuse.stderr).toContain(`Reusing profile ${PROFILE}`);
    expect(sandbox.read('credentials')).toBe(credentialsAfter);

    const id = await runAwsCli(['sts', 'get-caller-identity', '--profile', PROFILE], { env: sandbox.env, endpoint: moto.endpoint });
    expect(JSON.parse(id.stdout).Account).toBe(DEV);
  });
});
