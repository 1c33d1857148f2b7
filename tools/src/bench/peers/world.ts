import { demoScenario, seedScenario, startMoto, type MotoServer } from '../../emulator/index.js';
import { startDelayProxy, type DelayProxy, type DelayProxyOptions } from '../delay-proxy.js';
import type { World } from './peers.js';
import { makeThrowAwayCertificates, startTlsInterceptor, type ThrowAwayCertificates, type TlsInterceptor } from './tls-proxy.js';

/** What the peers benchmarks run against: moto with the demo scenario, behind the delay proxy, and the Go tools' way in. */
export interface BenchWorld {
  readonly moto: MotoServer;
  readonly proxy: DelayProxy;
  readonly world: World;
  /** Stops everything started; safe after a partial start. */
  close(): Promise<void>;
}

/**
 * Starts moto (seeded with the demo scenario), the delay proxy in front of it and the CONNECT
 * proxy the Go tools use. With `https`, anwbis reaches the delay proxy over TLS (the throw-away
 * CA given in `NODE_EXTRA_CA_CERTS`), so it pays a real handshake as the Go tools do.
 */
export async function startBenchWorld(proxyOptions: Omit<DelayProxyOptions, 'target' | 'tls'> & { readonly https?: boolean }): Promise<BenchWorld> {
  let moto: MotoServer | undefined;
  let proxy: DelayProxy | undefined;
  let tls: TlsInterceptor | undefined;
  let certificates: ThrowAwayCertificates | undefined;
  const close = async () => {
    await tls?.close();
    await proxy?.close();
    await moto?.stop();
    certificates?.remove();
  };
  try {
    moto = await startMoto();
    const seeded = await seedScenario(moto.endpoint, demoScenario());
    certificates = makeThrowAwayCertificates();
    const { https, ...delay } = proxyOptions;
    proxy = await startDelayProxy({ ...delay, target: moto.endpoint, ...(https ? { tls: certificates } : {}) });
    tls = await startTlsInterceptor({ target: proxy.endpoint, certificates });
    const world: World = {
      user: seeded.users['luis.gonzalez']!,
      roleArn: seeded.roleArn('222222222222', 'dev-datalab-delegated-admin'),
      endpoint: proxy.tlsEndpoint ?? proxy.endpoint,
      httpsProxy: tls.proxyUrl,
      caFile: certificates.caFile,
    };
    return { moto, proxy, world, close };
  } catch (err) {
    await close();
    throw err;
  }
}
