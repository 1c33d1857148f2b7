import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { frecencyScore, RoleHistory } from './history.js';

const NOW = new Date('2030-01-10T12:00:00Z');
const ago = (hours: number) => new Date(NOW.getTime() - hours * 3_600_000).toISOString();

describe('frecencyScore', () => {
  it.each([
    [{ count: 1, lastUsed: ago(1) }, 100],
    [{ count: 3, lastUsed: ago(10) }, 210],
    [{ count: 2, lastUsed: ago(48) }, 100],
    [{ count: 5, lastUsed: ago(24 * 10) }, 150],
    [{ count: 20, lastUsed: ago(24 * 365) }, 200],
  ])('%j scores %i', (use, score) => {
    expect(frecencyScore(use, NOW)).toBe(score);
  });
});

describe('RoleHistory', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'anwbis-unit-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('counts uses and reads them back', async () => {
    const history = new RoleHistory(dir);
    await history.record('arn:a', NOW);
    await history.record('arn:a', NOW);
    await history.record('arn:b', NOW);
    expect(await new RoleHistory(dir).read()).toEqual(
      new Map([
        ['arn:a', { count: 2, lastUsed: NOW.toISOString() }],
        ['arn:b', { count: 1, lastUsed: NOW.toISOString() }],
      ]),
    );
  });

  it('an invalid file is no history, and the next use replaces it', async () => {
    mkdirSync(join(dir, 'roles'));
    writeFileSync(join(dir, 'roles', 'used.json'), '{"version":1,"uses":{"arn:a":{"count":"x"}}}');
    expect((await new RoleHistory(dir).read()).size).toBe(0);
    expect((await new RoleHistory(dir).record('arn:a', NOW)).get('arn:a')?.count).toBe(1);
  });
});
