import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { createSandbox, runAnwbis, type Sandbox } from '@anwbis/tools/emulator';
import { waitFor } from './helpers.js';

/** Accepts every connection and never answers, like a black-holed proxy or a stuck load balancer. */
let server: Server;
const sockets = new Set<Socket>();
let connections = 0;
let endpoint: string;
let sandbox: Sandbox;

beforeAll(async () => {
  server = createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  sandbox = createSandbox({
    endpoint,
    profiles: { default: { name: 'alice', arn: 'arn:aws:iam::111111111111:user/alice', accessKeyId: 'AKIAEXAMPLEEXAMPLE', secretAccessKey: 'secret-example' } },
  });
});
afterAll(async () => {
  sandbox?.remove();
  for (const s of sockets) s.destroy();
  await new Promise((resolve) => server?.close(resolve));
});

describe('an AWS endpoint that accepts and never answers', () => {
  it(
    'no longer hangs anwbis forever: it exits 6 naming the endpoint that did not answer',
    async () => {
      const res = await runAnwbis(['-p', 'datalab', '-e', 'dev', '-r', 'admin', '--mfa-code', '123456'], { env: sandbox.env, timeoutMs: 110_000 });
      expect(res.signal).toBeNull();
      expect(res.stderr).toContain(`AWS could not be reached (${endpoint} did not answer within 30 s (3 attempts))`);
      expect(res.stderr).toContain('check the network, proxy or AWS_ENDPOINT_URL settings and try again');
      expect(res.stderr).not.toMatch(/requestTimeout|\[ BUG \]/);
      expect(res.stdout).toBe('');
      expect(res.code).toBe(6);
    },
    120_000,
  );

  it(
    'credential-process callers waiting behind a holder that found it silent no longer try in turn, 30 s each: they get its error',
    async () => {
      // A valid corp session, as `anwbis session` leaves it, so that no caller needs an MFA code.
      const expiration = new Date(Date.now() + 3_600_000).toISOString();
      sandbox.write('credentials', `${sandbox.read('credentials')}\n[corp-session-default]\naws_access_key_id = ASIAEXAMPLESESSION01\naws_secret_access_key = session-secret\naws_session_token = session-token\n`);
      mkdirSync(join(sandbox.anwbisHome, 'profiles'), { recursive: true, mode: 0o700 });
      const record = { version: 1, profile: 'corp-session-default', kind: 'session', accessKeyId: 'ASIAEXAMPLESESSION01', expiration, region: 'eu-west-1', sourceProfile: 'default' };
      writeFileSync(join(sandbox.anwbisHome, 'profiles', 'corp-session-default.json'), JSON.stringify(record), { mode: 0o600 });
      const call = () => runAnwbis(['credential-process', '-p', 'datalab', '-e', 'dev', '-r', 'admin'], { env: sandbox.env, timeoutMs: 200_000 });

      // What one caller alone costs the endpoint: its attempts, each on new connections.
      connections = 0;
      expect((await call()).code).toBe(6);
      const alone = connections;
      expect(alone).toBeGreaterThan(0);

      connections = 0;
      const holder = call();
      // The holder is in its first attempt, which the endpoint leaves unanswered for 10 s.
      await waitFor('the holder to reach the endpoint', () => connections > 0, 60_000);
      const waiters = [call(), call(), call()];
      const results = await Promise.all([holder, ...waiters]);

      for (const res of results) {
        expect({ code: res.code, stdout: res.stdout, stderr: res.stderr }).toEqual({
          code: 6,
          stdout: '',
          stderr: expect.stringContaining(`AWS could not be reached (${endpoint} did not answer within 30 s (3 attempts))`),
        });
      }
      // The holder's attempts and no others: each waiter used to make its own, one after another.
      expect(connections).toBe(alone);
    },
    240_000,
  );
});

