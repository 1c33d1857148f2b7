import { describe, it, expect } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AnwbisError } from '../errors/errors.js';
import { consoleLoginUrl, getSigninToken, type FetchLike } from './signin.js';
import { rejectedAnwbisError } from '../testing/caught.js';

const credentials = {
  accessKeyId: 'ASIASECRETID',
  secretAccessKey: 'very+secret/key=',
  sessionToken: 'very+secret/token==',
};
const SECRETS = [credentials.secretAccessKey, credentials.sessionToken, encodeURIComponent(credentials.secretAccessKey), 'Session='];
const ENDPOINT = 'https://signin.aws.amazon.com/federation';

interface Call {
  readonly url: string;
  readonly init: RequestInit;
}

function fakeFetch(answer: (call: Call) => Response | Promise<Response>): FetchLike & { calls: Call[] } {
  const calls: Call[] = [];
  const fn = async (url: string, init: RequestInit) => {
    const call = { url, init };
    calls.push(call);
    return answer(call);
  };
  return Object.assign(fn, { calls });
}

function expectNoSecrets(error: AnwbisError): void {
  for (const text of [error.message, error.next ?? '', String(error.cause ?? '')]) {
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  }
}

describe('getSigninToken', () => {
  it('GETs the sign-in token URL without following redirects and returns the token', async () => {
    const fetch = fakeFetch(() => Response.json({ SigninToken: 'TOKEN+/=' }));
    const token = await getSigninToken(ENDPOINT, credentials, { fetch, timeoutMs: 1000, sessionDuration: 3600 });
    expect(token).toBe('TOKEN+/=');
    expect(fetch.calls).toHaveLength(1);
    const { url, init } = fetch.calls[0]!;
    const sent = new URL(url);
    expect(sent.origin + sent.pathname).toBe(ENDPOINT);
    expect(sent.searchParams.get('Action')).toBe('getSigninToken');
    expect(sent.searchParams.get('SessionDuration')).toBe('3600');
    expect(JSON.parse(sent.searchParams.get('Session')!)).toEqual({
      sessionId: credentials.accessKeyId,
      sessionKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
    });
    expect(init.method).toBe('GET');
    expect(init.redirect).toBe('manual');
    expect(init.signal).toBeInstanceOf(AbortSignal);
  });

  it.each([
    [400, /HTTP 400/, /GetSessionToken or long-term keys/],
    [403, /HTTP 403/, /AssumeRole/],
    [302, /HTTP 302/, /try again/],
    [500, /HTTP 500/, /try again later/],
  ])('reports HTTP %i without repeating the request', async (status, message, next) => {
    const fetch = fakeFetch(() => new Response(`<html>${credentials.secretAccessKey}</html>`, { status, headers: { location: 'https://elsewhere.test/' } }));
    const error = await rejectedAnwbisError(getSigninToken(ENDPOINT, credentials, { fetch, timeoutMs: 1000 }));
    expect(error.kind).toBe('aws');
    expect(error.message).toMatch(message);
    expect(error.message).toContain('https://signin.aws.amazon.com/federation');
    expect(error.next).toMatch(next);
    expectNoSecrets(error);
  });

  it.each([
    ['an empty object', () => Response.json({})],
    ['an empty token', () => Response.json({ SigninToken: '' })],
    ['a number', () => Response.json({ SigninToken: 42 })],
    ['HTML', () => new Response('<html>sign in</html>', { status: 200 })],
    ['JSON null', () => Response.json(null)],
  ])('refuses a body with %s', async (_what, answer) => {
    const error = await rejectedAnwbisError(getSigninToken(ENDPOINT, credentials, { fetch: fakeFetch(answer), timeoutMs: 1000 }));
    expect(error.kind).toBe('aws');
    expect(error.message).toContain('answered without a sign-in token');
    expectNoSecrets(error);
  });

  it('reports a network failure by its code only', async () => {
    const fetch = fakeFetch(() => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error(`connect to ${ENDPOINT}?Session=x`), { code: 'ENOTFOUND' }) });
    });
    const error = await rejectedAnwbisError(getSigninToken(ENDPOINT, credentials, { fetch, timeoutMs: 1000 }));
    expect(error.kind).toBe('aws');
    expect(error.message).toBe('could not reach the federation endpoint https://signin.aws.amazon.com/federation (ENOTFOUND)');
    expect(error.cause).toBeUndefined();
    expectNoSecrets(error);
  });

  it('a failure code from outside no longer reaches the terminal raw: control and bidi characters are shown escaped', async () => {
    const fetch = fakeFetch(() => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('x'), { code: 'E\x1b[2JBAD\u202Egnp' }) });
    });
    const error = await rejectedAnwbisError(getSigninToken(ENDPOINT, credentials, { fetch, timeoutMs: 1000 }));
    expect(error.message).toBe('could not reach the federation endpoint https://signin.aws.amazon.com/federation (E\\x1b[2JBAD\\u202egnp)');
  });
});

describe('getSigninToken over real HTTP', () => {
  async function listen(server: Server): Promise<string> {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/federation`;
  }

  it('gives up on an endpoint that does not answer within the timeout', async () => {
    const server = createServer(() => undefined);
    const endpoint = await listen(server);
    try {
      const started = Date.now();
      const error = await rejectedAnwbisError(getSigninToken(endpoint, credentials, { timeoutMs: 200 }));
      expect(Date.now() - started).toBeLessThan(5000);
      expect(error.kind).toBe('aws');
      expect(error.message).toBe(`the federation endpoint ${endpoint} did not answer within 0.2 s`);
      expectNoSecrets(error);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('reports a refused connection', async () => {
    const server = createServer();
    const endpoint = await listen(server);
    await new Promise((resolve) => server.close(resolve));
    const error = await rejectedAnwbisError(getSigninToken(endpoint, credentials, { timeoutMs: 2000 }));
    expect(error.message).toBe(`could not reach the federation endpoint ${endpoint} (ECONNREFUSED)`);
  });
});

describe('consoleLoginUrl', () => {
  it('signs in at the overridden endpoint and lands on the destination', async () => {
    const fetch = fakeFetch(() => Response.json({ SigninToken: 'T0K/EN+=' }));
    const url = await consoleLoginUrl({
      credentials,
      region: 'eu-west-1',
      destination: 's3',
      env: { ANWBIS_FEDERATION_ENDPOINT: 'http://127.0.0.1:8080/federation' },
      fetch,
    });
    expect(fetch.calls[0]!.url.startsWith('http://127.0.0.1:8080/federation?Action=getSigninToken&Session=')).toBe(true);
    const login = new URL(url);
    expect(login.origin + login.pathname).toBe('http://127.0.0.1:8080/federation');
    expect(Object.fromEntries(login.searchParams)).toEqual({
      Action: 'login',
      Issuer: 'anwbis',
      Destination: 'https://console.aws.amazon.com/s3/home?region=eu-west-1',
      SigninToken: 'T0K/EN+=',
    });
  });

  it.each([
    ['cn-north-1', 'https://signin.amazonaws.cn/federation'],
    ['us-gov-west-1', 'https://signin.amazonaws-us-gov.com/federation'],
  ])('uses the partition of %s by default', async (region, endpoint) => {
    const fetch = fakeFetch(() => Response.json({ SigninToken: 't' }));
    const url = await consoleLoginUrl({ credentials, region, env: {}, fetch, issuer: 'https://intranet.example/' });
    expect(url.startsWith(`${endpoint}?Action=login&Issuer=https%3A%2F%2Fintranet.example%2F&`)).toBe(true);
    expect(fetch.calls[0]!.url.startsWith(`${endpoint}?`)).toBe(true);
  });

  it.each([
    ['a foreign destination', { destination: 'https://evil.example.com/' }],
    ['a bad session duration', { sessionDuration: 60 }],
    ['a plain-http endpoint', { env: { ANWBIS_FEDERATION_ENDPOINT: 'http://signin.example.test/federation' } }],
  ])('sends nothing for %s', async (_what, input) => {
    const fetch = fakeFetch(() => Response.json({ SigninToken: 't' }));
    const error = await rejectedAnwbisError(consoleLoginUrl({ credentials, region: 'eu-west-1', env: {}, fetch, ...input }));
    expect(['usage', 'config']).toContain(error.kind);
    expect(fetch.calls).toHaveLength(0);
  });
});
