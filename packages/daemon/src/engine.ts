/**
 * The warm engine: the SDK loaded once, SDK clients kept per corp credentials and endpoint, and
 * one HTTP handler (kept-alive connections) per endpoint and region, so a forwarded `assume` or
 * `session` pays neither the SDK's loading nor a new connection. Requests come from other
 * environments than the daemon's own: their endpoints are decided from the request's
 * environment, never read by the SDK from the daemon's.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { detached } from './backend.js';
import { configFilePath, createSdkPort, sdkHttpHandler, type AwsCredentials, type AwsPort, type EndpointSettings, type Env } from '@anwbis/core';

/** SDK clients kept: each holds a corp session's credentials, so old ones are let go. */
const KEPT_PORTS = 16;
/** HTTP handlers kept (one per endpoint and region); each pools its connections. */
const KEPT_HANDLERS = 16;

/**
 * Config-file settings that move the SDK's endpoints and that the engine does not read: a
 * request whose config file has any of them is left to the CLI, whose SDK reads them itself.
 */
const ENDPOINT_KEYS = /^\s*(endpoint_url|use_fips_endpoint|use_dualstack_endpoint|services|ignore_configured_endpoint_urls)\s*=/m;

/**
 * The endpoints a request's SDK would use, from its environment as the SDK reads it
 * (`AWS_ENDPOINT_URL_STS`/`_IAM`, else `AWS_ENDPOINT_URL`, unless
 * `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`); undefined when its config file sets endpoints.
 */
export function endpointSettingsOf(env: Env): EndpointSettings | undefined {
  const flag = (name: string) => env[name]?.toLowerCase() === 'true';
  let config = '';
  try {
    config = readFileSync(configFilePath(env), 'utf8');
  } catch {
    // No config file: nothing in it moves an endpoint.
  }
  if (ENDPOINT_KEYS.test(config) || [env.AWS_USE_FIPS_ENDPOINT, env.AWS_USE_DUALSTACK_ENDPOINT].some((v) => v !== undefined && !/^(true|false)$/i.test(v))) return undefined;
  const ignore = flag('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS');
  const url = (service: string) => (ignore ? undefined : env[`AWS_ENDPOINT_URL_${service}`] || env.AWS_ENDPOINT_URL || undefined);
  return { sts: url('STS'), iam: url('IAM'), useFips: flag('AWS_USE_FIPS_ENDPOINT'), useDualstack: flag('AWS_USE_DUALSTACK_ENDPOINT') };
}

/** Gives `create` a kept value for `key`, or makes one; at most `size` are kept, the oldest used let go. */
function keptBy<T>(size: number): (key: string, create: () => T) => T {
  const kept = new Map<string, T>();
  return (key, create) => {
    let value = kept.get(key);
    if (value === undefined) value = create();
    else kept.delete(key);
    kept.set(key, value);
    while (kept.size > size) kept.delete(kept.keys().next().value!);
    return value;
  };
}

/** Makes a flow's SDK clients (core's `FlowDeps.createAws`). */
type CreateAws = (options: { credentials: AwsCredentials; region: string }) => AwsPort;

export interface WarmEngine {
  /** Ports for one request's flow: warm clients at the request's endpoints. */
  createAws(endpoints: EndpointSettings): CreateAws;
  /**
   * The daemon's own ports (its refreshes, credential-process misses, unlocks): warm clients at
   * the endpoints its environment `env` sets, read at each call, so they share the kept-alive
   * connections of forwarded requests to the same endpoint; `otherwise` when its config file
   * sets endpoints the engine does not read.
   */
  portsOf(env: Env, otherwise: CreateAws): CreateAws;
  /** Runs `work` with `log` receiving the verbose lines of the AWS calls it makes (each request its own). */
  logging<T>(log: ((line: string) => void) | undefined, work: () => Promise<T>): Promise<T>;
  /** Loads the SDK's STS and IAM clients now, so the first request does not wait for them. */
  warmUp(): void;
}

/** The engine; one per daemon. */
export function warmEngine(): WarmEngine {
  const requestLog = new AsyncLocalStorage<((line: string) => void) | undefined>();
  const handlers = keptBy<ReturnType<typeof sdkHttpHandler>>(KEPT_HANDLERS);
  const ports = keptBy<AwsPort>(KEPT_PORTS);
  // The handler's promise is kept, not the factory: every client of the endpoint gets the one handler.
  const handlerFor = (key: string) =>
    handlers(key, () => {
      const made = sdkHttpHandler()();
      return () => made;
    });
  const log = (line: string) => requestLog.getStore()?.(line);
  const engine: WarmEngine = {
    createAws(endpoints) {
      return ({ credentials: c, region }) => {
        const place = JSON.stringify([endpoints.sts ?? '', endpoints.iam ?? '', endpoints.useFips, endpoints.useDualstack, region]);
        // Hashed: the key must change with the secret and token, and must not hold them.
        const key = createHash('sha256').update(JSON.stringify([c.accessKeyId, c.secretAccessKey, c.sessionToken ?? '', place])).digest('hex');
        return ports(key, () => {
          // A kept client keeps its credentials: copies, so it does not keep the file they were read from.
          const kept = { accessKeyId: detached(c.accessKeyId), secretAccessKey: detached(c.secretAccessKey), ...(c.sessionToken ? { sessionToken: detached(c.sessionToken) } : {}) };
          return createSdkPort({ credentials: kept, region, endpoints, log, requestHandler: handlerFor(place) });
        });
      };
    },
    portsOf(env, otherwise) {
      return (options) => {
        const endpoints = endpointSettingsOf(env);
        return endpoints ? engine.createAws(endpoints)(options) : otherwise(options);
      };
    },
    logging: (sink, work) => requestLog.run(sink, work),
    warmUp() {
      const port = createSdkPort({ credentials: { accessKeyId: 'warm-up', secretAccessKey: 'warm-up' }, region: 'us-east-1', endpoints: { useFips: false, useDualstack: false } });
      port.preload?.('sts');
      port.preload?.('iam');
    },
  };
  return engine;
}
