import { describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WatchStore } from './watch-store.js';
import type { WatchSpec } from './watch-spec.js';

const spec: WatchSpec = { profile: 'datalab-dev-admin', sourceProfile: 'default', target: { project: 'datalab', env: 'dev', role: 'admin' }, durationSeconds: 3600 };

describe('WatchStore', () => {
  it('saves and loads the list, 0600 in a 0700 directory', async () => {
    const home = mkdtempSync(join(tmpdir(), 'anwbis-watch-'));
    const store = new WatchStore(home);
    expect(await store.load()).toEqual({ watches: [] });
    await store.save([spec]);
    expect(await store.load()).toEqual({ watches: [spec] });
    expect(statSync(store.path).mode & 0o777).toBe(0o600);
    expect(statSync(join(home, 'daemon')).mode & 0o777).toBe(0o700);
  });

  it('does not make again an ANWBIS_HOME that was deleted (a removed sandbox came back with only the watch list in it)', async () => {
    const home = join(mkdtempSync(join(tmpdir(), 'anwbis-watch-')), 'home');
    const store = new WatchStore(home);
    expect(await store.save([spec])).toBe(false);
    expect(existsSync(home)).toBe(false);
    mkdirSync(home);
    expect(await store.save([spec])).toBe(true);
    expect(await store.load()).toEqual({ watches: [spec] });
  });

  it.each([
    ['not json', /not JSON/],
    [JSON.stringify({ version: 1, watches: [{ ...spec, durationSeconds: 7200 }] }), /durationSeconds/],
    [JSON.stringify({ version: 1, watches: [{ ...spec, profile: 'a]b' }] }), /profile/],
    [JSON.stringify({ version: 2, watches: [] }), /version/],
  ])('sets an invalid file aside and starts empty: %s', async (text, why) => {
    const home = mkdtempSync(join(tmpdir(), 'anwbis-watch-'));
    const store = new WatchStore(home);
    mkdirSync(join(home, 'daemon'));
    writeFileSync(store.path, text);
    const loaded = await store.load();
    expect(loaded.watches).toEqual([]);
    expect(loaded.problem).toMatch(why);
    expect(existsSync(store.path)).toBe(false);
    expect(readFileSync(`${store.path}.invalid`, 'utf8')).toBe(text);
  });
});
