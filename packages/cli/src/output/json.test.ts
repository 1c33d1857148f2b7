import { describe, expect, it, jest } from '@jest/globals';
import { credentialsJson, writeJson } from './json.js';

const credentials = { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token', expiration: new Date('2026-12-01T18:00:00.000Z') };

describe('credentialsJson', () => {
  it("an assumed role's credentials carry its account and role, in the AWS CLI's key order", () => {
    const json = credentialsJson({ profile: 'datalab-dev-admin', account: '111111111111', roleArn: 'arn:aws:iam::111111111111:role/dev-datalab-delegated-admin', region: 'eu-west-1', reused: false, credentials });
    expect(Object.keys(json)).toEqual(['Profile', 'AccountId', 'RoleArn', 'Region', 'Reused', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration']);
    expect(json.Expiration).toBe('2026-12-01T18:00:00.000Z');
  });

  it('a corp session has neither account nor role', () => {
    const json = credentialsJson({ profile: 'corp-session-default', region: 'eu-west-1', reused: true, credentials });
    expect(Object.keys(json)).toEqual(['Profile', 'Region', 'Reused', 'AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration']);
  });
});

describe('writeJson', () => {
  it('writes one indented document with what a terminal would act on escaped', () => {
    const written: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    // A C1 control (CSI) that JSON.stringify leaves as it is.
    const value = { lastError: 'denied\u009b2J' };
    writeJson(value);
    expect(written.join('')).toBe('{\n  "lastError": "denied\\u009b2J"\n}\n');
    expect(JSON.parse(written.join(''))).toEqual(value);
  });
});
