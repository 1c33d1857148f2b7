/**
 * `anwbis env --server`: a shell gets a container-credentials endpoint, as `anwbis exec --server`
 * gives its command, so every AWS CLI and SDK call in it is answered with the daemon's fresh
 * credentials instead of starting a `credential_process` (a Node start) each.
 *
 * A shell cannot inherit a listening socket once it runs, so the endpoint is served by a small
 * detached process of its own (`anwbis __serve-shell`) that holds the port and the daemon grant
 * while the shell lives, and ends (the grant with it) once the shell has exited. The token is
 * made there and reaches `anwbis env` over a pipe, so it is in no process's arguments or
 * environment but the shell's.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { AnwbisError, SERVED_SHELL_FILES, assume, configFilePath, credentialsFilePath, systemClock, type AssumeRequest, type ErrorKind, type Shell } from '@anwbis/core';
import { DaemonClient, DaemonNotRunning, startCredentialServer, watchSpecSchema, type WatchSpec } from '@anwbis/daemon';
import { configCopy, HeldGrant, holdOn, OTHER_CREDENTIALS } from './exec-server.js';
import { cliRuntime } from '../runtime/runtime.js';
import { selfProgram } from '../runtime/self.js';
import { corpProfileFor, requireCorpSession, watchLimits, watchSpecFor } from './handover.js';

const CLIENT = 'anwbis env --server';
/** The hidden command that runs the listener. */
export const LISTENER_COMMAND = '__serve-shell';
const URI = 'AWS_CONTAINER_CREDENTIALS_FULL_URI';
const TOKEN = 'AWS_CONTAINER_AUTHORIZATION_TOKEN';
/** How often the listener looks whether the shell still runs: Node cannot wait for a process it did not start. */
const SHELL_POLL_MS = 500;

/** What `anwbis env` hands the listener on its stdin. */
interface ListenerRequest {
  spec: WatchSpec;
  shell: number;
}

/** What the listener answers on its stdout, once. */
type ListenerReply = { url: string; token: string; config: string; pid: number } | { error: { kind: string; message: string; next?: string } };

/** The lines `anwbis env --server` prints, and what it tells the person. */
export interface ServedShell {
  readonly set: Array<[string, string]>;
  readonly unset: string[];
  readonly profile: string;
  readonly port: number;
  readonly listenerPid: number;
}

/** Linux's start time of a process (clock ticks since boot), which tells a reused pid apart; undefined elsewhere. */
function startTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

/** Whether `pid` is a process this user may signal (0 signals nothing). */
function signalable(pid: number): 'yes' | 'gone' | 'not-ours' {
  try {
    process.kill(pid, 0);
    return 'yes';
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM' ? 'not-ours' : 'gone';
  }
}

/** The shell to serve: `--pid`, else the process that ran anwbis; refused when it is not this user's running process. */
export function shellPid(flag: number | undefined): number {
  const pid = flag ?? process.ppid;
  if (pid <= 1) {
    throw new AnwbisError('usage', `anwbis env --server was not started by a shell (its parent is pid ${pid})`, { next: 'name the shell with --pid, e.g. --pid $$ in bash or zsh' });
  }
  const state = signalable(pid);
  if (state === 'gone') throw new AnwbisError('usage', `there is no process ${pid} to serve`, { next: 'give the pid of a running shell, e.g. --pid $$ in bash or zsh' });
  if (state === 'not-ours') throw new AnwbisError('usage', `process ${pid} belongs to another user`, { next: 'give the pid of one of your own shells, e.g. --pid $$ in bash or zsh' });
  return pid;
}

/**
 * Writes the role's profile from the corp session (no MFA, like `watch`), starts the listener
 * for `shell`, and returns the lines that point the shell at it. Needs a running daemon: without
 * one nothing is written and the error names `anwbis daemon start`.
 */
export async function serveShell(
  request: AssumeRequest,
  options: { corpProfile: string | undefined; durationSeconds: number; shell: number; verbose: boolean },
): Promise<ServedShell> {
  const limits = watchLimits(options.durationSeconds, undefined);
  try {
    (await DaemonClient.connect(process.env, { client: CLIENT, timeoutMs: 10_000 })).close();
  } catch (err) {
    if (!(err instanceof DaemonNotRunning)) throw err;
    throw new AnwbisError('config', `anwbis env --server needs the daemon, and ${err.message.replace(/^the /, '')}`, { next: 'start it with `anwbis daemon start`, then run this again' });
  }
  const corpProfile = await corpProfileFor(options.corpProfile, process.env);
  const sessionProfile = await requireCorpSession(corpProfile, { env: process.env, clock: systemClock });
  const written = await assume({ ...request, sourceProfile: sessionProfile, noMfa: true, durationSeconds: limits.durationSeconds }, cliRuntime({ verbose: options.verbose, quiet: true }));
  const spec = await watchSpecFor(request, written.profile, corpProfile, limits);
  const reply = await startListener({ spec, shell: options.shell });
  // In a shell served before, these are the person's files behind the hidden ones.
  const files = { credentials: credentialsFilePath(process.env), config: configFilePath(process.env) };
  const set: Array<[string, string]> = [
    [URI, reply.url],
    [TOKEN, reply.token],
    // Both hide credentials that would win over the endpoint: the AWS CLI and the SDKs read the
    // files' profiles before they ask a container endpoint.
    ['AWS_SHARED_CREDENTIALS_FILE', '/dev/null'],
    ['AWS_CONFIG_FILE', reply.config],
    [SERVED_SHELL_FILES.credentials, files.credentials],
    [SERVED_SHELL_FILES.config, files.config],
    ...(written.region ? ([['AWS_REGION', written.region], ['AWS_DEFAULT_REGION', written.region]] as Array<[string, string]>) : []),
    ['ANWBIS_PROFILE', written.profile],
  ];
  // A shell served again: the listener before this one is done with.
  await endListener(process.env);
  return { set, unset: OTHER_CREDENTIALS.filter((name) => !set.some(([n]) => n === name)), profile: written.profile, port: Number(new URL(reply.url).port), listenerPid: reply.pid };
}

/** Starts the detached listener and waits for its one answer: the endpoint, or why there is none. */
async function startListener(input: ListenerRequest): Promise<Extract<ListenerReply, { url: string }>> {
  const self = selfProgram();
  const [command, ...args] = self.kind === 'script' ? [self.node, self.script, LISTENER_COMMAND] : [self.path, LISTENER_COMMAND];
  const child = spawn(command!, args, { detached: true, stdio: ['pipe', 'pipe', 'ignore'], env: process.env });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const ended = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
  const failed = new Promise<never>((_, reject) => child.once('error', (err) => reject(new AnwbisError('config', `cannot start the credential listener: ${err.message}`))));
  child.stdin.end(JSON.stringify(input));
  // The listener closes its end of stdout once it has answered, and runs on.
  await Promise.race([new Promise((resolve) => child.stdout.once('close', resolve)), failed]);
  child.unref();
  let reply: ListenerReply;
  try {
    reply = JSON.parse(out) as ListenerReply;
  } catch {
    const code = await ended;
    throw new AnwbisError('config', `the credential listener ended before it served (exit status ${code})`, { next: 'run this again with -v, and see `anwbis daemon status`' });
  }
  if ('error' in reply) throw new AnwbisError(reply.error.kind as ErrorKind, reply.error.message, reply.error.next ? { next: reply.error.next } : {});
  return reply;
}

/** Asks the listener of a shell served before (its endpoint and token in `env`) to end; nothing when there is none. */
export async function endListener(env: NodeJS.ProcessEnv): Promise<void> {
  const url = env[URI];
  const token = env[TOKEN];
  if (!url || !token || !url.startsWith('http://127.0.0.1:')) return;
  await new Promise<void>((resolve) => {
    const req = request(url, { method: 'DELETE', headers: { authorization: token }, timeout: 5000 }, (res) => {
      res.resume();
      res.once('end', resolve);
    });
    // One that is gone already has nothing to end.
    req.once('error', () => resolve());
    req.once('timeout', () => req.destroy());
    req.end();
  });
}

/**
 * The lines that undo `anwbis env --server` in a shell whose environment is `env`: the endpoint
 * and token unset, the person's own files back. Refused in a shell that was not served.
 */
export function unservedLines(env: NodeJS.ProcessEnv): { set: Array<[string, string]>; unset: string[] } {
  const credentials = env[SERVED_SHELL_FILES.credentials];
  const config = env[SERVED_SHELL_FILES.config];
  if (!credentials || !config) {
    throw new AnwbisError('usage', 'this shell is not served by anwbis env --server: there is nothing to undo', { next: 'serve it with eval "$(anwbis env --server -p PROJECT -e ENV -r ROLE)"' });
  }
  const set: Array<[string, string]> = [];
  const unset = [URI, TOKEN, 'ANWBIS_PROFILE', SERVED_SHELL_FILES.credentials, SERVED_SHELL_FILES.config];
  // A file that is where the AWS tools look by default goes back to being unset.
  const restore = (name: string, path: string, byDefault: string) => (path === byDefault ? unset.push(name) : set.push([name, path]));
  const defaults = { HOME: env.HOME };
  restore('AWS_SHARED_CREDENTIALS_FILE', credentials, credentialsFilePath(defaults));
  restore('AWS_CONFIG_FILE', config, configFilePath(defaults));
  return { set, unset };
}

/** How a person ends the serving in `shell`. */
export function unsetCommand(shell: Shell): string {
  if (shell === 'fish') return 'anwbis env --unset --shell fish | source';
  if (shell === 'powershell') return 'anwbis env --unset --shell powershell | Invoke-Expression';
  return `eval "$(anwbis env --unset${shell === 'zsh' ? ' --shell zsh' : ''})"`;
}

/**
 * The listener (`anwbis __serve-shell`): reads its request on stdin, serves the endpoint, answers
 * once on stdout, and runs until the shell has exited, the shell's `anwbis env --unset` ends it,
 * or it is signalled; then it releases the grant and removes the config copy.
 */
export async function runListener(): Promise<void> {
  const reply = (answer: ListenerReply) => new Promise<void>((resolve) => process.stdout.end(JSON.stringify(answer), () => resolve()));
  let end: () => void = () => undefined;
  const ended = new Promise<void>((resolve) => (end = resolve));
  let cleanup: () => Promise<void> = async () => undefined;
  try {
    const input = await readRequest();
    const shellStart = startTime(input.shell);
    if (signalable(input.shell) !== 'yes') throw new AnwbisError('usage', `the shell (pid ${input.shell}) has ended`);
    const config = await configCopy(process.env);
    cleanup = config.remove;
    const client = await DaemonClient.connect(process.env, { client: CLIENT, timeoutMs: 10_000 });
    try {
      await holdOn(client, input.spec);
    } catch (err) {
      client.close();
      throw err;
    }
    const held = new HeldGrant(input.spec, client, CLIENT);
    const server = await startCredentialServer(() => held.fetch(), { onEnd: () => end() });
    cleanup = async () => {
      held.end();
      await Promise.all([server.close(), config.remove()]);
    };
    const endpoint = server.grant(input.spec.profile);
    await reply({ url: endpoint.uri, token: endpoint.token, config: config.path, pid: process.pid });
    const poll = setInterval(() => {
      if (signalable(input.shell) !== 'yes' || startTime(input.shell) !== shellStart) end();
    }, SHELL_POLL_MS);
    for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(signal, () => end());
    await ended;
    clearInterval(poll);
  } catch (err) {
    const e = err instanceof AnwbisError ? { kind: err.kind, message: err.message, ...(err.next ? { next: err.next } : {}) } : { kind: 'config', message: `the credential listener failed: ${(err as Error).message}` };
    // stdout is closed once the endpoint was announced: a later failure has nobody to tell.
    if (process.stdout.writable) await reply({ error: e });
  } finally {
    await cleanup();
  }
}

async function readRequest(): Promise<ListenerRequest> {
  let text = '';
  for await (const chunk of process.stdin.setEncoding('utf8')) text += chunk as string;
  const parsed = JSON.parse(text) as { spec?: unknown; shell?: unknown };
  if (typeof parsed.shell !== 'number' || !Number.isInteger(parsed.shell) || parsed.shell <= 1) throw new AnwbisError('usage', 'the listener was given no shell pid');
  return { spec: watchSpecSchema.parse(parsed.spec) as WatchSpec, shell: parsed.shell };
}
