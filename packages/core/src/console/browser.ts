import { spawn as nodeSpawn } from 'node:child_process';
import { chmodSync, mkdirSync } from 'node:fs';
import { posix, win32 } from 'node:path';
import which from 'which';
import { AnwbisError, shown } from '../errors/errors.js';
import { splitCommandLine } from '../process/shell-words.js';
import { anwbisHome, type Env } from '../paths/paths.js';

/** The browsers `-b` accepts. `link` opens nothing: the caller prints the URL on stdout. */
export const BROWSER_CHOICES = ['firefox', 'chrome', 'google-chrome', 'chromium', 'default', 'link'] as const;
export type BrowserChoice = (typeof BROWSER_CHOICES)[number];

/** How a browser takes a profile of its own, which decides the `--isolate` arguments. */
export type BrowserFamily = 'chromium' | 'firefox';

export interface OpenOptions {
  /**
   * `--browser-command`: a command line split into words like a shell would but run without
   * one; `{url}` inside a word is replaced by the URL, and the URL is appended when no word has it.
   */
  readonly command?: string;
  /** `--isolate`: open in a browser profile of its own for this anwbis profile name. */
  readonly isolateProfile?: string;
}

export type OpenResult =
  | { readonly kind: 'link'; readonly url: string }
  /** `pid` leads its own process group, so `process.kill(-pid)` ends the browser it started. */
  | { readonly kind: 'launched'; readonly pid: number; readonly command: string };

/** Opens a URL in a browser (the `Browser` port). */
export interface BrowserLauncher {
  open(url: string, choice: BrowserChoice, options?: OpenOptions): Promise<OpenResult>;
}

/** What to run: a program and its arguments, never a shell line. */
export interface LaunchPlan {
  readonly command: string;
  readonly args: readonly string[];
  /** A directory to create (0700) before launching: the isolated browser profile. */
  readonly profileDir?: string;
}

function pathApi(platform: NodeJS.Platform): typeof posix {
  return platform === 'win32' ? win32 : posix;
}

/** The Windows endings tried: programs only, never batch files, which need a shell. */
const WINDOWS_PROGRAM_ENDINGS = '.EXE;.COM';

/** One question for `which`: a command and, for a bare name, the directories searched for it. */
export interface WhichQuery {
  readonly command: string;
  /** Absolute directories joined with the platform's delimiter; absent when `command` is a path. */
  readonly path?: string;
}

/**
 * The `which` lookups that find `name` on a `PATH` value, in order, decided without touching
 * the disk. Absolute names are checked as they are. Empty and relative `PATH` entries are
 * dropped, and so are relative names with a directory part, so nothing is taken from the
 * current directory. On Windows each directory is asked about separately as a full path,
 * because `which` searches the current directory first there whatever `path` says.
 */
export function whichQueries(name: string, pathVar: string | undefined, platform: NodeJS.Platform): WhichQuery[] {
  const path = pathApi(platform);
  if (path.isAbsolute(name)) return [{ command: name }];
  if (name === '' || name.includes('/') || (platform === 'win32' && name.includes('\\'))) return [];
  const dirs = (pathVar ?? '').split(path.delimiter).filter((dir) => dir !== '' && path.isAbsolute(dir));
  if (platform === 'win32') return dirs.map((dir) => ({ command: win32.join(dir, name) }));
  // An empty `path` would make `which` look in the current directory.
  return dirs.length === 0 ? [] : [{ command: name, path: dirs.join(path.delimiter) }];
}

/**
 * The first of `names` found as an executable on a `PATH` value by `which`, following
 * {@link whichQueries}: earlier names win over earlier directories. On Windows `.exe` and
 * `.com` are tried; batch files are not, because they need a shell.
 */
export function findOnPath(names: readonly string[], pathVar: string | undefined): string | undefined {
  const platform = process.platform;
  for (const name of names) {
    for (const query of whichQueries(name, pathVar, platform)) {
      const found = which.sync(query.command, {
        nothrow: true,
        delimiter: pathApi(platform).delimiter,
        pathExt: WINDOWS_PROGRAM_ENDINGS,
        ...(query.path === undefined ? {} : { path: query.path }),
      });
      if (found !== null) return found;
    }
  }
  return undefined;
}

type NamedBrowser = Exclude<BrowserChoice, 'default' | 'link'>;

/** Where each browser is looked for, in order: names on `PATH`, then usual install locations. */
export function browserCandidates(choice: NamedBrowser, platform: NodeJS.Platform, env: Env): string[] {
  if (platform === 'darwin') {
    const apps = [env.HOME ? `${env.HOME}/Applications` : undefined, '/Applications'].filter((d) => d !== undefined);
    const bundle: Record<NamedBrowser, [string, string]> = {
      chrome: ['Google Chrome.app', 'Google Chrome'],
      'google-chrome': ['Google Chrome.app', 'Google Chrome'],
      chromium: ['Chromium.app', 'Chromium'],
      firefox: ['Firefox.app', 'firefox'],
    };
    const [app, binary] = bundle[choice];
    return [...(choice === 'firefox' ? ['firefox'] : []), ...apps.map((dir) => `${dir}/${app}/Contents/MacOS/${binary}`)];
  }
  if (platform === 'win32') {
    const roots = [env.ProgramFiles, env['ProgramFiles(x86)'], env.LOCALAPPDATA].filter((d) => d !== undefined);
    const installed = (relative: string) => roots.map((root) => win32.join(root, relative));
    switch (choice) {
      case 'chrome':
      case 'google-chrome':
        return ['chrome', ...installed('Google\\Chrome\\Application\\chrome.exe')];
      case 'chromium':
        return ['chromium', ...installed('Chromium\\Application\\chrome.exe')];
      case 'firefox':
        return ['firefox', ...installed('Mozilla Firefox\\firefox.exe')];
    }
  }
  switch (choice) {
    case 'chrome':
    case 'google-chrome':
      return ['google-chrome', 'google-chrome-stable', 'chrome'];
    case 'chromium':
      return ['chromium', 'chromium-browser'];
    case 'firefox':
      return ['firefox', 'firefox-esr'];
  }
}

function defaultOpenerCandidates(platform: NodeJS.Platform, env: Env): string[] {
  if (platform === 'darwin') return ['open'];
  if (platform === 'win32') return [win32.join(env.SystemRoot ?? 'C:\\Windows', 'explorer.exe'), 'explorer'];
  return ['xdg-open'];
}

function familyOfChoice(choice: BrowserChoice): BrowserFamily | undefined {
  if (choice === 'firefox') return 'firefox';
  if (choice === 'chrome' || choice === 'google-chrome' || choice === 'chromium') return 'chromium';
  return undefined;
}

/** The browser family of a program by its file name (`/usr/bin/chromium` → `chromium`). */
export function familyOfProgram(program: string): BrowserFamily | undefined {
  const name = win32.basename(program).toLowerCase();
  if (name.includes('firefox')) return 'firefox';
  if (/chrom|brave|msedge|vivaldi/.test(name)) return 'chromium';
  return undefined;
}

const PROFILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** The browser profile directory `--isolate` uses for an anwbis profile. */
export function isolatedProfileDir(profile: string, env: Env, platform: NodeJS.Platform = process.platform): string {
  if (!PROFILE_NAME.test(profile)) {
    throw new AnwbisError('usage', `${shown(profile)} cannot name a browser profile: use letters, digits, '.', '_' and '-'`);
  }
  return pathApi(platform).join(anwbisHome(env), 'browser-profiles', profile);
}

/** The arguments that make a browser of `family` use `dir` as its profile, apart from any running instance. */
export function isolateArgs(family: BrowserFamily, dir: string): string[] {
  return family === 'firefox' ? ['-no-remote', '-profile', dir] : [`--user-data-dir=${dir}`, '--no-first-run'];
}

export interface PlanContext {
  readonly env: Env;
  readonly platform: NodeJS.Platform;
  /** Finds the first executable among names; {@link findOnPath} over `env.PATH` in real use. */
  readonly find: (names: readonly string[]) => string | undefined;
}

function notFound(what: string, names: readonly string[]): AnwbisError {
  return new AnwbisError('config', `${what} not found: looked for ${names.map((n) => shown(n)).join(', ')}`, {
    next: "install it, choose another with -b, or name it with --browser-command 'CMD {url}'",
  });
}

function customPlan(url: string, command: string, isolate: string[], profileDir: string | undefined, ctx: PlanContext): LaunchPlan {
  const [program, ...words] = splitCommandLine(command);
  if (program === undefined) throw new AnwbisError('usage', 'the browser command is empty');
  const hasPath = program.includes('/') || (ctx.platform === 'win32' && program.includes('\\'));
  const resolved = hasPath ? program : ctx.find([program]);
  if (resolved === undefined) throw notFound('browser command', [program]);
  const at = words.findIndex((word) => word.includes('{url}'));
  const args =
    at === -1
      ? [...words, ...isolate, url]
      : [...words.slice(0, at), ...isolate, ...words.slice(at)].map((word) => word.split('{url}').join(url));
  return { command: resolved, args, ...(profileDir ? { profileDir } : {}) };
}

/**
 * What to run to open `url`, decided without side effects apart from `ctx.find`.
 * Missing browsers and `--isolate` with a browser whose profile flags are unknown are refused
 * with an {@link AnwbisError}.
 */
export function launchPlan(url: string, choice: Exclude<BrowserChoice, 'link'>, options: OpenOptions, ctx: PlanContext): LaunchPlan {
  let isolate: string[] = [];
  let profileDir: string | undefined;
  if (options.isolateProfile !== undefined) {
    const family = familyOfChoice(choice) ?? (options.command ? familyOfProgram(splitCommandLine(options.command)[0] ?? '') : undefined);
    if (family === undefined) {
      throw new AnwbisError('usage', '--isolate needs a browser whose profile options anwbis knows', {
        next: 'use -b chrome, chromium or firefox (or a --browser-command running one of them)',
      });
    }
    profileDir = isolatedProfileDir(options.isolateProfile, ctx.env, ctx.platform);
    isolate = isolateArgs(family, profileDir);
  }
  if (options.command !== undefined) return customPlan(url, options.command, isolate, profileDir, ctx);
  if (choice === 'default') {
    const names = defaultOpenerCandidates(ctx.platform, ctx.env);
    const opener = ctx.find(names);
    if (opener === undefined) throw notFound('the default browser opener', names);
    return { command: opener, args: [url] };
  }
  const names = browserCandidates(choice, ctx.platform, ctx.env);
  const program = ctx.find(names);
  if (program === undefined) throw notFound(choice, names);
  return { command: program, args: [...isolate, url], ...(profileDir ? { profileDir } : {}) };
}

export interface BrowserLauncherDeps {
  readonly env: Env;
}

/**
 * The real launcher: runs the planned program directly (an argument list, never a shell, so
 * nothing in the URL or the command is interpreted), detached in its own process group, and
 * reports a program that could not be started. Programs are looked for with {@link findOnPath}
 * on `env.PATH`, by the rules of the system anwbis runs on. The login URL it passes is visible
 * in the process list of this machine while the browser runs.
 */
export function createBrowserLauncher(deps: BrowserLauncherDeps): BrowserLauncher {
  const platform = process.platform;
  const find = (names: readonly string[]) => findOnPath(names, deps.env.PATH ?? deps.env.Path);
  return {
    async open(url, choice, options = {}) {
      if (choice === 'link') return { kind: 'link', url };
      const plan = launchPlan(url, choice, options, { env: deps.env, platform, find });
      if (plan.profileDir) {
        try {
          mkdirSync(plan.profileDir, { recursive: true, mode: 0o700 });
          chmodSync(plan.profileDir, 0o700);
        } catch (error) {
          throw new AnwbisError('file', `cannot create the browser profile directory ${plan.profileDir}`, { cause: error });
        }
      }
      const child = nodeSpawn(plan.command, [...plan.args], { detached: true, stdio: 'ignore', env: { ...deps.env }, windowsHide: true });
      try {
        await new Promise<void>((resolve, reject) => {
          child.once('spawn', resolve);
          child.once('error', reject);
        });
      } catch (error) {
        const code = error && typeof error === 'object' && 'code' in error && typeof error.code === 'string' ? ` (${error.code})` : '';
        throw new AnwbisError('config', `could not start the browser ${shown(plan.command)}${code}`, {
          next: "check it is installed, or name another with -b or --browser-command 'CMD {url}'",
        });
      }
      // An error after a successful start (e.g. a failed kill) must not crash anwbis.
      child.on('error', () => undefined);
      child.unref();
      return { kind: 'launched', pid: child.pid ?? 0, command: plan.command };
    },
  };
}
