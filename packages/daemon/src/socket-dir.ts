/**
 * The socket's private directory, the token beside it, and taking the socket path over. Node
 * cannot ask who is on the other end of a Unix socket, so the gate is the directory (0700, ours,
 * not a symlink) and a secret only this user can read.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { connect, type Server } from 'node:net';
import { chmodSync, closeSync, constants, fchmodSync, fstatSync, lstatSync, mkdirSync, openSync, readFileSync, unlinkSync } from 'node:fs';
import { AnwbisError, writeFileAtomic } from '@anwbis/core';
import { privateDirProblem, tokenPathFor } from './socket-path.js';

/** sun_path holds 108 bytes on Linux and 104 on macOS, the final NUL included. */
export const MAX_SOCKET_PATH_BYTES = process.platform === 'darwin' ? 103 : 107;

export { tokenPathFor };

/** Refuses a socket path the kernel would truncate or reject. */
export function assertSocketPathFits(socketPath: string): void {
  const bytes = Buffer.byteLength(socketPath);
  if (bytes > MAX_SOCKET_PATH_BYTES) {
    throw new AnwbisError('config', `the daemon socket path ${socketPath} is ${bytes} bytes long; a Unix socket path can be at most ${MAX_SOCKET_PATH_BYTES}`, {
      next: 'set XDG_RUNTIME_DIR (or ANWBIS_HOME) to a shorter directory',
    });
  }
}

/**
 * Checks that `dir` is a real directory owned by this user that nobody else can enter or
 * write; with `create`, makes it (0700) first when it is missing. Never repairs: a directory
 * someone loosened or replaced is reported, not trusted.
 */
export function assertPrivateDir(dir: string, create: boolean): void {
  if (create) {
    try {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
    } catch (err) {
      // Something else is there; the checks below say what.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  let problem;
  try {
    problem = privateDirProblem(dir);
  } catch (err) {
    throw new AnwbisError('config', `the daemon's directory ${dir} cannot be read: ${(err as Error).message}`, { next: 'start the daemon with `anwbis daemon start`' });
  }
  if (problem) throw new AnwbisError('config', `refusing the daemon's directory ${dir}: ${problem}`, { next: `remove it (or fix it with chmod 700 ${dir}) and try again` });
}

/**
 * Narrows this user's own `ANWBIS_HOME` to 0700 when it was made with a plain `mkdir` (0755, as
 * a person does to put `config` in it), then checks it as {@link assertPrivateDir} does. Only
 * bits that let others read or enter are taken away: a directory others could write to may
 * already hold what they put there, so it is refused, as are a symbolic link and another user's
 * directory. The mode is changed through a descriptor opened without following links, so the
 * directory checked is the one changed.
 */
export function tightenPrivateDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW);
    const info = fstatSync(fd);
    const ours = typeof process.getuid !== 'function' || info.uid === process.getuid();
    if (ours && (info.mode & 0o022) !== 0) {
      throw new AnwbisError('config', `refusing ${dir}: its mode is ${(info.mode & 0o777).toString(8)}, so others could have put files in it`, {
        next: `check what is in it, then chmod 700 ${dir}`,
      });
    }
    if (ours && (info.mode & 0o077) !== 0) fchmodSync(fd, 0o700);
  } catch (err) {
    // Missing, a link or not a directory: the check below names it.
    if (!['ENOENT', 'ELOOP', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '')) throw err;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  assertPrivateDir(dir, false);
}

/** A fresh random token: 32 bytes, hex. */
export function newToken(): string {
  return randomBytes(32).toString('hex');
}

/** Writes `token` 0600 beside the socket (a fresh one when none is given) and returns it. */
export async function writeToken(socketPath: string, token: string = newToken()): Promise<string> {
  await writeFileAtomic(tokenPathFor(socketPath), `${token}\n`, { mode: 0o600 });
  return token;
}

/** The token already beside the socket, when there is a well-formed one. */
export function reusableToken(socketPath: string): string | undefined {
  try {
    const token = readToken(socketPath);
    return /^[0-9a-f]{64}$/.test(token) ? token : undefined;
  } catch {
    return undefined;
  }
}

/** The token a client presents; read after the directory check. */
export function readToken(socketPath: string): string {
  return readFileSync(tokenPathFor(socketPath), 'utf8').trim();
}

/** Compares a presented token with the real one without leaking, through timing, how much matched. */
export function tokenMatches(presented: unknown, token: string): boolean {
  if (typeof presented !== 'string') return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether something answers on the socket: a live daemon, as opposed to a stale file. */
export function socketAnswers(socketPath: string, timeoutMs = 2000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(socketPath);
    const done = (live: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(live);
    };
    const timer = setTimeout(() => done(true), timeoutMs);
    socket.once('connect', () => done(true));
    socket.once('error', (err: NodeJS.ErrnoException) => done(err.code !== 'ECONNREFUSED' && err.code !== 'ENOENT'));
  });
}

/**
 * Listens on `socketPath` with mode 0600 (the umask narrowed around `listen`, so there is no
 * moment the socket is open to others). A stale socket left by a daemon that died is removed
 * and taken over; a live one means a daemon already runs.
 */
export async function listenPrivate(server: Server, socketPath: string): Promise<void> {
  assertSocketPathFits(socketPath);
  for (let attempt = 0; ; attempt++) {
    try {
      await listenOnce(server, socketPath);
      // The umask gave 0700; nothing needs to execute a socket.
      chmodSync(socketPath, 0o600);
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EADDRINUSE' || attempt > 0) throw err;
    }
    const existing = lstatSync(socketPath);
    if (!existing.isSocket()) {
      throw new AnwbisError('config', `${socketPath} exists and is not a socket`, { next: 'remove it and start the daemon again' });
    }
    if (await socketAnswers(socketPath)) throw new DaemonAlreadyRunning(socketPath);
    unlinkSync(socketPath);
  }
}

/** Another daemon answers on the socket. */
export class DaemonAlreadyRunning extends AnwbisError {
  constructor(readonly socketPath: string) {
    super('config', `the anwbis daemon is already running (${socketPath})`);
  }
}

function listenOnce(server: Server, socketPath: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const previous = process.umask(0o077);
    const fail = (err: Error) => {
      server.off('listening', ok);
      reject(err);
    };
    const ok = () => {
      server.off('error', fail);
      resolve();
    };
    server.once('error', fail);
    server.once('listening', ok);
    try {
      server.listen(socketPath);
    } finally {
      process.umask(previous);
    }
  });
}
