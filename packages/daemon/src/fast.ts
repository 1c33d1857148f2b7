/**
 * One request to the daemon with nothing but Node's own modules, for the credential-process
 * fast path: it starts with every AWS client, so it must not load zod, json-rpc-2.0 or the SDK.
 * Every failure (no daemon, a refused directory, an error answer, no answer in time) throws;
 * the caller then does the work itself.
 */
import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname } from 'node:path';
import { MAX_LINE_BYTES, PROTOCOL_VERSION } from './protocol-version.js';
import { daemonSocketPath, privateDirProblem, tokenPathFor } from './socket-path.js';

/** Where the daemon listens: bin/run.js offers it a plain assume only when its socket is there. */
export { daemonSocketPath } from './socket-path.js';

/** What `credentials.provide` is asked: a type only, so the fast path loads nothing for it. */
export type { ProvideRequest } from './backend.js';

/** Sends `hello` and one request on a new connection; resolves with the result. */
export async function requestDaemonOnce(env: Readonly<Record<string, string | undefined>>, method: string, params: unknown, options: { timeoutMs: number; client: string }): Promise<unknown> {
  const socketPath = daemonSocketPath(env);
  const problem = privateDirProblem(dirname(socketPath));
  if (problem) throw new Error(`refusing the daemon's directory: ${problem}`);
  const token = readFileSync(tokenPathFor(socketPath), 'utf8').trim();
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    const timer = setTimeout(() => finish(new Error(`no answer from the daemon within ${options.timeoutMs} ms`)), options.timeoutMs);
    const finish = (error: Error | undefined, result?: unknown) => {
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(result);
    };
    let buffer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      if (buffer.length > MAX_LINE_BYTES) return finish(new Error('the daemon sent an oversized line'));
      for (let nl = buffer.indexOf('\n'); nl !== -1; nl = buffer.indexOf('\n')) {
        let message: { id?: unknown; result?: unknown; error?: { message?: string } };
        try {
          message = JSON.parse(buffer.slice(0, nl));
        } catch {
          return finish(new Error('the daemon sent a line that is not JSON'));
        }
        buffer = buffer.slice(nl + 1);
        if (message.error) return finish(new Error(message.error.message ?? 'the daemon refused'));
        if (message.id === 2) return finish(undefined, message.result);
      }
    });
    socket.once('error', (err) => finish(err));
    socket.once('close', () => finish(new Error('the daemon closed the connection')));
    // The daemon reads lines in order: the request may follow hello at once.
    socket.write(
      `${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'hello', params: { token, protocol: PROTOCOL_VERSION, client: options.client } })}\n` +
        `${JSON.stringify({ jsonrpc: '2.0', id: 2, method, params })}\n`,
    );
  });
}
