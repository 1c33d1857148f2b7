import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { daemonLaunch, serviceFiles, type AnwbisProgram } from './service.js';

const script = (home: string): AnwbisProgram => ({ kind: 'script', node: process.execPath, script: join(home, 'with space', 'run.js') });
const executable = (home: string): AnwbisProgram => ({ kind: 'executable', path: join(home, 'with space', 'anwbis-linux-x64') });

const request = (platform: NodeJS.Platform, home: string, program = script(home)) => ({
  platform,
  program,
  home,
  environment: { ANWBIS_HOME: join(home, '100%', '$state') },
});

describe('daemonLaunch', () => {
  it.each([
    ['Node and the bin script: the V8 settings as arguments', script('/h'), undefined, [process.execPath, '--max-semi-space-size=1', '--max-old-space-size=96', '/h/with space/run.js', 'daemon', 'run'], {}],
    ['the single executable: its own argv, the V8 settings in NODE_OPTIONS', executable('/h'), undefined, ['/h/with space/anwbis-linux-x64', 'daemon', 'run'], { NODE_OPTIONS: '--max-semi-space-size=1 --max-old-space-size=96' }],
    ['the single executable keeps the NODE_OPTIONS it had, ours after', executable('/h'), '--use-openssl-ca', ['/h/with space/anwbis-linux-x64', 'daemon', 'run'], { NODE_OPTIONS: '--use-openssl-ca --max-semi-space-size=1 --max-old-space-size=96' }],
    ['an empty NODE_OPTIONS adds no blank', executable('/h'), '', ['/h/with space/anwbis-linux-x64', 'daemon', 'run'], { NODE_OPTIONS: '--max-semi-space-size=1 --max-old-space-size=96' }],
  ])('%s', (_name, program, inherited, argv, environment) => {
    expect(daemonLaunch(program, inherited)).toEqual({ argv, environment });
  });
});

describe('serviceFiles', () => {
  it('systemd: a socket unit at the daemon socket path and a service with absolute, quoted paths', () => {
    const { files, manager } = serviceFiles(request('linux', '/home/u'));
    expect(manager).toBe('systemd');
    expect(files.map((f) => f.path)).toEqual(['/home/u/.config/systemd/user/anwbis-daemon.socket', '/home/u/.config/systemd/user/anwbis-daemon.service']);
    expect(files[0]!.text).toContain('ListenStream=%t/anwbis/daemon.sock\nSocketMode=0600\nDirectoryMode=0700');
    expect(files[1]!.text).toContain(`ExecStart="${process.execPath}" "--max-semi-space-size=1" "--max-old-space-size=96" "/home/u/with space/run.js" "daemon" "run"\n`);
    expect(files[1]!.text).toContain('Environment="ANWBIS_HOME=/home/u/100%%/$$state"');
    expect(files[1]!.text).not.toContain('NODE_OPTIONS');
  });

  it('systemd, single executable: ExecStart is the executable itself, the V8 settings in NODE_OPTIONS', () => {
    const { files } = serviceFiles(request('linux', '/home/u', executable('/home/u')));
    expect(files[1]!.text).toContain('ExecStart="/home/u/with space/anwbis-linux-x64" "daemon" "run"\n');
    expect(files[1]!.text).toContain('Environment="NODE_OPTIONS=--max-semi-space-size=1 --max-old-space-size=96"\n');
  });

  it('launchd: an agent with the program arguments and environment, XML-escaped', () => {
    const { files, manager } = serviceFiles({ ...request('darwin', '/Users/u'), environment: { ANWBIS_HOME: '/Users/u/a&b' } });
    expect(manager).toBe('launchd');
    expect(files[0]!.path).toBe('/Users/u/Library/LaunchAgents/dev.anwbis.daemon.plist');
    expect(files[0]!.text).toContain(`<string>${process.execPath}</string>`);
    expect(files[0]!.text).toContain('<key>ANWBIS_HOME</key><string>/Users/u/a&amp;b</string>');
  });

  it('launchd, single executable: ProgramArguments start with the executable, the V8 settings in NODE_OPTIONS', () => {
    const { files } = serviceFiles(request('darwin', '/Users/u', { kind: 'executable', path: '/Users/u/bin/anwbis' }));
    expect(files[0]!.text).toContain(
      '<key>ProgramArguments</key>\n    <array>\n      <string>/Users/u/bin/anwbis</string>\n      <string>daemon</string>\n      <string>run</string>\n    </array>',
    );
    expect(files[0]!.text).toContain('<key>NODE_OPTIONS</key><string>--max-semi-space-size=1 --max-old-space-size=96</string>');
  });

  const analyze = spawnSync('systemd-analyze', ['--version']).status === 0;
  (analyze ? it : it.skip).each([
    ['Node and the bin script', script],
    ['the single executable', executable],
  ])('systemd-analyze verify accepts the units (%s)', (_name, program) => {
    const home = mkdtempSync(join(tmpdir(), 'anwbis-unit-'));
    try {
      const req = request('linux', home, program(home));
      // verify checks that ExecStart's program exists and can be run.
      const file = req.program.kind === 'script' ? req.program.script : req.program.path;
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, '');
      chmodSync(file, 0o755);
      const { files } = serviceFiles(req);
      for (const f of files) {
        mkdirSync(dirname(f.path), { recursive: true });
        writeFileSync(f.path, f.text);
      }
      // Without a runtime directory the user manager does not start and verify checks nothing.
      const runtime = join(home, 'run');
      mkdirSync(runtime, { mode: 0o700 });
      const res = spawnSync('systemd-analyze', ['verify', '--user', ...files.map((f) => f.path)], { encoding: 'utf8', env: { ...process.env, XDG_CONFIG_HOME: join(home, '.config'), XDG_RUNTIME_DIR: runtime } });
      expect({ status: res.status, complaints: res.stderr.split('\n').filter((l) => /anwbis-daemon/.test(l)) }).toEqual({ status: 0, complaints: [] });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
