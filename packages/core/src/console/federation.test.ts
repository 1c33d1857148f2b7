import { describe, it, expect } from '@jest/globals';
import {
  consoleRoot,
  defaultFederationEndpoint,
  destinationUrl,
  federationEndpoint,
  loginUrl,
  partitionOf,
  signinTokenUrl,
  type Partition,
} from './federation.js';
import { thrownAnwbisError } from '../testing/caught.js';

const credentials = {
  accessKeyId: 'ASIAEXAMPLE123',
  secretAccessKey: 'wJalr/XUtn+FEMI=K7MDENG/bPxRfi+CY',
  sessionToken: 'FwoGZX+IvYXdz/EJr//////////wEaDP=+/&?#%',
};

describe('partitionOf', () => {
  it.each([
    ['eu-west-1', 'aws'],
    ['us-east-1', 'aws'],
    ['ap-southeast-4', 'aws'],
    ['us-gov-west-1', 'aws-us-gov'],
    ['us-gov-east-1', 'aws-us-gov'],
    ['cn-north-1', 'aws-cn'],
    ['cn-northwest-1', 'aws-cn'],
  ])('%s is in %s', (region, partition) => {
    expect(partitionOf(region)).toBe(partition);
  });
});

describe('federationEndpoint', () => {
  it.each<[Partition, string, string]>([
    ['aws', 'https://signin.aws.amazon.com/federation', 'https://console.aws.amazon.com/'],
    ['aws-us-gov', 'https://signin.amazonaws-us-gov.com/federation', 'https://console.amazonaws-us-gov.com/'],
    ['aws-cn', 'https://signin.amazonaws.cn/federation', 'https://console.amazonaws.cn/'],
  ])('%s signs in at %s and its console is %s', (partition, endpoint, console) => {
    expect(defaultFederationEndpoint(partition)).toBe(endpoint);
    expect(federationEndpoint(partition, {})).toBe(endpoint);
    expect(federationEndpoint(partition, { ANWBIS_FEDERATION_ENDPOINT: '' })).toBe(endpoint);
    expect(consoleRoot(partition)).toBe(console);
  });

  it.each([
    ['https://signin.example.test/federation', 'https://signin.example.test/federation'],
    ['http://127.0.0.1:4321/federation', 'http://127.0.0.1:4321/federation'],
    ['http://localhost:4321/federation?x=1#y', 'http://localhost:4321/federation'],
    ['http://[::1]:4321/federation', 'http://[::1]:4321/federation'],
  ])('ANWBIS_FEDERATION_ENDPOINT=%s overrides the default', (override, expected) => {
    expect(federationEndpoint('aws', { ANWBIS_FEDERATION_ENDPOINT: override })).toBe(expected);
  });

  it.each([
    ['not a url'],
    ['http://signin.example.test/federation'],
    ['ftp://127.0.0.1/federation'],
    ['https://user:pass@signin.example.test/federation'],
  ])('refuses ANWBIS_FEDERATION_ENDPOINT=%s', (override) => {
    expect(thrownAnwbisError(() => federationEndpoint('aws', { ANWBIS_FEDERATION_ENDPOINT: override })).kind).toBe('config');
  });
});

describe('signinTokenUrl', () => {
  it('carries the session as JSON with exactly the three documented keys', () => {
    const url = new URL(signinTokenUrl('https://signin.aws.amazon.com/federation', credentials));
    expect(url.origin + url.pathname).toBe('https://signin.aws.amazon.com/federation');
    expect([...url.searchParams.keys()]).toEqual(['Action', 'Session']);
    expect(url.searchParams.get('Action')).toBe('getSigninToken');
    expect(JSON.parse(url.searchParams.get('Session')!)).toEqual({
      sessionId: credentials.accessKeyId,
      sessionKey: credentials.secretAccessKey,
      sessionToken: credentials.sessionToken,
    });
  });

  it.each([
    ['+', '%2B'],
    ['/', '%2F'],
    ['=', '%3D'],
    ['&', '%26'],
    ['?', '%3F'],
    ['#', '%23'],
    ['%', '%25'],
    [' ', '+'],
  ])('encodes %j in the key and token as %s and decodes back to the same values', (char, encoded) => {
    const secret = { accessKeyId: 'ASIAX', secretAccessKey: `a${char}b`, sessionToken: `c${char}${char}d` };
    const url = signinTokenUrl('https://signin.aws.amazon.com/federation', secret);
    expect(url).toBe(
      'https://signin.aws.amazon.com/federation?Action=getSigninToken&Session=' +
        `%7B%22sessionId%22%3A%22ASIAX%22%2C%22sessionKey%22%3A%22a${encoded}b%22%2C%22sessionToken%22%3A%22c${encoded}${encoded}d%22%7D`,
    );
    expect(JSON.parse(new URL(url).searchParams.get('Session')!)).toEqual({
      sessionId: 'ASIAX',
      sessionKey: secret.secretAccessKey,
      sessionToken: secret.sessionToken,
    });
  });

  it.each([[900], [3600], [43_200]])('adds SessionDuration=%i when asked', (seconds) => {
    const url = new URL(signinTokenUrl('https://signin.aws.amazon.com/federation', credentials, { sessionDuration: seconds }));
    expect(url.searchParams.get('SessionDuration')).toBe(String(seconds));
  });

  it.each([[899], [43_201], [1.5], [Number.NaN]])('refuses SessionDuration=%s', (seconds) => {
    expect(thrownAnwbisError(() => signinTokenUrl('https://x.test/federation', credentials, { sessionDuration: seconds })).kind).toBe('usage');
  });
});

describe('destinationUrl', () => {
  it.each<[Partition, string, string | undefined, string]>([
    ['aws', 'eu-west-1', undefined, 'https://console.aws.amazon.com/console/home?region=eu-west-1'],
    ['aws', 'eu-west-1', '', 'https://console.aws.amazon.com/console/home?region=eu-west-1'],
    ['aws', 'eu-west-1', 's3', 'https://console.aws.amazon.com/s3/home?region=eu-west-1'],
    ['aws', 'us-east-1', 'ec2', 'https://console.aws.amazon.com/ec2/home?region=us-east-1'],
    ['aws', 'eu-central-1', 'cloudformation', 'https://console.aws.amazon.com/cloudformation/home?region=eu-central-1'],
    ['aws-cn', 'cn-north-1', 'ec2', 'https://console.amazonaws.cn/ec2/home?region=cn-north-1'],
    ['aws-us-gov', 'us-gov-west-1', 'iam', 'https://console.amazonaws-us-gov.com/iam/home?region=us-gov-west-1'],
    ['aws', 'eu-west-1', '/s3/home', 'https://console.aws.amazon.com/s3/home?region=eu-west-1'],
    ['aws', 'eu-west-1', '/ec2/home?region=us-east-1#Instances:', 'https://console.aws.amazon.com/ec2/home?region=us-east-1#Instances:'],
    ['aws', 'eu-west-1', 'https://console.aws.amazon.com/ec2/home', 'https://console.aws.amazon.com/ec2/home'],
    [
      'aws',
      'eu-west-1',
      'https://eu-west-1.console.aws.amazon.com/lambda/home?region=eu-west-1#/functions',
      'https://eu-west-1.console.aws.amazon.com/lambda/home?region=eu-west-1#/functions',
    ],
    ['aws-cn', 'cn-northwest-1', 'https://console.amazonaws.cn/s3/home', 'https://console.amazonaws.cn/s3/home'],
  ])('%s %s %j → %s', (partition, region, destination, expected) => {
    expect(destinationUrl({ partition, region, destination })).toBe(expected);
  });

  it.each<[Partition, string]>([
    ['aws', 'https://evil.example.com/ec2/home'],
    ['aws', 'https://console.aws.amazon.com.evil.example.com/'],
    ['aws', 'https://evilconsole.aws.amazon.com/'],
    ['aws', 'https://console.aws.amazon.com@evil.example.com/'],
    ['aws', 'https://user@console.aws.amazon.com/'],
    ['aws', 'http://console.aws.amazon.com/s3/home'],
    ['aws', 'https://console.aws.amazon.com:8443/s3/home'],
    ['aws', 'javascript:alert(1)'],
    ['aws', '//evil.example.com/s3/home'],
    ['aws', 'https://console.amazonaws.cn/s3/home'],
    ['aws-cn', 'https://console.aws.amazon.com/s3/home'],
    ['aws', 'S3 bucket'],
  ])('refuses %s destination %s', (partition, destination) => {
    const region = partition === 'aws-cn' ? 'cn-north-1' : 'eu-west-1';
    expect(thrownAnwbisError(() => destinationUrl({ partition, region, destination })).kind).toBe('usage');
  });

  it.each([['eu-west-1 '], ['EU-WEST-1'], ['eu-west-1&x=y'], ['']])('refuses the region %j', (region) => {
    expect(thrownAnwbisError(() => destinationUrl({ partition: 'aws', region })).kind).toBe('usage');
  });

  it('refuses a region from another partition', () => {
    expect(thrownAnwbisError(() => destinationUrl({ partition: 'aws', region: 'cn-north-1' })).kind).toBe('usage');
  });
});

describe('loginUrl', () => {
  it('encodes every parameter, so the destination keeps its own query', () => {
    const destination = 'https://console.aws.amazon.com/s3/home?region=eu-west-1&tab=objects';
    const signinToken = 'tok+en/with==padding&more';
    const url = loginUrl('https://signin.aws.amazon.com/federation', { issuer: 'https://anwbis.example/?a=b c', destination, signinToken });
    const parsed = new URL(url);
    expect([...parsed.searchParams.entries()]).toEqual([
      ['Action', 'login'],
      ['Issuer', 'https://anwbis.example/?a=b c'],
      ['Destination', destination],
      ['SigninToken', signinToken],
    ]);
    expect(url).toContain('SigninToken=tok%2Ben%2Fwith%3D%3Dpadding%26more');
    expect(url).toContain('Destination=https%3A%2F%2Fconsole.aws.amazon.com%2Fs3%2Fhome%3Fregion%3Deu-west-1%26tab%3Dobjects');
  });

  it('replaces any query already on the endpoint', () => {
    const url = loginUrl('http://127.0.0.1:9/federation', { issuer: 'anwbis', destination: 'd', signinToken: 't' });
    expect(url).toBe('http://127.0.0.1:9/federation?Action=login&Issuer=anwbis&Destination=d&SigninToken=t');
  });
});
