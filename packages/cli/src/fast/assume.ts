import { readFileSync } from 'node:fs';
import {
  credentialsFilePath,
  credentialVariables,
  formatShellExports,
  getSection,
  precheckMfaSources,
  readProfileRecordSync,
  sessionProfileName,
  standingProfile,
  type Settings,
  type StandingProfile,
} from '@anwbis/core/fast';
import { writeErr, writeOut } from './out.js';
import { fastRequest } from './request.js';

/** Read but not needed to reuse: an MFA code or command is only needed when nothing can be reused. */
const REUSE_FLAGS = ['stdout', 'nomfa', 'mfa-code', 'mfa-process', 'get-session'] as const;

/**
 * `anwbis -p … -e … -r …` (or `assume`, `--stdout`, `--get_session`) when the profile anwbis
 * wrote for this same request is still valid and still stands in the credentials file as
 * written (with `--get_session`, the corp session too): prints the full command's "Reusing"
 * lines without loading oclif, zod or the AWS SDK. Decides with core's own checks (request key,
 * cache/answer.ts); anything else, and any flag not read here, returns false with nothing
 * printed, and the full command decides.
 */
export async function fastAssume(args: readonly string[]): Promise<boolean> {
  let credentialsText: string | undefined;
  const sectionOf = (file: string, profile: string) => getSection((credentialsText ??= decodeStrict(readFileSync(file))), profile);
  let session: StandingProfile | undefined;
  const now = new Date();
  const request = await fastRequest('assume', args, REUSE_FLAGS, (asked, flags, { home, settings }) => {
    if (!flags['get-session']) return asked;
    session = reusableSession(flags.profile, home, settings, now, sectionOf);
    // Then the role is assumed from the session, as the full command does.
    return session && { ...asked, sourceProfile: session.record.profile, noMfa: true };
  });
  if (!request) return false;
  const { home, profile, key, settings, credentialsFile, flags } = request;
  try {
    // As the full command: a code given is checked before anything is reused (for the corp session, always).
    if (!flags.nomfa || flags['get-session']) precheckMfaSources({ flag: flags['mfa-code'] });
  } catch {
    return false;
  }
  const record = readProfileRecordSync(home, profile);
  if (record?.kind !== 'assume' || record.requestKey !== key) return false;
  let standing: StandingProfile | undefined;
  try {
    standing = standingProfile(record, sectionOf(credentialsFile, profile), { kind: 'assume', now, marginSeconds: settings.refreshMarginSeconds });
  } catch {
    // Unreadable or unparseable: the full command says where.
    return false;
  }
  if (!standing) return false;
  if (session) writeErr(`[ OK ] Reusing corp session ${session.record.profile}: valid until ${session.credentials.expiration.toISOString()}\n`);
  writeErr(`[ OK ] Reusing profile ${profile}: still valid until ${standing.credentials.expiration.toISOString()}\n`);
  if (flags.stdout) writeOut(formatShellExports(credentialVariables(standing.credentials, record.region)));
  return true;
}

/**
 * `--get_session`'s corp session when the full command would reuse it: `corp-session-<profile>`
 * of `--profile` (else `default`; an `AWS_PROFILE` is left to the full command, which decides
 * whether it can be a source), written by anwbis and still standing.
 */
function reusableSession(
  flag: string | undefined,
  home: string,
  settings: Settings,
  now: Date,
  sectionOf: (file: string, profile: string) => Record<string, string> | undefined,
): StandingProfile | undefined {
  if (!flag && process.env.AWS_PROFILE) return undefined;
  const source = flag || 'default';
  try {
    const name = sessionProfileName(source, settings.naming);
    if (name === source) return undefined;
    return standingProfile(readProfileRecordSync(home, name), sectionOf(credentialsFilePath(process.env), name), {
      kind: 'session',
      now,
      marginSeconds: settings.refreshMarginSeconds,
    });
  } catch {
    return undefined;
  }
}

function decodeStrict(bytes: Uint8Array): string {
  return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
}
