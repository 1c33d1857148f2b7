import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import type { TemporaryCredentials } from '@anwbis/core';
import { CredentialsUnavailable, startCredentialServer, type CredentialServer } from './credential-server.js';

const credentialsOf = (profile: string, n: number): TemporaryCredentials => ({
  accessKeyId: `ASIA${profile.toUpperCase().replace(/-/g, '')}${n}`,
  secretAccessKey: `secret/${profile}/${n}`,
  sessionToken: `token-${profile}-${n}`,
  expiration: new Date(Date.now() + 3600_000),
});

function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the container-credentials endpoint', () => {
  let server: CredentialServer;
  let served: Record<string, number>;
  let failing: Set<string>;

  beforeEach(async () => {
    served = {};
    failing = new Set();
    server = await startCredentialServer(async (profile) => {
      if (failing.has(profile)) throw new CredentialsUnavailable(`the corp session has ended: run anwbis session`);
      served[profile] = (served[profile] ?? 0) + 1;
      return credentialsOf(profile, served[profile]!);
    });
  });
  afterEach(() => server.close());

  it('answers the granted profile in the container format, read anew on every request', async () => {
    const grant = server.grant('datalab-dev-admin');
    expect(grant.uri).toBe(`http://127.0.0.1:${server.port}/credentials/datalab-dev-admin`);
    expect(Buffer.from(grant.token, 'base64url')).toHaveLength(32);
    const first = await get(server.port, '/credentials/datalab-dev-admin', { authorization: grant.token });
    expect(first.status).toBe(200);
    expect(Object.keys(JSON.parse(first.body))).toEqual(['AccessKeyId', 'SecretAccessKey', 'Token', 'Expiration']);
    const second = await get(server.port, '/credentials/datalab-dev-admin', { authorization: grant.token });
    expect(JSON.parse(second.body).AccessKeyId).toBe('ASIADATALABDEVADMIN2');
  });

  it.each([
    ['no token', {}, '/credentials/datalab-dev-admin', 'GET', 403],
    ['a wrong token', { authorization: 'x'.repeat(43) }, '/credentials/datalab-dev-admin', 'GET', 403],
    ['the token of another role', 'other', '/credentials/datalab-dev-admin', 'GET', 403],
    ['a path of another profile', 'own', '/credentials/datalab-pro-admin', 'GET', 403],
    ['a foreign Host (DNS rebinding)', 'own+host', '/credentials/datalab-dev-admin', 'GET', 403],
    ['a non-GET method', 'own', '/credentials/datalab-dev-admin', 'POST', 405],
    ['another path', 'own', '/latest/meta-data/', 'GET', 404],
  ] as const)('refuses %s, with no hint and no credentials', async (_what, auth, path, method, status) => {
    const own = server.grant('datalab-dev-admin');
    const other = server.grant('datalab-pro-admin');
    const headers: Record<string, string> =
      auth === 'own' ? { authorization: own.token } : auth === 'other' ? { authorization: other.token } : auth === 'own+host' ? { authorization: own.token, host: 'attacker.example:80' } : { ...auth };
    const res = await get(server.port, path, headers, method);
    expect(res.status).toBe(status);
    expect(res.body).not.toMatch(/ASIA|secret|token-/);
    expect(served).toEqual({});
  });

  it('refuses a token once its grant is revoked', async () => {
    const grant = server.grant('datalab-dev-admin');
    expect((await get(server.port, '/credentials/datalab-dev-admin', { authorization: grant.token })).status).toBe(200);
    grant.revoke();
    expect((await get(server.port, '/credentials/datalab-dev-admin', { authorization: grant.token })).status).toBe(403);
    expect(server.grants).toBe(0);
  });

  it('a DELETE is refused (405) unless the server was started with onEnd', async () => {
    const grant = server.grant('datalab-dev-admin');
    expect((await get(server.port, '/credentials/datalab-dev-admin', { authorization: grant.token }, 'DELETE')).status).toBe(405);
  });

  it('with onEnd, only a DELETE with the path\'s own token ends it (anwbis env --unset)', async () => {
    let ended = 0;
    const endable = await startCredentialServer(async (profile) => credentialsOf(profile, 1), { onEnd: () => ended++ });
    try {
      const own = endable.grant('datalab-dev-admin');
      const other = endable.grant('datalab-pro-admin');
      const path = '/credentials/datalab-dev-admin';
      const refused: Array<Record<string, string>> = [{}, { authorization: other.token }, { authorization: own.token, host: 'attacker.example:80' }];
      for (const headers of refused) {
        expect((await get(endable.port, path, headers, 'DELETE')).status).toBe(403);
      }
      expect(ended).toBe(0);
      const res = await get(endable.port, path, { authorization: own.token }, 'DELETE');
      expect({ status: res.status, body: res.body }).toEqual({ status: 204, body: '' });
      expect(ended).toBe(1);
    } finally {
      await endable.close();
    }
  });

  it('answers an error the SDK reports when the credentials cannot be had', async () => {
    failing.add('datalab-dev-admin');
    const grant = server.grant('datalab-dev-admin');
    const res = await get(server.port, '/credentials/datalab-dev-admin', { authorization: grant.token });
    expect(res.status).toBe(503);
    expect(JSON.parse(res.body)).toEqual({ code: 'CredentialsUnavailable', message: 'the corp session has ended: run anwbis session' });
  });

  it('is what botocore\'s container provider reads', () => {
    const grant = server.grant('datalab-dev-admin');
    // The server runs in this process: the client runs beside it (spawn, not spawnSync).
    const script = [
      'import json',
      'from botocore.credentials import ContainerProvider',
      'creds = ContainerProvider().load().get_frozen_credentials()',
      'print(json.dumps([creds.access_key, creds.token]))',
    ].join('\n');
    return new Promise<void>((resolve, reject) => {
      const child = spawn('python3', ['-c', script], {
        env: { PATH: process.env.PATH, AWS_CONTAINER_CREDENTIALS_FULL_URI: grant.uri, AWS_CONTAINER_AUTHORIZATION_TOKEN: grant.token },
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.stderr.on('data', (d: Buffer) => (err += d.toString()));
      child.on('close', (code) => {
        try {
          expect({ code, err }).toEqual({ code: 0, err: '' });
          expect(JSON.parse(out)).toEqual(['ASIADATALABDEVADMIN1', 'token-datalab-dev-admin-1']);
          resolve();
        } catch (e) {
          reject(e);
        }
      });
    });
  });
});
