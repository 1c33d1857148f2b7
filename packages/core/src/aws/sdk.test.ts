import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadSharedConfigFiles } from '@smithy/shared-ini-file-loader';
import { explainAwsError } from '../errors/explain-aws.js';
import { AwsCallError } from './port.js';
import { createSdkPort } from './sdk.js';
import { widenSharedFilesForSdk } from './sdk-shared-files.js';

/** A loopback server that runs `onConnection` for each connection; stop() also ends the connections it holds. */
async function loopback(onConnection: (socket: Socket) => void): Promise<{ url: string; connections: () => number; stop: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server: Server = createServer((socket) => {
    count++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/`,
    connections: () => count,
    stop: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

const credentials = { accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'secret-example' };
const SDK_ENV = ['AWS_ENDPOINT_URL', 'AWS_ENDPOINT_URL_STS', 'AWS_ENDPOINT_URL_IAM', 'AWS_CONFIG_FILE', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_PROFILE'] as const;

/** The SDK reads its endpoints from the environment, as in real use; each test sets its own and puts the old back. */
let saved: Record<string, string | undefined>;
beforeEach(() => {
  saved = Object.fromEntries(SDK_ENV.map((k) => [k, process.env[k]]));
  for (const k of SDK_ENV) delete process.env[k];
  process.env.AWS_CONFIG_FILE = '/nonexistent/anwbis-test-config';
  process.env.AWS_SHARED_CREDENTIALS_FILE = '/nonexistent/anwbis-test-credentials';
});
afterEach(() => {
  for (const k of SDK_ENV) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});

async function rejection(promise: Promise<unknown>): Promise<AwsCallError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AwsCallError) return error;
    throw error;
  }
  throw new Error('expected an AwsCallError');
}

describe('createSdkPort against an endpoint that does not answer', () => {
  it('an endpoint that accepts and never answers no longer hangs anwbis forever: the call fails naming the URL', async () => {
    const silent = await loopback(() => undefined);
    try {
      process.env.AWS_ENDPOINT_URL_STS = silent.url;
      const aws = createSdkPort({ credentials, region: 'eu-west-1', timeoutMs: 900 });
      const error = await rejection(aws.getCallerIdentity());
      expect(error).toMatchObject({ operation: 'sts:GetCallerIdentity', code: 'Network' });
      expect(error.message).toBe(`${silent.url} did not answer within 0.9 s (3 attempts)`);
      expect(silent.connections()).toBeGreaterThanOrEqual(1);
      const explained = explainAwsError(error, 'checking who you are');
      expect(explained.kind).toBe('aws');
      expect(explained.exitCode).toBe(6);
      expect(explained.message).toBe(`checking who you are failed: AWS could not be reached (${silent.url} did not answer within 0.9 s (3 attempts))`);
    } finally {
      await silent.stop();
    }
  });

  it('names the endpoint of AWS_ENDPOINT_URL for IAM too', async () => {
    const silent = await loopback(() => undefined);
    try {
      process.env.AWS_ENDPOINT_URL = silent.url;
      const aws = createSdkPort({ credentials, region: 'eu-west-1', timeoutMs: 900 });
      const error = await rejection(aws.listMfaDevices('alice'));
      expect(error).toMatchObject({ operation: 'iam:ListMFADevices', code: 'Network', message: `${silent.url} did not answer within 0.9 s (3 attempts)` });
    } finally {
      await silent.stop();
    }
  });

  it('an answer that stops half way fails too', async () => {
    const stalled = await loopback((socket) => {
      socket.once('data', () => socket.write('HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: 4096\r\n\r\n<GetCallerIdentityResponse>'));
    });
    try {
      process.env.AWS_ENDPOINT_URL_STS = stalled.url;
      const aws = createSdkPort({ credentials, region: 'eu-west-1', timeoutMs: 900 });
      const error = await rejection(aws.getCallerIdentity());
      expect(error).toMatchObject({ code: 'Network', message: `${stalled.url} did not answer within 0.9 s (3 attempts)` });
    } finally {
      await stalled.stop();
    }
  });
});

describe('createSdkPort with hostile error text', () => {
  it('AWS error text no longer reaches the terminal raw: escape sequences and bidi overrides are shown escaped', async () => {
    const body =
      '<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>AccessDenied</Code>' +
      '<Message>not authorized\x1b[2J\x1b]0;owned\x07 to \u202Eelor\u2066 assume</Message></Error><RequestId>r-1</RequestId></ErrorResponse>';
    const server = createHttpServer((req, res) => {
      req.resume();
      res.writeHead(403, { 'content-type': 'text/xml' }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      process.env.AWS_ENDPOINT_URL_STS = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
      const aws = createSdkPort({ credentials, region: 'eu-west-1', timeoutMs: 5000 });
      const error = await rejection(aws.getCallerIdentity());
      expect(error).toMatchObject({ code: 'AccessDenied', status: 403 });
      expect(error.message).toBe('not authorized\\x1b[2J\\x1b]0;owned\\x07 to \\u202eelor\\u2066 assume');
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('createSdkPort handing the SDK narrowed shared files', () => {
  // #22: each client read and cut both AWS files again, so a cold assume read them twice.
  it('reads the AWS files once for all its clients, and hands the copies to each as it is made', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'anwbis-sdk-'));
    const server = createHttpServer((req, res) => {
      req.resume();
      res.writeHead(403, { 'content-type': 'text/xml' }).end('<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>no</Message></Error></ErrorResponse>');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      process.env.AWS_ENDPOINT_URL = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
      process.env.AWS_CONFIG_FILE = join(dir, 'config');
      process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
      writeFileSync(process.env.AWS_CONFIG_FILE, '[default]\nregion = eu-west-1\n\n[profile other]\nregion = eu-west-3\n');
      const aws = createSdkPort({ credentials, region: 'eu-west-1', timeoutMs: 5000, narrowSharedFiles: true });
      expect(await rejection(aws.getCallerIdentity())).toMatchObject({ code: 'AccessDenied' });
      // Changed on disk, and the SDK given the whole files, between the STS client and the IAM one.
      writeFileSync(process.env.AWS_CONFIG_FILE, '[default]\nregion = eu-west-2\n');
      widenSharedFilesForSdk();
      expect(await rejection(aws.listMfaDevices())).toMatchObject({ code: 'AccessDenied' });
      expect((await loadSharedConfigFiles({ ignoreCache: true })).configFile).toEqual({ default: { region: 'eu-west-1' } });
    } finally {
      widenSharedFilesForSdk();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
