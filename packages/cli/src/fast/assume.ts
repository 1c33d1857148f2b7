import { readFileSync } from 'node:fs';
import { credentialVariables, formatShellExports, getSection, precheckMfaSources, readProfileRecordSync, standingProfile } from '@anwbis/core/fast';
import { writeOut } from './out.js';
import { fastRequest } from './request.js';

/** Read but not needed to reuse: an MFA code or command is only needed when nothing can be reused. */
const REUSE_FLAGS = ['stdout', 'nomfa', 'mfa-code', 'mfa-process'] as const;

/**
 * `anwbis -p … -e … -r …` (or `assume`, `--stdout`) when the profile anwbis wrote for this same
 * request is still valid and still stands in the credentials file as written: prints the
 * full command's "Reusing profile" line without loading oclif, zod or the AWS SDK. Decides
 * exactly as the full command's reuse does (kind, request key, expiry less the margin, the
 * section's key id and session token); anything else, and any flag not parsed here, returns
 * false with nothing printed, and the full command decides.
 */
export async function fastAssume(args: readonly string[]): Promise<boolean> {
  const request = await fastRequest('assume', args, REUSE_FLAGS);
  if (!request) return false;
  const { home, profile, key, settings, credentialsFile, flags } = request;
  try {
    // As the full command: a code given is checked before anything is reused.
    if (!flags.nomfa) precheckMfaSources({ flag: flags['mfa-code'] });
  } catch {
    return false;
  }
  const record = readProfileRecordSync(home, profile);
  if (record?.kind !== 'assume' || record.requestKey !== key) return false;
  let section: Record<string, string> | undefined;
  try {
    section = getSection(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(readFileSync(credentialsFile)), profile);
  } catch {
    // Unreadable or unparseable: the full command says where.
    return false;
  }
  const standing = standingProfile(record, section, { kind: 'assume', now: new Date(), marginSeconds: settings.refreshMarginSeconds });
  if (!standing) return false;
  const { expiration } = standing.credentials;
  process.stderr.write(`[ OK ] Reusing profile ${profile}: still valid until ${expiration.toISOString()}\n`);
  if (flags.stdout) writeOut(formatShellExports(credentialVariables(standing.credentials, record.region)));
  return true;
}
