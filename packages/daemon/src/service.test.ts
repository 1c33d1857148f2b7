import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { serviceFiles } from './service.js';

const request = (platform: NodeJS.Platform, home: string) => ({
  platform,
  node: process.execPath,
  anwbis: join(home, 'with space', 'run.js'),
  home,
  environment: { ANWBIS_HOME: join(home, '100%', '$state') },
});

describe('serviceFiles', () => {
  it('systemd: a socket unit at the daemon socket path and a service with absolute, quoted paths', () => {
    const { files, manager } = serviceFiles(request('linux', '/home/u'));
    expect(manager).toBe('systemd');
    expect(files.map((f) => f.path)).toEqual(['/home/u/.config/systemd/user/anwbis-daemon.socket', '/home/u/.config/systemd/user/anwbis-daemon.service']);
    expect(files[0]!.text).toContain('ListenStream=%t/anwbis/daemon.sock\nSocketMode=0600\nDirectoryMode=0700');
    expect(files[1]!.text).toContain(`ExecStart="${process.execPath}" "--max-semi-space-size=1" "--max-old-space-size=96" "/home/u/with space/run.js" "daemon" "run"`);
    expect(files[1]!.text).toContain('Environment="ANWBIS_HOME=/home/u/100%%/$$state"');
  });

  it('launchd: an agent with the program arguments and environment, XML-escaped', () => {
    const { files, manager } = serviceFiles({ ...request('darwin', '/Users/u'), environment: { ANWBIS_HOME: '/Users/u/a&b' } });
    expect(manager).toBe('launchd');
    expect(files[0]!.path).toBe('/Users/u/Library/LaunchAgents/dev.anwbis.daemon.plist');
    expect(files[0]!.text).toContain(`<string>${process.execPath}</string>`);
    expect(files[0]!.text).toContain('<key>ANWBIS_HOME</key><string>/Users/u/a&amp;b</string>');
  });

  const analyze = spawnSync('systemd-analyze', ['--version']).status === 0;
  (analyze ? it : it.skip)('systemd-analyze verify accepts the units', () => {
    const home = mkdtempSync(join(tmpdir(), 'anwbis-unit-'));
    try {
      const req = request('linux', home);
      mkdirSync(dirname(req.anwbis), { recursive: true });
      writeFileSync(req.anwbis, '');
      const { files } = serviceFiles(req);
      for (const f of files) {
        mkdirSync(dirname(f.path), { recursive: true });
        writeFileSync(f.path, f.text);
      }
      const res = spawnSync('systemd-analyze', ['verify', '--user', ...files.map((f) => f.path)], { encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: join(home, '.config') } });
      expect(res.stderr.split('\n').filter((l) => /anwbis-daemon/.test(l))).toEqual([]);
      expect(existsSync(files[1]!.path)).toBe(true);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
