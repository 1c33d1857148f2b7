import { describe, it, expect, beforeEach, afterEach } from '@jest/globals';
import { chmod, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AnwbisError } from '../errors/errors.js';
import type { Env } from '../paths/paths.js';
import {
  browserCandidates,
  createBrowserLauncher,
  familyOfProgram,
  findOnPath,
  isolateArgs,
  isolatedProfileDir,
  launchPlan,
  type BrowserChoice,
  type OpenOptions,
  type PlanContext,
  whichQueries,
} from './browser.js';
import { thrownAnwbisError } from '../testing/caught.js';

const URL_WITH_METACHARACTERS = 'https://signin.aws.amazon.com/federation?Action=login&Issuer=a b&Destination=x%3Fy&SigninToken=$(id);`rm`*';

/** A context where exactly `installed` programs exist, found under /usr/bin. */
function context(installed: string[], env: Env = {}, platform: NodeJS.Platform = 'linux'): PlanContext & { asked: string[][] } {
  const asked: string[][] = [];
  return {
    env: { ANWBIS_HOME: '/home/u/.local/state/anwbis', ...env },
    platform,
    asked,
    find(names) {
      asked.push([...names]);
      const hit = names.find((name) => installed.includes(name));
      return hit === undefined ? undefined : /^(\/|[A-Z]:\\)/.test(hit) ? hit : `/usr/bin/${hit}`;
    },
  };
}

describe('findOnPath', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'anwbis-path-'));
    for (const sub of ['a', 'b', 'c']) await mkdir(join(dir, sub));
    await writeFile(join(dir, 'a', 'chromium'), '');
    await chmod(join(dir, 'a', 'chromium'), 0o644);
    await writeFile(join(dir, 'b', 'chromium'), '#!/bin/sh\n');
    await chmod(join(dir, 'b', 'chromium'), 0o755);
    await writeFile(join(dir, 'c', 'chromium-browser'), '#!/bin/sh\n');
    await chmod(join(dir, 'c', 'chromium-browser'), 0o755);
    await mkdir(join(dir, 'c', 'firefox'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it.each([
    ['skips a file that is not executable', ['chromium'], ['a', 'b'], 'b/chromium'],
    ['prefers earlier names over earlier directories', ['chromium-browser', 'chromium'], ['b', 'c'], 'c/chromium-browser'],
    ['falls back to the next name', ['google-chrome', 'chromium-browser'], ['a', 'b', 'c'], 'c/chromium-browser'],
    ['ignores directories with the name', ['firefox'], ['c'], undefined],
    ['finds nothing on an empty PATH', ['chromium'], [], undefined],
  ])('%s', (_what, names, dirs, expected) => {
    const pathVar = dirs.map((d) => join(dir, d)).join(':');
    expect(findOnPath(names, pathVar)).toBe(expected === undefined ? undefined : join(dir, expected));
  });

  it.each([
    ['a relative entry', 'rel'],
    ['a ./ entry', './rel'],
    ['an empty entry', ':'],
    ['a relative entry before a directory without it', `rel:DIR/a`],
  ])('does not use an executable of that name under %s of PATH (the current directory is never searched)', async (_what, entries) => {
    await mkdir(join(dir, 'rel'));
    for (const file of ['chromium', 'chromium-browser', 'rel/chromium', 'rel/chromium-browser']) {
      await writeFile(join(dir, file), '#!/bin/sh\n');
      await chmod(join(dir, file), 0o755);
    }
    const pathVar = entries.replace('DIR', dir);
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(findOnPath(['chromium'], pathVar)).toBeUndefined();
      expect(findOnPath(['chromium-browser'], pathVar)).toBeUndefined();
    } finally {
      process.chdir(cwd);
    }
  });

  it('checks absolute names as they are and never searches a relative name with a directory part', () => {
    expect(findOnPath([join(dir, 'b', 'chromium')], undefined)).toBe(join(dir, 'b', 'chromium'));
    expect(findOnPath([join(dir, 'a', 'chromium')], undefined)).toBeUndefined();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      expect(findOnPath(['b/chromium', './b/chromium'], join(dir, 'b'))).toBeUndefined();
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('whichQueries', () => {
  it.each<[string, NodeJS.Platform, string, string | undefined, { command: string; path?: string }[]]>([
    ['searches the absolute directories on Linux', 'linux', 'chromium', '/usr/local/bin::bin:./x:/usr/bin', [{ command: 'chromium', path: '/usr/local/bin:/usr/bin' }]],
    ['asks nothing when no directory is absolute', 'linux', 'chromium', '.::bin', []],
    ['asks nothing without a PATH', 'linux', 'chromium', undefined, []],
    ['checks an absolute name as it is', 'linux', '/opt/chromium', '/usr/bin', [{ command: '/opt/chromium' }]],
    ['never looks up a relative name with a directory part', 'linux', 'bin/chromium', '/usr/bin', []],
    [
      'asks each Windows directory by full path, with ; between directories',
      'win32',
      'chrome',
      'C:\\Windows;relative;;D:\\Apps',
      [{ command: 'C:\\Windows\\chrome' }, { command: 'D:\\Apps\\chrome' }],
    ],
    ['checks an absolute Windows name as it is', 'win32', 'C:\\Windows\\explorer.exe', 'D:\\Apps', [{ command: 'C:\\Windows\\explorer.exe' }]],
    ['never looks up a relative Windows name with a directory part', 'win32', 'bin\\chrome', 'D:\\Apps', []],
  ])('%s', (_what, platform, name, pathVar, queries) => {
    expect(whichQueries(name, pathVar, platform)).toEqual(queries);
  });
});

describe('browserCandidates', () => {
  it.each<[Exclude<BrowserChoice, 'default' | 'link'>, string[]]>([
    ['chrome', ['google-chrome', 'google-chrome-stable', 'chrome']],
    ['google-chrome', ['google-chrome', 'google-chrome-stable', 'chrome']],
    ['chromium', ['chromium', 'chromium-browser']],
    ['firefox', ['firefox', 'firefox-esr']],
  ])('on Linux %s is looked for as %j', (choice, names) => {
    expect(browserCandidates(choice, 'linux', {})).toEqual(names);
  });

  it('looks inside application bundles on macOS', () => {
    expect(browserCandidates('chrome', 'darwin', { HOME: '/Users/u' })).toEqual([
      '/Users/u/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
      '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    ]);
  });

  it('looks in Program Files on Windows', () => {
    expect(browserCandidates('firefox', 'win32', { ProgramFiles: 'C:\\Program Files' })).toEqual([
      'firefox',
      'C:\\Program Files\\Mozilla Firefox\\firefox.exe',
    ]);
  });
});

describe('launchPlan', () => {
  it.each<[Exclude<BrowserChoice, 'link'>, string[], string]>([
    ['chromium', ['chromium-browser'], '/usr/bin/chromium-browser'],
    ['chrome', ['google-chrome-stable'], '/usr/bin/google-chrome-stable'],
    ['google-chrome', ['google-chrome'], '/usr/bin/google-chrome'],
    ['firefox', ['firefox'], '/usr/bin/firefox'],
    ['default', ['xdg-open'], '/usr/bin/xdg-open'],
  ])('-b %s runs %j with the URL as one argument', (choice, installed, command) => {
    expect(launchPlan(URL_WITH_METACHARACTERS, choice, {}, context(installed))).toEqual({ command, args: [URL_WITH_METACHARACTERS] });
  });

  it.each<[NodeJS.Platform, string, string]>([
    ['darwin', 'open', '/usr/bin/open'],
    ['win32', 'C:\\Windows\\explorer.exe', 'C:\\Windows\\explorer.exe'],
  ])('the default opener on %s is %s', (platform, installed, command) => {
    const plan = launchPlan('https://x.test/', 'default', {}, context([installed], { SystemRoot: 'C:\\Windows' }, platform));
    expect(plan).toEqual({ command, args: ['https://x.test/'] });
  });

  it('names every program it looked for when none is installed', () => {
    const error = thrownAnwbisError(() => launchPlan('https://x.test/', 'chrome', {}, context([])));
    expect(error.kind).toBe('config');
    expect(error.message).toBe('chrome not found: looked for "google-chrome", "google-chrome-stable", "chrome"');
    expect(error.next).toContain('--browser-command');
  });

  it.each<[string, OpenOptions['command'], string, string[]]>([
    ['appends the URL when there is no {url}', 'firefox --new-window', '/usr/bin/firefox', ['--new-window', 'U']],
    ['replaces {url} as one argument', 'chromium --new-window {url} --incognito', '/usr/bin/chromium', ['--new-window', 'U', '--incognito']],
    ['replaces {url} inside a word', 'chromium --app={url}', '/usr/bin/chromium', ['--app=U']],
    ['keeps quoted words whole', `'/opt/My Browser/bin' --flag "a b" {url}`, '/opt/My Browser/bin', ['--flag', 'a b', 'U']],
    ['runs a path as it is', '/opt/browser {url}', '/opt/browser', ['U']],
    ['does not expand anything', 'chromium $HOME `id` {url}', '/usr/bin/chromium', ['$HOME', '`id`', 'U']],
  ])('--browser-command %s', (_what, command, program, args) => {
    const url = URL_WITH_METACHARACTERS;
    const plan = launchPlan(url, 'default', { command }, context(['firefox', 'chromium']));
    expect(plan).toEqual({ command: program, args: args.map((a) => a.replace('U', url)) });
  });

  it('--browser-command puts the isolation arguments before {url}', () => {
    const ctx = context(['flatpak']);
    const plan = launchPlan('U', 'chromium', { command: 'flatpak run org.chromium.Chromium {url}', isolateProfile: 'p' }, ctx);
    expect(plan.command).toBe('/usr/bin/flatpak');
    expect(plan.args).toEqual([
      'run',
      'org.chromium.Chromium',
      '--user-data-dir=/home/u/.local/state/anwbis/browser-profiles/p',
      '--no-first-run',
      'U',
    ]);
  });

  it('--browser-command reports a program that is not on PATH', () => {
    const error = thrownAnwbisError(() => launchPlan('U', 'default', { command: 'nobrowser {url}' }, context([])));
    expect(error.message).toBe('browser command not found: looked for "nobrowser"');
  });

  it.each<[Exclude<BrowserChoice, 'link'>, string[], OpenOptions, string[]]>([
    [
      'chromium',
      ['chromium'],
      { isolateProfile: 'datalab-dev-admin' },
      ['--user-data-dir=/home/u/.local/state/anwbis/browser-profiles/datalab-dev-admin', '--no-first-run', 'U'],
    ],
    [
      'chrome',
      ['google-chrome'],
      { isolateProfile: 'p' },
      ['--user-data-dir=/home/u/.local/state/anwbis/browser-profiles/p', '--no-first-run', 'U'],
    ],
    ['firefox', ['firefox'], { isolateProfile: 'p' }, ['-no-remote', '-profile', '/home/u/.local/state/anwbis/browser-profiles/p', 'U']],
    [
      'default',
      ['firefox-esr'],
      { isolateProfile: 'p', command: 'firefox-esr' },
      ['-no-remote', '-profile', '/home/u/.local/state/anwbis/browser-profiles/p', 'U'],
    ],
  ])('--isolate with %s', (choice, installed, options, args) => {
    const plan = launchPlan('U', choice, options, context(installed));
    expect(plan.args).toEqual(args);
    expect(plan.profileDir).toBe(`/home/u/.local/state/anwbis/browser-profiles/${options.isolateProfile}`);
  });

  it.each<[Exclude<BrowserChoice, 'link'>, OpenOptions]>([
    ['default', { isolateProfile: 'p' }],
    ['default', { isolateProfile: 'p', command: 'mybrowser {url}' }],
  ])('refuses --isolate when the browser family is unknown (%s, %j)', (choice, options) => {
    expect(thrownAnwbisError(() => launchPlan('U', choice, options, context(['xdg-open', 'mybrowser']))).kind).toBe('usage');
  });
});

describe('isolation', () => {
  it.each([['../escape'], ['a/b'], ['.'], [''], ['-rf']])('refuses the profile name %j', (profile) => {
    expect(thrownAnwbisError(() => isolatedProfileDir(profile, { ANWBIS_HOME: '/h' })).kind).toBe('usage');
  });

  it('keeps profiles under ANWBIS_HOME', () => {
    expect(isolatedProfileDir('datalab-dev-admin', { ANWBIS_HOME: '/h' }, 'linux')).toBe('/h/browser-profiles/datalab-dev-admin');
  });

  it.each([
    ['chromium', ['--user-data-dir=/d', '--no-first-run']],
    ['firefox', ['-no-remote', '-profile', '/d']],
  ] as const)('%s arguments', (family, args) => {
    expect(isolateArgs(family, '/d')).toEqual(args);
  });

  it.each([
    ['/usr/bin/chromium', 'chromium'],
    ['google-chrome-stable', 'chromium'],
    ['C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', 'chromium'],
    ['/usr/bin/firefox-esr', 'firefox'],
    ['brave-browser', 'chromium'],
    ['xdg-open', undefined],
  ])('%s is a %s browser', (program, family) => {
    expect(familyOfProgram(program)).toBe(family);
  });
});

describe('createBrowserLauncher (real processes)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'anwbis-browser-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function waitForFile(path: string): Promise<string> {
    for (let i = 0; i < 100; i++) {
      try {
        const text = await readFile(path, 'utf8');
        if (text.endsWith('END\n')) return text;
      } catch {
        // not written yet
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`${path} was never written`);
  }

  it('hands the URL and arguments over without a shell, in a fresh profile directory', async () => {
    const script = join(dir, 'chromium');
    const out = join(dir, 'args.txt');
    await writeFile(script, `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a"; done > '${out}.tmp'\necho END >> '${out}.tmp'\nmv '${out}.tmp' '${out}'\n`);
    await chmod(script, 0o755);
    const home = join(dir, 'home');
    const launcher = createBrowserLauncher({
      env: { PATH: `${dir}:/usr/bin:/bin`, ANWBIS_HOME: home },
    });

    const result = await launcher.open(URL_WITH_METACHARACTERS, 'chromium', { isolateProfile: 'datalab-dev-admin' });

    expect(result).toMatchObject({ kind: 'launched', command: script });
    expect(result.kind === 'launched' && result.pid > 0).toBe(true);
    const profile = join(home, 'browser-profiles', 'datalab-dev-admin');
    expect((await waitForFile(out)).split('\n')).toEqual([`--user-data-dir=${profile}`, '--no-first-run', URL_WITH_METACHARACTERS, 'END', '']);
    expect((await stat(profile)).mode & 0o777).toBe(0o700);
  });

  it('returns the link without starting anything for -b link', async () => {
    const launcher = createBrowserLauncher({ env: { PATH: '' } });
    expect(await launcher.open('https://x.test/', 'link')).toEqual({ kind: 'link', url: 'https://x.test/' });
  });

  it('reports a program that cannot be started, without the URL', async () => {
    const launcher = createBrowserLauncher({ env: { PATH: '/usr/bin:/bin' } });
    const missing = join(dir, 'no-such-browser');
    const error = await launcher.open('https://x.test/?SigninToken=secret', 'default', { command: `${missing} {url}` }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AnwbisError);
    expect((error as AnwbisError).message).toBe(`could not start the browser "${missing}" (ENOENT)`);
    expect((error as AnwbisError).message).not.toContain('secret');
  });
});

