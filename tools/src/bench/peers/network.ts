import { spawn } from 'node:child_process';
import { ANWBIS_BIN } from '../../emulator/index.js';
import { servedShellEnv } from '../served-shell.js';
import type { DelayProxy } from '../delay-proxy.js';
import { median } from '../stats.js';
import { cliCall, mustRun, type Command, type Driver } from './peers.js';

/** What `--network` charges: every request one round trip, every new connection TCP + TLS handshakes. */
export interface NetworkModel {
  readonly rttMs: number;
  /** Round trips of a TLS handshake: 1 for TLS 1.3 (what AWS endpoints and both runtimes negotiate), 2 for TLS 1.2. */
  readonly tlsRtts: number;
}

/** How long a kept-alive connection may sit idle before the far end closes it, about what AWS endpoints allow. */
export const NETWORK_IDLE_MS = 60_000;

/** Connection set-up the proxy charges per new connection: the TCP handshake and the TLS one. */
export function connectMs(model: NetworkModel): number {
  return (1 + model.tlsRtts) * model.rttMs;
}

interface Measured {
  readonly ms: number;
  readonly connections: number;
  readonly requests: number;
}

/**
 * `bench:peers --network`: wall times as a user far from us-east-1 sees them, with anwbis run
 * without and with its daemon, against the better peer in the same rounds:
 * - a remembered role (anwbis `--refresh` with the role ARN and MFA device known) against the
 *   peers' MFA login + AssumeRole (they have nothing to discover);
 * - the AWS CLI through `credential_process` when the role's credentials are not cached (one
 *   AssumeRole from a valid session) and when they are, beyond the CLI with static keys;
 * - the AWS CLI under `anwbis exec --server` with the role's profile written (without a daemon,
 *   it starts one), and in a shell served by `anwbis env --server` (the daemon running), against
 *   the peers' cached `credential_process`.
 * The daemon variants run with a daemon that has already served a request in the round (exec
 * --server's, which makes no AWS call): its SDK clients are loaded, but its first AWS call opens
 * a connection, as an always-on daemon's does after the far end closed the idle one. The
 * remembered role is then run once more over the connection that call left open.
 *
 * @returns the table's lines (markdown)
 */
export async function networkRounds(options: {
  readonly drivers: readonly Driver[];
  readonly proxy: DelayProxy;
  readonly motoEndpoint: string;
  readonly staticCli: Command;
  readonly model: NetworkModel;
  readonly rounds: number;
  readonly stopAsked: () => boolean;
  readonly note: (line: string) => void;
}): Promise<string[]> {
  const { drivers, proxy, motoEndpoint, model } = options;
  const anwbis = drivers.find((d) => d.name === 'anwbis')!;
  const peers = drivers.filter((d) => d !== anwbis);
  const daemon = anwbis.helper!;
  const samples = new Map<string, Measured[]>();
  const add = (key: string, m: Measured) => samples.set(key, [...(samples.get(key) ?? []), m]);
  const med = (key: string, field: keyof Measured = 'ms') => median((samples.get(key) ?? []).map((m) => m[field]));

  const run = async (what: string, cmd: Command): Promise<Measured> => {
    const connections = proxy.connections;
    const requests = proxy.requests;
    const out = await mustRun(what, cmd);
    return { ms: out.ms, connections: proxy.connections - connections, requests: proxy.requests - requests };
  };
  const cli = (d: Driver) => cliCall(d.credentialProcess.env, motoEndpoint, d.cliProfile);
  const assumeArgs = anwbis.credentialProcess.args.slice(anwbis.credentialProcess.args.indexOf('credential-process') + 1);
  const unprofiled = cliCall(anwbis.credentialProcess.env, motoEndpoint);
  const underServer: Command = { ...anwbis.credentialProcess, args: [ANWBIS_BIN, 'exec', '--server', ...assumeArgs, '--', unprofiled.file, ...unprofiled.args] };

  const started = performance.now();
  let done = 0;
  for (let round = 0; round < options.rounds && !options.stopAsked(); round++, done++) {
    for (const d of peers) {
      d.resetCold();
      add(`${d.name}.login`, await run(`${d.name} login`, d.cold));
    }
    anwbis.resetCold();
    await mustRun('anwbis cold', anwbis.cold);
    add('anwbis.remembered', await run('anwbis remembered', anwbis.remembered!));
    for (const d of drivers) {
      await d.emptyCache();
      add(`${d.name}.miss`, await run(`aws via ${d.name}, not cached`, cli(d)));
      add(`${d.name}.hit`, await run(`aws via ${d.name}, cached`, cli(d)));
    }
    // Without a daemon, exec --server starts one; the daemon rows below use it.
    add('anwbis.server', await run('anwbis exec --server', underServer));
    try {
      add('anwbis.remembered.daemon', await run('anwbis remembered, daemon running', anwbis.remembered!));
      // The daemon's first AWS call of the round was the one above (exec --server answers from
      // the written profile): the same again, over the connection that call left open.
      add('anwbis.remembered.warm', await run('anwbis remembered, daemon running, its connection open', anwbis.remembered!));
      await anwbis.emptyCache();
      add('anwbis.miss.daemon', await run('aws via anwbis, not cached, daemon running', cli(anwbis)));
      add('anwbis.hit.daemon', await run('aws via anwbis, cached, daemon running', cli(anwbis)));
      add('anwbis.server.daemon', await run('anwbis exec --server, daemon running', underServer));
      // A shell served by env --server, the listener living as long as this stand-in for the shell.
      const shell = spawn('sleep', ['3600'], { stdio: 'ignore' });
      try {
        const served = await servedShellEnv(anwbis.credentialProcess.env, assumeArgs, shell.pid!);
        add('anwbis.shell.daemon', await run('aws in a shell served by anwbis env --server', cliCall(served, motoEndpoint)));
      } finally {
        shell.kill();
      }
    } finally {
      await daemon.stop();
    }
    add('static', await run('aws static', options.staticCli));
    options.note(`  round ${round + 1}/${options.rounds} done (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  }
  if (done === 0) throw new Error('stopped before the first round ended; nothing to report');

  const staticMs = med('static');
  const ms = (v: number) => `${v < 0 ? '−' : ''}${Math.abs(v).toFixed(0)} ms`;
  const traffic = (key: string) => `${med(key, 'requests')} req, ${med(key, 'connections')} conn`;
  const cell = (key: string, minus = 0) => `${minus && med(key) >= minus ? '+' : ''}${ms(med(key) - minus)} (${traffic(key)})`;
  const bestPeer = (key: string, minus = 0) => Math.min(...peers.map((d) => med(`${d.name}.${key}`) - minus));
  const vs = (key: string, against: string, minus = 0) => {
    const best = bestPeer(against, minus);
    // A difference at or below zero (noise on the AWS CLI rows) has no meaningful ratio.
    if (best <= 0) return '—';
    return med(key) - minus <= 0 ? '0× (within noise)' : `${((med(key) - minus) / best).toFixed(2)}×`;
  };
  /** The AWS CLI rows: the cost beyond static keys, and the ratio of whole wall times after it. */
  const cliVs = (key: string, against: string) => `${vs(key, against, staticMs)} (wall ${vs(key, against)})`;
  const header = ['measure (median wall time)', ...peers.map((d) => d.name), 'anwbis, no daemon', 'anwbis, daemon running', 'anwbis / better peer: no daemon; daemon running'];
  const rows: string[][] = [
    [
      'role already remembered (peers: MFA login + AssumeRole)',
      ...peers.map((d) => cell(`${d.name}.login`)),
      cell('anwbis.remembered'),
      cell('anwbis.remembered.daemon'),
      `${vs('anwbis.remembered', 'login')}; ${vs('anwbis.remembered.daemon', 'login')}`,
    ],
    [
      'the same, the daemon\'s connection to AWS still open (a call of its own within the idle time)',
      ...peers.map(() => '—'),
      '—',
      cell('anwbis.remembered.warm'),
      `—; ${vs('anwbis.remembered.warm', 'login')}`,
    ],
    [
      `AWS CLI via credential_process, role not cached, beyond static keys (${ms(staticMs)})`,
      ...peers.map((d) => cell(`${d.name}.miss`, staticMs)),
      cell('anwbis.miss', staticMs),
      cell('anwbis.miss.daemon', staticMs),
      `${cliVs('anwbis.miss', 'miss')}; ${cliVs('anwbis.miss.daemon', 'miss')}`,
    ],
    [
      'AWS CLI via credential_process, role cached, beyond static keys',
      ...peers.map((d) => cell(`${d.name}.hit`, staticMs)),
      cell('anwbis.hit', staticMs),
      cell('anwbis.hit.daemon', staticMs),
      `${cliVs('anwbis.hit', 'hit')}; ${cliVs('anwbis.hit.daemon', 'hit')}`,
    ],
    [
      'AWS CLI under `anwbis exec --server` (role written; without a daemon it starts one), beyond static keys; vs the peers\' cached row',
      ...peers.map(() => '—'),
      cell('anwbis.server', staticMs),
      cell('anwbis.server.daemon', staticMs),
      `${cliVs('anwbis.server', 'hit')}; ${cliVs('anwbis.server.daemon', 'hit')}`,
    ],
    [
      'AWS CLI in a shell served by `anwbis env --server` (each call one fetch from its endpoint), beyond static keys; vs the peers\' cached row',
      ...peers.map(() => '—'),
      '—',
      cell('anwbis.shell.daemon', staticMs),
      `—; ${cliVs('anwbis.shell.daemon', 'hit')}`,
    ],
  ];
  const roundsText = done === options.rounds ? `${done}` : `${done} of ${options.rounds} (stopped early)`;
  return [
    `Real-network latency: ${model.rttMs} ms round trip; each request 1 round trip, each new connection ${1 + model.tlsRtts} more (TCP + TLS handshake of ${model.tlsRtts}); ${roundsText} interleaved rounds, medians (Node ${process.version})`,
    '',
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.join(' | ')} |`),
    '',
    '- "req" and "conn": AWS requests and new connections the proxy saw during the run (a kept-alive connection of the daemon costs none).',
    '- anwbis talks HTTPS to the proxy (throw-away CA in NODE_EXTRA_CA_CERTS); the Go tools through the CONNECT proxy, one proxy connection per tunnel. The AWS CLI\'s own call goes straight to moto, uncharged, the same for every tool.',
    `- Kept-alive connections are closed after ${NETWORK_IDLE_MS / 1000} s idle. DNS is not charged.`,
  ];
}
