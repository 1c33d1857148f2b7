import { AnwbisError, shown } from '../errors/errors.js';
import type { AwsCredentials } from '../aws/port.js';

export const SHELLS = ['bash', 'zsh', 'fish', 'powershell'] as const;
export type Shell = (typeof SHELLS)[number];

/** The environment variables that hand credentials to AWS tools. */
export function credentialVariables(credentials: AwsCredentials, region?: string): Array<[string, string]> {
  const vars: Array<[string, string]> = [
    ['AWS_ACCESS_KEY_ID', credentials.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', credentials.secretAccessKey],
  ];
  if (credentials.sessionToken) vars.push(['AWS_SESSION_TOKEN', credentials.sessionToken]);
  if (credentials.expiration) vars.push(['AWS_CREDENTIAL_EXPIRATION', credentials.expiration.toISOString()]);
  if (region) vars.push(['AWS_REGION', region], ['AWS_DEFAULT_REGION', region]);
  return vars;
}

/**
 * PowerShell's single-quote characters: besides `'`, the typographic U+2018–U+201B end a
 * verbatim string too (PowerShell Language Specification §2.3.5.2), and each is escaped by
 * doubling it.
 */
const POWERSHELL_QUOTES = /['\u2018-\u201b]/g;

function quote(shell: Shell, value: string): string {
  if (shell === 'powershell') return `'${value.replace(POWERSHELL_QUOTES, '$&$&')}'`;
  if (shell === 'fish') return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function unsetLine(shell: Shell, name: string): string {
  return shell === 'fish' ? `set -e ${name};` : shell === 'powershell' ? `Remove-Item Env:${name} -ErrorAction SilentlyContinue` : `unset ${name}`;
}

/**
 * Lines that set the variables in a shell, and unset `unset` (by default `AWS_PROFILE`, so it
 * cannot point the tools elsewhere). Values are quoted for that shell, whatever they contain.
 */
export function formatShellExports(vars: ReadonlyArray<readonly [string, string]>, shell: Shell = 'bash', unset: readonly string[] = ['AWS_PROFILE']): string {
  if (!SHELLS.includes(shell)) throw new AnwbisError('usage', `unknown shell ${shown(shell)}: use ${SHELLS.join(', ')}`);
  const lines = vars.map(([name, value]) => {
    switch (shell) {
      case 'fish':
        return `set -gx ${name} ${quote(shell, value)};`;
      case 'powershell':
        return `$Env:${name} = ${quote(shell, value)}`;
      default:
        return `export ${name}=${quote(shell, value)}`;
    }
  });
  return `${[...lines, ...unset.map((name) => unsetLine(shell, name))].join('\n')}\n`;
}
