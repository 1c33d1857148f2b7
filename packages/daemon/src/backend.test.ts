import { describe, expect, it } from '@jest/globals';
import { AnwbisError, AwsCallError, type AwsPort } from '@anwbis/core';
import { classifyFailure, reusedPorts } from './backend.js';

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
