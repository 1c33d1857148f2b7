/**
 * `assume.run` and `session.run`: core's `assume` and `corpSession` run in the daemon for a CLI
 * client, with the warm engine's SDK clients. The flow is the CLI's: the client's environment,
 * its MFA code sources asked back over the connection (`forward.ask`), its events sent as
 * notifications for the client to print; the daemon writes the same files the CLI would.
 */
import { JSONRPCErrorException } from 'json-rpc-2.0';
import { z } from 'zod';
import {
  AnwbisError,
  anwbisHome,
  assume,
  corpSession,
  fromInstanceMetadata,
  loadProfileCredentials,
  systemClock,
  type AnwbisEvent,
  type AssumeRequest,
  type EndpointSettings,
  type FlowDeps,
  type MfaSources,
  type TemporaryCredentials,
} from '@anwbis/core';
import { endpointSettingsOf, warmEngine, type WarmEngine } from './engine.js';
import { DECLINED, FORWARD_METHODS, FORWARD_NOTIFICATIONS, type ForwardAsk, type ForwardContext } from './forward-protocol.js';
import type { DaemonLog } from './log.js';
import { ERROR_CODES } from './protocol.js';
import type { Caller, RpcServer } from './server.js';

/** Forwarded requests at once; past it the client is told the daemon is busy and does the work itself. */
export const MAX_FORWARDED = 64;

const text = (max: number) => z.string().max(max);
const name = text(256);

const contextSchema = z
  .object({
    env: z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/), text(4096)).refine((env) => Object.keys(env).length <= 128, 'at most 128 variables'),
    uid: z.number().int(),
    verbose: z.boolean(),
    mfa: z
      .object({ flag: text(64).optional(), process: text(4096).optional(), stdin: z.boolean(), interactive: z.boolean() })
      .strict(),
  })
  .strict();

const tagging = z.object({ sourceIdentity: name.optional(), tags: z.array(text(512)).max(50).optional(), transitiveTags: z.array(name).max(50).optional() }).strict();

// Loose shapes: core checks every name and value as it does for the CLI, with the CLI's messages.
const target = z
  .object(Object.fromEntries(['project', 'env', 'role', 'contractor', 'groupName', 'policyName', 'delegatedRoleName', 'profileName', 'name'].map((key) => [key, name.optional()])))
  .strict();

const assumeSchema = z
  .object({
    request: z
      .object({
        target,
        sourceProfile: name.optional(),
        region: name.optional(),
        durationSeconds: z.number().optional(),
        refresh: z.boolean().optional(),
        noMfa: z.boolean().optional(),
        // The instance role is this machine's: the CLI reads it itself.
        fromEc2Role: z.literal(false).optional(),
        mfaSerial: name.optional(),
        externalId: text(2048).optional(),
        account: name.optional(),
        sessionName: name.optional(),
        tagging: tagging.optional(),
      })
      .strict(),
    context: contextSchema,
  })
  .strict();

const sessionSchema = z
  .object({
    request: z.object({ sourceProfile: name.optional(), durationSeconds: z.number().optional(), refresh: z.boolean().optional(), mfaSerial: name.optional(), region: name.optional() }).strict(),
    context: contextSchema,
  })
  .strict();

const answerSchema = z
  .object({
    ask: z.number().int(),
    value: text(4096).nullable(),
  })
  .strict();

/** Credentials as the answer carries them: the client prints them (`--json`, `--stdout`) as the CLI would. */
function wireCredentials(c: TemporaryCredentials) {
  return { accessKeyId: c.accessKeyId, secretAccessKey: c.secretAccessKey, sessionToken: c.sessionToken, expiration: c.expiration.toISOString() };
}

function declined(message: string): JSONRPCErrorException {
  return new JSONRPCErrorException(message, DECLINED, { next: 'run it without the daemon' });
}

interface Waiting {
  readonly caller: Caller;
  resolve(value: string | null): void;
}

/** Adds the forwarded methods to the daemon's server. */
export function registerForwarding(server: RpcServer, options: { home: string; log: DaemonLog; engine?: WarmEngine; warmUp?: boolean; limit?: number }): void {
  const { home, log, limit = MAX_FORWARDED } = options;
  const engine = options.engine ?? warmEngine();
  if (options.warmUp) engine.warmUp();
  let running = 0;
  let asked = 0;
  const waiting = new Map<number, Waiting>();

  /** Asks the client; rejected when its connection closes first. */
  const ask = (caller: Caller, question: ForwardAsk): Promise<string | null> =>
    new Promise((resolve, reject) => {
      const id = ++asked;
      waiting.set(id, { caller, resolve });
      caller.notify(FORWARD_NOTIFICATIONS.ask, { ask: id, ...question });
      void caller.closed.then(() => {
        if (waiting.delete(id)) reject(new AnwbisError('mfa', 'the client that asked went away before it answered'));
      });
    });
  const askText = async (caller: Caller, question: ForwardAsk) => (await ask(caller, question)) ?? '';

  /** The flow's effects: the client's environment, its MFA sources and passphrase asked back, the warm engine's clients. */
  const depsFor = (context: ForwardContext, caller: Caller, endpoints: EndpointSettings): FlowDeps => {
    const env = context.env;
    const { mfa } = context;
    const sources: MfaSources = {
      ...(mfa.flag !== undefined ? { flag: mfa.flag } : {}),
      ...(mfa.process !== undefined ? { process: mfa.process, runProcess: () => askText(caller, { kind: 'mfa-process' }) } : {}),
      ...(mfa.stdin ? { stdinLine: async () => (await ask(caller, { kind: 'stdin' })) ?? undefined } : {}),
      prompter: { interactive: mfa.interactive, ask: (question) => askText(caller, { kind: 'prompt', question }) },
    };
    return {
      env,
      clock: systemClock,
      events: (event: AnwbisEvent) => caller.notify(FORWARD_NOTIFICATIONS.event, { event }),
      mfa: sources,
      loadSourceCredentials: (profile, where) => loadProfileCredentials(profile, where, env, async (purpose) => (await ask(caller, { kind: 'passphrase', purpose })) ?? undefined),
      instanceMetadata: (e) => fromInstanceMetadata(e),
      createAws: engine.createAws(endpoints),
    };
  };

  /** Runs one forwarded flow: refused unless it is this daemon's user and ANWBIS_HOME, at most `limit` at once. */
  const run = async <T>(what: string, context: ForwardContext, caller: Caller, flow: (deps: FlowDeps) => Promise<T>): Promise<T> => {
    if (context.uid !== process.getuid?.()) throw declined('this daemon serves another user');
    if (anwbisHome(context.env) !== home) throw declined(`this daemon serves another ANWBIS_HOME (${home})`);
    const endpoints = endpointSettingsOf(context.env);
    if (!endpoints) throw declined('the config file sets endpoints the daemon does not read');
    if (running >= limit) throw new JSONRPCErrorException(`the daemon already runs ${limit} forwarded requests`, ERROR_CODES.busy, { next: 'run it without the daemon' });
    running++;
    const deps = depsFor(context, caller, endpoints);
    try {
      return await engine.logging(context.verbose ? (line) => deps.events({ type: 'aws-call', line }) : undefined, () => flow(deps));
    } catch (err) {
      log.info(`${what} for a client failed: ${(err as Error).message}`);
      throw err;
    } finally {
      running--;
    }
  };

  server.extend(FORWARD_METHODS.assume, assumeSchema, async ({ request, context }, caller) => {
    const result = await run('assume', context, caller, (deps) => assume(request as AssumeRequest, deps));
    log.info(`assume of ${result.profile} for a client: ${result.reused ? 'reused' : 'written'}, valid until ${result.credentials.expiration.toISOString()}`);
    return { profile: result.profile, account: result.account, roleArn: result.roleArn, region: result.region, reused: result.reused, credentialsFile: result.credentialsFile, credentials: wireCredentials(result.credentials) };
  });

  server.extend(FORWARD_METHODS.session, sessionSchema, async ({ request, context }, caller) => {
    const result = await run('session', context, caller, (deps) => corpSession(request, deps));
    log.info(`corp session ${result.profile} for a client: ${result.reused ? 'reused' : 'written'}, valid until ${result.credentials.expiration.toISOString()}`);
    return { profile: result.profile, region: result.region, reused: result.reused, credentials: wireCredentials(result.credentials) };
  });

  // A client that cannot answer (its MFA process failed, Ctrl-D at the prompt) closes the
  // connection and reports its own error, as it would have without the daemon.
  server.extend(FORWARD_METHODS.answer, answerSchema, async ({ ask: id, value }, caller) => {
    const asker = waiting.get(id);
    if (!asker || asker.caller !== caller) throw new AnwbisError('usage', `nothing on this connection waits for answer ${id}`);
    waiting.delete(id);
    asker.resolve(value);
    return { answered: true };
  });
}
