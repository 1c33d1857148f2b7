import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { stopChild } from '../emulator/processes.js';

/** The programs a private Secret Service needs (tools/setup.sh installs them). */
const TOOLS = ['dbus-daemon', 'gnome-keyring-daemon', 'gdbus', 'secret-tool'] as const;

/** Which of {@link TOOLS} are not on PATH. */
export function missingKeyringTools(): string[] {
  return TOOLS.filter((tool) => spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }).status !== 0);
}

/**
 * Whether the keychain tests run here: always in CI (`CI`, or `ANWBIS_KEYCHAIN_TESTS=required`
 * as .ci/run sets it), where a missing tool must fail them, not skip them; elsewhere when the
 * tools are installed.
 */
export function keyringTestsRun(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(env.CI) || env.ANWBIS_KEYCHAIN_TESTS === 'required' || missingKeyringTools().length === 0;
}

/** A Secret Service of its own for a test: a private session bus and an unlocked GNOME Keyring on it. */
export interface PrivateKeyring {
  /** What a process needs in its environment to use it. */
  readonly env: { readonly DBUS_SESSION_BUS_ADDRESS: string };
  stop(): Promise<void>;
}

/** Resolves with the first line dbus-daemon prints (its address); rejects when it exits first, showing what it said. */
function firstLine(child: ChildProcess, stream: Readable): Promise<string> {
  return new Promise((resolve, reject) => {
    let data = '';
    let errors = '';
    child.stderr?.setEncoding('utf8').on('data', (d: string) => (errors += d));
    stream.setEncoding('utf8');
    const onData = (d: string) => {
      data += d;
      const end = data.indexOf('\n');
      if (end !== -1) {
        stream.off('data', onData);
        resolve(data.slice(0, end));
      }
    };
    stream.on('data', onData);
    child.once('exit', (code, signal) => reject(new Error(`dbus-daemon exited (${code ?? signal}) before it was ready: ${errors}`)));
    child.once('error', reject);
  });
}

/**
 * Starts a session bus (dbus-daemon) and an unlocked GNOME Keyring with only its Secret Service
 * component, both private to the caller: their own directory, nothing of the user's session.
 * Throws, naming what to install, when a tool is missing.
 */
export async function startKeyring(): Promise<PrivateKeyring> {
  const missing = missingKeyringTools();
  if (missing.length > 0) throw new Error(`the keychain tests need ${missing.join(', ')}: run tools/setup.sh (Debian packages dbus, gnome-keyring, libglib2.0-bin, libsecret-tools)`);
  const dir = mkdtempSync('/tmp/anwk-');
  chmodSync(dir, 0o700);
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const child of children.reverse()) await stopChild(child, 5000);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const bus = spawn('dbus-daemon', ['--session', '--nofork', '--nopidfile', '--print-address=1', `--address=unix:path=${join(dir, 'bus')}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(bus);
    const address = await firstLine(bus, bus.stdout!);
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: address, HOME: dir, XDG_DATA_HOME: join(dir, 'data'), XDG_RUNTIME_DIR: dir };
    // --unlock reads the login keyring's password from stdin and creates the keyring with it.
    const keyring = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], { env, stdio: ['pipe', 'ignore', 'pipe'] });
    children.push(keyring);
    let said = '';
    keyring.stderr!.setEncoding('utf8').on('data', (d: string) => (said += d));
    keyring.stdin!.end('anwbis-test-keyring');
    // It takes the Secret Service name once the keyring is unlocked (its stdout, a pipe here, is
    // block-buffered, so its ready line would not arrive). Without --activate, gdbus only waits.
    // Not spawnSync: the keyring reads its password until stdin closes, which needs the event loop.
    const wait = spawn('gdbus', ['wait', '--session', '--timeout', '60', 'org.freedesktop.secrets'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let waitSaid = '';
    wait.stderr.setEncoding('utf8').on('data', (d: string) => (waitSaid += d));
    const status = await new Promise<number | null>((resolve) => wait.once('close', resolve));
    if (status !== 0) throw new Error(`the Secret Service did not appear on the private bus: ${waitSaid}${said}`);
    return { env: { DBUS_SESSION_BUS_ADDRESS: address }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
