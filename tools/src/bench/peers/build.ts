import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `tools/.bin` (git-ignored), where the peers' binaries go. */
export const BIN_DIR = fileURLToPath(new URL('../../../.bin/', import.meta.url));
const WRAPPERS = fileURLToPath(new URL('../../../bench/peers/', import.meta.url));

interface Peer {
  readonly name: 'aws-vault' | 'granted';
  /** The main package, built at the exact version its wrapper module (tools/bench/peers/NAME) requires. */
  readonly main: string;
  readonly ldflags?: string;
}

/**
 * The exact releases compared. Granted's release build sets its config folder (`.granted`) and
 * version through ldflags; without them it would be a development build reading `.dgranted`.
 */
export const PEERS: readonly Peer[] = [
  { name: 'aws-vault', main: 'github.com/99designs/aws-vault/v7' },
  {
    name: 'granted',
    main: 'github.com/common-fate/granted/cmd/granted',
    ldflags: '-X github.com/common-fate/granted/internal/build.ConfigFolderName=.granted -X github.com/common-fate/granted/internal/build.Version=0.38.0',
  },
];

/** The release each wrapper module pins, for the table's title. */
export const PEER_VERSIONS: Readonly<Record<string, string>> = { 'aws-vault': '7.2.0', granted: '0.38.0' };

/**
 * Builds each peer into tools/.bin unless it is already there. A wrapper module per peer (go.mod
 * and go.sum kept in the repo) pins the release, because the module proxy refuses version lists,
 * so `go install MODULE@latest` cannot resolve; building the peer's main package from inside the
 * wrapper uses exactly the versions the wrapper's go.mod lists.
 * A peer that cannot be built is left out (with the reason on stderr) so the others still run.
 * @returns the path of each binary that is there, by name
 */
export function ensurePeers(log: (line: string) => void): Partial<Record<Peer['name'], string>> {
  mkdirSync(BIN_DIR, { recursive: true });
  const paths: Partial<Record<Peer['name'], string>> = {};
  for (const peer of PEERS) {
    const out = `${BIN_DIR}${peer.name}`;
    if (existsSync(out)) {
      paths[peer.name] = out;
      continue;
    }
    log(`bench:peers: building ${peer.name} (${peer.main}) into tools/.bin; this takes minutes the first time`);
    const args = ['build', '-trimpath', '-o', out, ...(peer.ldflags ? ['-ldflags', peer.ldflags] : []), peer.main];
    const res = spawnSync('go', args, {
      cwd: `${WRAPPERS}${peer.name}`,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, GOFLAGS: '-mod=readonly -buildvcs=false' },
    });
    if (res.error || res.status !== 0) {
      log(`bench:peers: leaving ${peer.name} out: go ${args.join(' ')} ${res.error ? res.error.message : `exited with ${res.status}`} (is Go installed and its module proxy reachable?)`);
      continue;
    }
    paths[peer.name] = out;
  }
  return paths;
}
