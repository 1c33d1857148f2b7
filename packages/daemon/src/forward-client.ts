/**
 * The client of the forwarded methods (`assume.run`, `session.run`) with nothing but Node's own
 * modules: the CLI's bundles load it before deciding to do the work themselves, so it must not
 * load zod, json-rpc-2.0 or the SDK. Anything short of the daemon's answer about the work itself
 * (no daemon, an older one, a refusal, a busy one, a connection that closes first) is
 * {@link NotForwarded}: the caller then does the work as if no daemon ran.
 */
import { readFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { DECLINED, FORWARD_METHODS, FORWARD_NOTIFICATIONS, type ForwardAsk } from './forward-protocol.js';
import { MAX_LINE_BYTES, PROTOCOL_VERSION } from './protocol-version.js';
import { daemonSocketPath, privateDirProblem, tokenPathFor } from './socket-path.js';

export { FORWARD_METHODS, type ForwardAsk, type ForwardContext, type ForwardMfa } from './forward-protocol.js';

/** The daemon did not take the work; the caller does it itself. */
export class NotForwarded extends Error {
  override readonly name = 'NotForwarded';
}

/** The daemon did the work and it failed: its message for a person, as core's error family gives it. */
export class ForwardedFailure extends Error {
  override readonly name = 'ForwardedFailure';
  constructor(
    message: string,
    readonly kind: string | undefined,
    readonly next: string | undefined,
  ) {
    super(message);
  }
}

export interface ForwardHandlers {
  /** A core event of the flow, as JSON (times as ISO strings). */
  onEvent(event: Record<string, unknown>): void;
  /** What the flow asks for (an MFA code, a passphrase); undefined when the source has none. A throw ends the request. */
  onAsk(ask: ForwardAsk): Promise<string | undefined>;
}

/** Answer of `hello` not in this time: the daemon is taken for not running. The work itself has no limit here (the daemon's AWS calls have theirs). */
const HELLO_TIMEOUT_MS = 2000;

/** Codes that mean "not done, do it yourself": unknown method (an older daemon), invalid params, auth, protocol, busy, declined. */
const FALL_BACK = new Set([-32601, -32602, -32600, -32001, -32002, -32005, DECLINED]);

interface Message {
  id?: unknown;
  method?: unknown;
  params?: unknown;
  result?: unknown;
  error?: { code?: unknown; message?: unknown; data?: { kind?: unknown; next?: unknown } };
}

/**
 * Runs a forwarded method on the daemon: hello, then the request once hello is answered (so that
 * a daemon that does not answer in time has been sent no work), events and questions handled as
 * they come. Resolves with the result; rejects with {@link NotForwarded},
 * {@link ForwardedFailure}, or what `onAsk` threw.
 */
export function forwardToDaemon(env: Readonly<Record<string, string | undefined>>, method: string, params: unknown, handlers: ForwardHandlers, client: string): Promise<unknown> {
  let token: string;
  const socketPath = daemonSocketPath(env);
  try {
    const problem = privateDirProblem(dirname(socketPath));
    if (problem) return Promise.reject(new NotForwarded(`refusing the daemon's directory: ${problem}`));
    token = readFileSync(tokenPathFor(socketPath), 'utf8').trim();
  } catch (err) {
    return Promise.reject(new NotForwarded(`no daemon: ${(err as Error).message}`));
  }
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(socketPath);
    let sent = false;
    let settled = false;
    let nextId = 3;
    const finish = (error: Error | undefined, result?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      // Answered: a half-close that the daemon completes and that keeps no process alive. destroy()
      // costs a client that exits right after about 2 ms more, the first time a process runs it.
      if (error) {
        socket.destroy();
        reject(error);
      } else {
        socket.unref().end();
        resolve(result);
      }
    };
    const timer = setTimeout(() => finish(new NotForwarded(`the daemon did not answer hello within ${HELLO_TIMEOUT_MS} ms`)), HELLO_TIMEOUT_MS);
    const write = (message: object) => socket.write(`${JSON.stringify({ jsonrpc: '2.0', ...message })}\n`);
    const onMessage = (message: Message) => {
      if (message.method === FORWARD_NOTIFICATIONS.event) return handlers.onEvent((message.params as { event: Record<string, unknown> }).event);
      if (message.method === FORWARD_NOTIFICATIONS.ask) {
        const { ask, ...question } = message.params as { ask: number } & ForwardAsk;
        handlers.onAsk(question as ForwardAsk).then(
          (value) => write({ id: nextId++, method: FORWARD_METHODS.answer, params: { ask, value: value ?? null } }),
          (err: unknown) => finish(err instanceof Error ? err : new Error(String(err))),
        );
        return;
      }
      if (message.id === 1) {
        if (message.error) return finish(new NotForwarded(`the daemon refused hello: ${String(message.error.message)}`));
        clearTimeout(timer);
        sent = true;
        return void write({ id: 2, method, params });
      }
      if (message.id !== 2) return;
      const error = message.error;
      if (!error) return finish(undefined, message.result);
      const text = typeof error.message === 'string' ? error.message : 'the daemon refused';
      if (typeof error.code !== 'number' || FALL_BACK.has(error.code)) return finish(new NotForwarded(text));
      const kind = typeof error.data?.kind === 'string' ? error.data.kind : undefined;
      const next = typeof error.data?.next === 'string' ? error.data.next : undefined;
      finish(new ForwardedFailure(text, kind, next));
    };
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > MAX_LINE_BYTES) return finish(new NotForwarded('the daemon sent an oversized line'));
      for (let nl = buffer.indexOf('\n'); nl !== -1 && !settled; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        let message: Message;
        try {
          message = JSON.parse(line) as Message;
        } catch {
          return finish(new NotForwarded('the daemon sent a line that is not JSON'));
        }
        onMessage(message);
      }
    });
    socket.once('error', (err) => finish(new NotForwarded(`the daemon's socket: ${err.message}`)));
    socket.once('close', () => finish(new NotForwarded(sent ? 'the daemon closed the connection before it answered' : 'the daemon closed the connection')));
    write({ id: 1, method: 'hello', params: { token, protocol: PROTOCOL_VERSION, client } });
  });
}
