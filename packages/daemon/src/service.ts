/**
 * Service-manager definitions for the daemon: systemd user units (with socket activation) or
 * a launchd agent. Service managers do not see nvm/fnm PATHs, so Node and anwbis (or the single
 * executable) are named by absolute path.
 */
import { join } from 'node:path';

export interface ServiceFile {
  readonly path: string;
  readonly text: string;
}

export interface ServiceFiles {
  readonly manager: 'systemd' | 'launchd';
  readonly files: readonly ServiceFile[];
  /** What to run to start it now, in order (argument lists, no shell). */
  readonly enable: ReadonlyArray<readonly string[]>;
  readonly disable: ReadonlyArray<readonly string[]>;
}

/**
 * How this anwbis is started again: Node running the bin script of an npm install, or the
 * single executable, which is its own program (its argv is anwbis's: no script, no Node flags).
 */
export type AnwbisProgram =
  | { readonly kind: 'script'; /** Absolute path of the Node executable. */ readonly node: string; /** Absolute path of anwbis's bin script. */ readonly script: string }
  | { readonly kind: 'executable'; /** Absolute path of the single executable. */ readonly path: string };

export interface ServiceRequest {
  readonly platform: NodeJS.Platform;
  readonly program: AnwbisProgram;
  readonly home: string;
  /** XDG_CONFIG_HOME when set. */
  readonly configHome?: string;
  /** Environment the daemon must keep (AWS file locations, ANWBIS_HOME, endpoints). */
  readonly environment: Readonly<Record<string, string>>;
}

export const SYSTEMD_UNIT = 'anwbis-daemon';

/**
 * V8 settings for the long-running daemon. Its live heap is small (about 20 MB with 500
 * profiles) but a burst of refreshes makes V8 grow the heap it keeps; a small young
 * generation and an old-space ceiling keep the resident size near what is live.
 */
export const DAEMON_NODE_FLAGS = ['--max-semi-space-size=1', '--max-old-space-size=96'] as const;

/** A command line that runs the daemon in the foreground, and what it adds to its environment. */
export interface DaemonLaunch {
  readonly argv: readonly [string, ...string[]];
  readonly environment: Readonly<Record<string, string>>;
}

/**
 * How to run `anwbis daemon run` with the daemon's V8 settings. Node takes them as arguments
 * before the script; the single executable has no room for them in its argv, but reads
 * NODE_OPTIONS (its build keeps `execArgvExtension: "env"`), so there they go after whatever
 * NODE_OPTIONS the caller already has (`inherited`), where V8 lets the later setting win.
 */
export function daemonLaunch(program: AnwbisProgram, inherited?: string): DaemonLaunch {
  if (program.kind === 'script') return { argv: [program.node, ...DAEMON_NODE_FLAGS, program.script, 'daemon', 'run'], environment: {} };
  return { argv: [program.path, 'daemon', 'run'], environment: { NODE_OPTIONS: [inherited, ...DAEMON_NODE_FLAGS].filter((o) => o).join(' ') } };
}
export const LAUNCHD_LABEL = 'dev.anwbis.daemon';

// systemd's quoting: a double-quoted word with \ and " escaped; % and $ doubled so
// systemd expands neither specifiers nor variables in our paths.
function systemdWord(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/%/g, '%%').replace(/\$/g, '$$$$')}"`;
}

function xml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The unit files (or agent plist) for this platform and where they go. */
export function serviceFiles(request: ServiceRequest): ServiceFiles {
  const launch = daemonLaunch(request.program);
  const command = launch.argv;
  const environment = { ...request.environment, ...launch.environment };
  if (request.platform === 'darwin') {
    const path = join(request.home, 'Library', 'LaunchAgents', `${LAUNCHD_LABEL}.plist`);
    const env = Object.entries(environment)
      .map(([k, v]) => `      <key>${xml(k)}</key><string>${xml(v)}</string>\n`)
      .join('');
    const text = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
  <dict>
    <key>Label</key><string>${LAUNCHD_LABEL}</string>
    <key>ProgramArguments</key>
    <array>
${command.map((c) => `      <string>${xml(c)}</string>\n`).join('')}    </array>
    <key>EnvironmentVariables</key>
    <dict>
${env}    </dict>
    <key>RunAtLoad</key><true/>
    <key>KeepAlive</key><dict><key>SuccessfulExit</key><false/></dict>
    <key>ProcessType</key><string>Background</string>
  </dict>
</plist>
`;
    return {
      manager: 'launchd',
      files: [{ path, text }],
      enable: [['launchctl', 'bootstrap', `gui/${process.getuid?.() ?? ''}`, path]],
      disable: [['launchctl', 'bootout', `gui/${process.getuid?.() ?? ''}/${LAUNCHD_LABEL}`]],
    };
  }
  const dir = join(request.configHome ?? join(request.home, '.config'), 'systemd', 'user');
  const socket = `[Unit]
Description=anwbis daemon socket

[Socket]
ListenStream=%t/anwbis/daemon.sock
SocketMode=0600
DirectoryMode=0700

[Install]
WantedBy=sockets.target
`;
  const env = Object.entries(environment)
    .map(([k, v]) => `Environment=${systemdWord(`${k}=${v}`)}\n`)
    .join('');
  const service = `[Unit]
Description=anwbis: keeps watched AWS profiles fresh
Requires=${SYSTEMD_UNIT}.socket
After=${SYSTEMD_UNIT}.socket

[Service]
Type=simple
ExecStart=${command.map(systemdWord).join(' ')}
${env}Restart=on-failure
RestartSec=5

[Install]
WantedBy=default.target
`;
  return {
    manager: 'systemd',
    files: [
      { path: join(dir, `${SYSTEMD_UNIT}.socket`), text: socket },
      { path: join(dir, `${SYSTEMD_UNIT}.service`), text: service },
    ],
    enable: [
      ['systemctl', '--user', 'daemon-reload'],
      ['systemctl', '--user', 'enable', '--now', `${SYSTEMD_UNIT}.socket`],
    ],
    disable: [
      ['systemctl', '--user', 'disable', '--now', `${SYSTEMD_UNIT}.socket`, `${SYSTEMD_UNIT}.service`],
      ['systemctl', '--user', 'daemon-reload'],
    ],
  };
}
