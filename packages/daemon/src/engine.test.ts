import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { coreBackend } from './backend.js';
import { endpointSettingsOf, warmEngine } from './engine.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'anwbis-engine-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('endpointSettingsOf: the endpoints a request asks for, from its own environment', () => {
  const config = (text?: string) => {
    const path = join(dir, 'config');
    if (text !== undefined) writeFileSync(path, text);
    return path;
  };
  it.each([
    ['nothing set: AWS', {}, { sts: undefined, iam: undefined, useFips: false, useDualstack: false }],
    ['one URL for all', { AWS_ENDPOINT_URL: 'http://a' }, { sts: 'http://a', iam: 'http://a', useFips: false, useDualstack: false }],
    ['a service URL before the general one', { AWS_ENDPOINT_URL: 'http://a', AWS_ENDPOINT_URL_STS: 'http://s' }, { sts: 'http://s', iam: 'http://a', useFips: false, useDualstack: false }],
    ['URLs ignored when asked to', { AWS_ENDPOINT_URL: 'http://a', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' }, { sts: undefined, iam: undefined, useFips: false, useDualstack: false }],
    ['FIPS and dual-stack', { AWS_USE_FIPS_ENDPOINT: 'true', AWS_USE_DUALSTACK_ENDPOINT: 'TRUE' }, { sts: undefined, iam: undefined, useFips: true, useDualstack: true }],
  ])('%s', (_name, vars, expected) => {
    expect(endpointSettingsOf({ AWS_CONFIG_FILE: config('[default]\nregion = eu-west-1\n'), ...vars })).toEqual(expected);
  });
  it('a config file that sets endpoints is left to the CLI (undefined)', () => {
    expect(endpointSettingsOf({ AWS_CONFIG_FILE: config('[default]\nendpoint_url = http://x\n') })).toBeUndefined();
    expect(endpointSettingsOf({ AWS_CONFIG_FILE: config('[profile p]\nservices = local\n') })).toBeUndefined();
    expect(endpointSettingsOf({ AWS_USE_FIPS_ENDPOINT: 'yes', AWS_CONFIG_FILE: config() })).toBeUndefined();
  });
});

/** STS as far as GetCallerIdentity goes, counting connections and requests. */
async function fakeSts(): Promise<{ url: string; connections: () => number; requests: () => number; close: () => Promise<void> }> {
  let connections = 0;
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests++;
    req.resume().on('end', () => {
      res.setHeader('content-type', 'text/xml');
      res.end(
        '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult><Arn>arn:aws:iam::111111111111:user/alice</Arn><UserId>AIDA</UserId><Account>111111111111</Account></GetCallerIdentityResult><ResponseMetadata><RequestId>1</RequestId></ResponseMetadata></GetCallerIdentityResponse>',
      );
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    requests: () => requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('warmEngine', () => {
  const saved = process.env.AWS_ENDPOINT_URL;
  afterEach(() => {
    if (saved === undefined) delete process.env.AWS_ENDPOINT_URL;
    else process.env.AWS_ENDPOINT_URL = saved;
  });

  it('requests of two corp users at one endpoint share one kept-alive connection; each request goes to its own endpoint, not the daemon environment’s', async () => {
    // The daemon's own environment points nowhere: only the requests' settings may count.
    process.env.AWS_ENDPOINT_URL = 'http://127.0.0.1:9';
    const [a, b] = [await fakeSts(), await fakeSts()];
    try {
      const engine = warmEngine();
      const atA = engine.createAws({ sts: a.url, iam: a.url, useFips: false, useDualstack: false });
      await atA({ credentials: { accessKeyId: 'AKIA1', secretAccessKey: 's1' }, region: 'eu-west-1' }).getCallerIdentity();
      await atA({ credentials: { accessKeyId: 'AKIA2', secretAccessKey: 's2' }, region: 'eu-west-1' }).getCallerIdentity();
      await atA({ credentials: { accessKeyId: 'AKIA1', secretAccessKey: 's1' }, region: 'eu-west-1' }).getCallerIdentity();
      expect({ requests: a.requests(), connections: a.connections() }).toEqual({ requests: 3, connections: 1 });
      const atB = engine.createAws({ sts: b.url, iam: b.url, useFips: false, useDualstack: false });
      await atB({ credentials: { accessKeyId: 'AKIA1', secretAccessKey: 's1' }, region: 'eu-west-1' }).getCallerIdentity();
      expect(b.requests()).toBe(1);
      expect(a.requests()).toBe(3);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("each request's verbose lines go to that request, also when two share a client", async () => {
    const sts = await fakeSts();
    try {
      const engine = warmEngine();
      const port = () => engine.createAws({ sts: sts.url, iam: sts.url, useFips: false, useDualstack: false })({ credentials: { accessKeyId: 'AKIA1', secretAccessKey: 's1' }, region: 'eu-west-1' });
      const first: string[] = [];
      const second: string[] = [];
      await Promise.all([
        engine.logging((line) => first.push(line), () => port().getCallerIdentity()),
        engine.logging((line) => second.push(line), async () => (await port().getCallerIdentity(), await port().getCallerIdentity())),
        engine.logging(undefined, () => port().getCallerIdentity()),
      ]);
      expect(first).toHaveLength(1);
      expect(second).toHaveLength(2);
      expect(first[0]).toMatch(/^sts:GetCallerIdentity \{\} -> ok in \d+ ms$/);
    } finally {
      await sts.close();
    }
  });
});

describe("the daemon's own AWS calls and forwarded ones", () => {
  // The daemon's backend reads its own process's environment, as the daemon does.
  const names = ['AWS_ENDPOINT_URL', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_CONFIG_FILE'] as const;
  const saved = names.map((name) => process.env[name]);
  afterEach(() =>
    names.forEach((name, i) => {
      if (saved[i] === undefined) delete process.env[name];
      else process.env[name] = saved[i];
    }),
  );

  it('a corp-session unlock by the backend and a forwarded request at the same endpoint share one kept-alive connection (a credential-process miss after a forwarded assume opened a second one)', async () => {
    const sts = await fakeSts();
    // Where the SDK of a backend without the engine would go: the same endpoint, never AWS.
    process.env.AWS_ENDPOINT_URL = sts.url;
    try {
      writeFileSync(join(dir, 'credentials'), '[default]\naws_access_key_id = AKIACORP\naws_secret_access_key = corp-secret\n', { mode: 0o600 });
      const env = { HOME: dir, ANWBIS_HOME: join(dir, 'home'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_CONFIG_FILE: join(dir, 'config'), AWS_ENDPOINT_URL: sts.url, AWS_REGION: 'eu-west-1' };
      Object.assign(process.env, { AWS_SHARED_CREDENTIALS_FILE: env.AWS_SHARED_CREDENTIALS_FILE, AWS_CONFIG_FILE: env.AWS_CONFIG_FILE });
      const engine = warmEngine();
      // The fake answers every call as GetCallerIdentity: the unlock fails after its first call, which is all this needs.
      await coreBackend(env, engine).unlock('default', '123456').catch(() => undefined);
      expect(sts.requests()).toBeGreaterThan(0);
      // Its calls run side by side, each on a connection of its own; they stay open.
      const opened = sts.connections();
      await engine.createAws({ sts: sts.url, iam: sts.url, useFips: false, useDualstack: false })({ credentials: { accessKeyId: 'AKIA2', secretAccessKey: 's2' }, region: 'eu-west-1' }).getCallerIdentity();
      expect(sts.connections()).toBe(opened);
    } finally {
      await sts.close();
    }
  });
});
