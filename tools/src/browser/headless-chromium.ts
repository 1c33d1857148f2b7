import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** Debian's Chromium, which tools/setup.sh installs. */
export const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** What makes Chromium start quietly on a machine without a display, sandbox or internet. */
export const HEADLESS_CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/** A `chromium` on PATH that is Debian's Chromium, headless, in a throw-away profile. */
export interface HeadlessChromium {
  /** The temporary directory holding the wrapper (`bin/chromium`) and the profile (`profile/`). */
  readonly dir: string;
  /** A `PATH` value with the wrapper's directory before `pathVar`. */
  path(pathVar: string | undefined): string;
  /** Ends every browser started through the wrapper, with all it started, and removes `dir`. */
  remove(): Promise<void>;
}

export interface HeadlessChromiumOptions {
  /** The browser the wrapper runs; {@link DEBIAN_CHROMIUM} unless told. */
  readonly program?: string;
}

const shellQuoted = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

/**
 * Writes an executable `chromium` wrapper into a fresh temporary directory. Put first on PATH,
 * it is what `anwbis -b chromium` finds and starts: it records its process id, then execs the
 * real browser with {@link HEADLESS_CHROMIUM_ARGS}, a profile of its own and the arguments it
 * was given, so anwbis's own lookup and launch are what the test exercises.
 */
export async function headlessChromium(options: HeadlessChromiumOptions = {}): Promise<HeadlessChromium> {
  const program = options.program ?? DEBIAN_CHROMIUM;
  try {
    accessSync(program, constants.X_OK);
  } catch {
    throw new Error(`${program} is not an executable: install Debian's chromium (tools/setup.sh)`);
  }
  const dir = await mkdtemp(join(tmpdir(), 'anwbis-chromium-'));
  const bin = join(dir, 'bin');
  const pids = join(dir, 'pids');
  await mkdir(bin);
  const args = [...HEADLESS_CHROMIUM_ARGS, `--user-data-dir=${join(dir, 'profile')}`].map(shellQuoted).join(' ');
  const wrapper = join(bin, 'chromium');
  await writeFile(wrapper, `#!/bin/sh\necho $$ >> ${shellQuoted(pids)}\nexec ${shellQuoted(program)} ${args} "$@"\n`);
  await chmod(wrapper, 0o755);
  return {
    dir,
    path: (pathVar) => (pathVar ? `${bin}${delimiter}${pathVar}` : bin),
    async remove() {
      const started = await readFile(pids, 'utf8').catch(() => '');
      for (const pid of started.split('\n').filter((line) => line !== '').map(Number)) await endGroup(pid, dir);
      await rm(dir, { recursive: true, force: true, maxRetries: 5 });
    },
  };
}

/**
 * Processes of group `pgid` that still run. Zombies are left out: an orphaned browser waits
 * for an init that may be slow to reap it.
 */
function liveMembers(pgid: number): number[] {
  const live: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // ended while we looked
    }
    // After "pid (comm) ": state, ppid, pgrp, ...; comm may itself hold spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (state !== 'Z' && Number(pgrp) === pgid) live.push(Number(entry));
  }
  return live;
}

function mentions(pid: number, text: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
  } catch {
    return false;
  }
}

/**
 * Kills the browser a wrapper became, with its whole process group (anwbis starts browsers
 * detached, so the wrapper leads one), and waits until they are gone. A group none of whose
 * processes names this wrapper's directory is not ours: the browser ended and the number was
 * reused.
 */
async function endGroup(pgid: number, dir: string): Promise<void> {
  const members = liveMembers(pgid);
  if (!members.some((pid) => mentions(pid, dir))) return;
  try {
    process.kill(-pgid, 'SIGKILL');
  } catch {
    return; // the group ended meanwhile
  }
  const deadline = Date.now() + 30_000;
  while (liveMembers(pgid).length > 0) {
    if (Date.now() > deadline) throw new Error(`browser process group ${pgid} still runs after SIGKILL`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
