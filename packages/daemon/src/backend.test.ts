import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { AnwbisError, AwsCallError, type AwsPort } from '@anwbis/core';
import { classifyFailure, coreBackend, reusedPorts } from './backend.js';

describe('classifyFailure', () => {
  const aws = (code: string) => new AnwbisError('aws', `failed: ${code}`, { cause: new AwsCallError('AssumeRole', code, 'x') });
  it.each([
    [aws('Throttling'), 'throttled'],
    [aws('Network'), 'throttled'],
    [aws('ExpiredToken'), 'session-expired'],
    [aws('InvalidClientTokenId'), 'session-expired'],
    [aws('AccessDenied'), 'denied'],
    [new AnwbisError('denied', 'not authorized to use role admin'), 'denied'],
    [aws('ValidationError'), 'other'],
    [new Error('disk full'), 'other'],
  ])('%s -> %s', (error, reason) => {
    expect(classifyFailure(error).reason).toBe(reason);
  });

  // The daemon kept its own lists of codes: credentials AWS did not recognise were 'other' here
  // and needs-mfa in core's refresh, and a server error without a known code was 'other'.
  it.each([
    ['UnrecognizedClientException', undefined, 'session-expired'],
    ['SignatureDoesNotMatch', undefined, 'session-expired'],
    ['AccessDeniedException', undefined, 'denied'],
    ['BadGateway', 502, 'throttled'],
    ['NoSuchEntity', 404, 'other'],
  ] as const)('%s (HTTP %s) -> %s, as core\'s table of AWS failures says', (code, status, reason) => {
    expect(classifyFailure(new AnwbisError('aws', 'failed', { cause: new AwsCallError('AssumeRole', code, 'x', status) })).reason).toBe(reason);
  });
});

describe('reusedPorts', () => {
  it('reuses the clients of one corp session and region, and makes new ones for a renewed session', () => {
    let made = 0;
    const ports = reusedPorts(() => ({ made: ++made }) as unknown as AwsPort);
    const session = { accessKeyId: 'ASIA1', secretAccessKey: 's', sessionToken: 't1' };
    const a = ports({ credentials: session, region: 'eu-west-1' });
    expect(ports({ credentials: { ...session }, region: 'eu-west-1' })).toBe(a);
    expect(ports({ credentials: session, region: 'us-east-1' })).not.toBe(a);
    expect(ports({ credentials: { ...session, sessionToken: 't2' }, region: 'eu-west-1' })).not.toBe(a);
    expect(made).toBe(3);
  });
});

describe('coreBackend', () => {
  it('keeps no copy of the credentials file in the keys it answers (slices of the file text ran the daemon out of memory at 500 watches)', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const dir = mkdtempSync(join(tmpdir(), 'anwbis-backend-'));
    try {
      // About 600 KB, as hundreds of profiles with session tokens make it (and under the 1 MB
      // past which Node keeps decoded text outside the heap).
      const profiles = Array.from({ length: 600 }, (_, i) => `p${i}`);
      const text = profiles.map((p, i) => `[${p}]\naws_access_key_id = ASIA${String(i).padStart(12, '0')}\naws_secret_access_key = ${'s'.repeat(40)}\naws_session_token = ${'t'.repeat(900)}\n`).join('\n');
      writeFileSync(join(dir, 'credentials'), text, { mode: 0o600 });
      const backend = coreBackend({ HOME: dir, ANWBIS_HOME: join(dir, 'home'), AWS_SHARED_CREDENTIALS_FILE: join(dir, 'credentials'), AWS_CONFIG_FILE: join(dir, 'config') });
      const kept: unknown[] = [];
      gc();
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < 20; i++) {
        kept.push((await backend.keys([`p${i}`]))!.get(`p${i}`), (await backend.written(`p${i + 100}`)).accessKeyId);
      }
      gc();
      const grownMb = (process.memoryUsage().heapUsed - before) / 1024 / 1024;
      expect(kept).toHaveLength(40);
      expect(kept[0]).toBe('ASIA000000000000');
      // Each kept slice held all 600 KB: 24 MB; forty key ids are a few kilobytes.
      expect(grownMb).toBeLessThan(8);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
