import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { fakeAws } from '@anwbis/core/testing';
import type { WarmEngine } from './engine.js';
import { ForwardedFailure, forwardToDaemon, NotForwarded, type ForwardAsk } from './forward-client.js';
import { registerForwarding } from './forward-handlers.js';
import { FORWARD_METHODS } from './forward-protocol.js';
import { RpcServer, type DaemonApi } from './server.js';

const TOKEN = 'b'.repeat(64);
let dir: string;
let env: Record<string, string>;
let net: Server;
let lines: string[];

/** A fake engine: every port is the fake AWS, and verbose lines are what the test sees. */
const aws = fakeAws();
const engine: WarmEngine = { createAws: () => () => aws.port, portsOf: () => () => aws.port, logging: (_log, work) => work(), warmUp: () => undefined };

async function serve(limit?: number): Promise<void> {
  const server = new RpcServer({ version: 'test', methods: {} } as unknown as DaemonApi, TOKEN);
  registerForwarding(server, { home: env.ANWBIS_HOME!, log: { info: (line) => lines.push(line), warn: (line) => lines.push(line) }, engine, ...(limit ? { limit } : {}) });
  net = createServer((socket) => server.accept(socket));
  const socketDir = join(env.XDG_RUNTIME_DIR!, 'anwbis');
  mkdirSync(socketDir, { mode: 0o700 });
  writeFileSync(join(socketDir, 'daemon.token'), TOKEN, { mode: 0o600 });
  await new Promise<void>((resolve) => net.listen(join(socketDir, 'daemon.sock'), resolve));
}

beforeEach(() => {
  // Short: a Unix socket path is limited to about 107 bytes.
  dir = mkdtempSync('/tmp/anwf-');
  chmodSync(dir, 0o700);
  writeFileSync(join(dir, 'credentials'), '[default]\naws_access_key_id = AKIACORP\naws_secret_access_key = corp/secret\n', { mode: 0o600 });
  writeFileSync(join(dir, 'config'), '[default]\nregion = eu-west-1\n', { mode: 0o600 });
  env = { HOME: dir, ANWBIS_HOME: join(dir, 'home'), XDG_RUNTIME_DIR: dir, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_CONFIG_FILE: join(dir, 'config') };
  lines = [];
});
afterEach(async () => {
  await new Promise((resolve) => net?.close(resolve));
  rmSync(dir, { recursive: true, force: true });
});

const context = (over: Record<string, unknown> = {}) => ({ env, uid: process.getuid!(), verbose: false, mfa: { stdin: false, interactive: true }, ...over });
const session = (handlers: { onAsk: (ask: ForwardAsk) => Promise<string | undefined>; onEvent?: (e: Record<string, unknown>) => void }, over: Record<string, unknown> = {}) =>
  forwardToDaemon(env, FORWARD_METHODS.session, { request: { durationSeconds: 3600 }, context: context(over) }, { onEvent: handlers.onEvent ?? (() => undefined), ...handlers }, 'test');

describe('session.run: core runs in the daemon, the client answers and prints', () => {
  it('asks the client for the code, sends it the events, writes the corp session and answers its credentials', async () => {
    await serve();
    const asked: ForwardAsk[] = [];
    const events: Array<Record<string, unknown>> = [];
    const result = (await session({ onAsk: async (ask) => (asked.push(ask), '654321'), onEvent: (e) => events.push(e) })) as { profile: string; credentials: { accessKeyId: string } };
    expect(asked).toEqual([{ kind: 'prompt', question: expect.stringContaining('MFA code') }]);
    expect(aws.sessions.at(-1)).toMatchObject({ tokenCode: '654321' });
    expect(events.map((e) => e.type)).toContain('written');
    expect(result).toMatchObject({ profile: 'corp-session-default', reused: false, credentials: { accessKeyId: expect.stringMatching(/^ASIASESSION/) } });
    expect(readFileSync(join(dir, 'credentials'), 'utf8')).toContain('[corp-session-default]');
    expect(lines.join('\n')).not.toContain('654321');
  });

  it("core's refusal comes back as a failure with its kind and next step, not as a fall-back", async () => {
    await serve();
    const failure = await session({ onAsk: async () => undefined }, { mfa: { flag: '12345', stdin: false, interactive: true } }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ForwardedFailure);
    expect(failure).toMatchObject({ kind: 'mfa', message: expect.stringContaining('not six digits') });
  });

  it('declines another ANWBIS_HOME and another user: the client does the work itself', async () => {
    await serve();
    const never = async () => {
      throw new Error('not asked');
    };
    await expect(session({ onAsk: never }, { env: { ...env, ANWBIS_HOME: join(dir, 'other') } })).rejects.toBeInstanceOf(NotForwarded);
    await expect(session({ onAsk: never }, { uid: process.getuid!() + 1 })).rejects.toBeInstanceOf(NotForwarded);
  });

  it('past its limit of requests at once the daemon is busy, and the client falls back', async () => {
    await serve(1);
    let answer!: (code: string) => void;
    let asked!: () => void;
    const waiting = new Promise<void>((resolve) => (asked = resolve));
    const first = session({ onAsk: () => (asked(), new Promise((resolve) => (answer = resolve))) });
    await waiting;
    await expect(session({ onAsk: async () => '111111' })).rejects.toBeInstanceOf(NotForwarded);
    answer('222222');
    await expect(first).resolves.toMatchObject({ profile: 'corp-session-default' });
  });

  it('a question is answered only on the connection it was asked on', async () => {
    await serve();
    let release!: (code: string) => void;
    let askedId!: () => void;
    const waiting = new Promise<void>((resolve) => (askedId = resolve));
    const first = session({ onAsk: () => (askedId(), new Promise((resolve) => (release = resolve))) });
    await waiting;
    const other = connect(join(dir, 'anwbis', 'daemon.sock'));
    const answered = new Promise<string>((resolve) => {
      let text = '';
      other.setEncoding('utf8').on('data', (d: string) => {
        text += d;
        if (text.split('\n').length > 2) resolve(text);
      });
    });
    other.write(`${JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'hello', params: { token: TOKEN, protocol: 1 } })}\n${JSON.stringify({ jsonrpc: '2.0', id: 2, method: FORWARD_METHODS.answer, params: { ask: 1, value: '333333' } })}\n`);
    expect(await answered).toContain('nothing on this connection waits for answer 1');
    other.destroy();
    release('444444');
    await first;
    expect(aws.sessions.at(-1)).toMatchObject({ tokenCode: '444444' });
  });
});

describe('the client without a daemon that takes the work', () => {
  it('no daemon at all: NotForwarded, at once', async () => {
    await expect(session({ onAsk: async () => undefined })).rejects.toBeInstanceOf(NotForwarded);
  });

  it('an older daemon (no such method): NotForwarded', async () => {
    const server = new RpcServer({ version: 'old', methods: {} } as unknown as DaemonApi, TOKEN);
    net = createServer((socket) => server.accept(socket));
    const socketDir = join(dir, 'anwbis');
    mkdirSync(socketDir, { mode: 0o700 });
    writeFileSync(join(socketDir, 'daemon.token'), TOKEN, { mode: 0o600 });
    await new Promise<void>((resolve) => net.listen(join(socketDir, 'daemon.sock'), resolve));
    await expect(session({ onAsk: async () => undefined })).rejects.toBeInstanceOf(NotForwarded);
  });
});
