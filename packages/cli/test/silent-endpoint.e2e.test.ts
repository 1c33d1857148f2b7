import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer, type Server, type Socket } from 'node:net';
import { createSandbox, runAnwbis, type Sandbox } from '@anwbis/tools/emulator';

/** Accepts every connection and never answers, like a black-holed proxy or a stuck load balancer. */
let server: Server;
const sockets = new Set<Socket>();
let endpoint: string;
let sandbox: Sandbox;

beforeAll(async () => {
  server = createServer((socket) => {
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
});
