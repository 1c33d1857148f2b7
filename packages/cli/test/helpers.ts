import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from '@jest/globals';
import { createSandbox, seedScenario, startMoto, type MotoServer, type Sandbox, type Scenario, type SeededScenario } from '@anwbis/tools/emulator';

/** Every file under a sandbox with its bytes and mode, to prove a failed run changed nothing. */
export function snapshot(sandbox: Sandbox): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else out[path.slice(sandbox.dir.length)] = `${(statSync(path).mode & 0o777).toString(8)} ${readFileSync(path).toString('base64')}`;
    }
  };
  walk(sandbox.dir);
  return out;
}

/** File mode bits of a path, as an octal string. */
export function modeOf(path: string): string {
  return (statSync(path).mode & 0o777).toString(8);
}

/**
 * The usual world of an end-to-end test file: one emulator for the file, and before each test
 * a fresh scenario and a sandbox whose `default` profile holds the first user's keys.
 */
export function emulatorWorld(scenario: () => Scenario): { readonly moto: MotoServer; readonly seeded: SeededScenario; readonly sandbox: Sandbox } {
  const world = {} as { moto: MotoServer; seeded: SeededScenario; sandbox: Sandbox };
  beforeAll(async () => {
    world.moto = await startMoto();
  });
  afterAll(async () => {
    await world.moto?.stop();
  });
  beforeEach(async () => {
    await world.moto.reset();
    const s = scenario();
    world.seeded = await seedScenario(world.moto.endpoint, s);
    world.sandbox = createSandbox({ endpoint: world.moto.endpoint, profiles: { default: world.seeded.users[s.users[0]!.name]! } });
  });
  afterEach(() => world.sandbox?.remove());
  return world;
}
