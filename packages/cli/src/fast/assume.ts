import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { credentialVariables, formatShellExports, getSection, isFresh } from '@anwbis/core/fast';
import { writeOut } from './out.js';
import { fastRequest } from './request.js';

/**
 * `anwbis -p … -e … -r …` (or `assume`, `--stdout`) when the profile anwbis wrote for this same
 * request is still valid and still stands in the credentials file as written: prints the
 * full command's "Reusing profile" line without loading oclif, zod or the AWS SDK. Decides
 * exactly as the full command's reuse does (kind, request key, expiry less the margin, the
 * section's key id and session token); anything else, and any flag not parsed here, returns
 * false with nothing printed, and the full command decides.
 */
export async function fastAssume(args: readonly string[]): Promise<boolean> {
  // An MFA code or command is only needed when nothing can be reused.
  const request = await fastRequest('assume', args, { switches: ['--stdout'], ignored: ['mfa-code', 'mfa-process'] });
  if (!request) return false;
  const { home, profile, key, settings, credentialsFile } = request;
  let record: { version?: unknown; kind?: unknown; requestKey?: unknown; accessKeyId?: unknown; expiration?: unknown; region?: unknown };
  let text: string;
  try {
    record = JSON.parse(readFileSync(join(home, 'profiles', `${encodeURIComponent(profile)}.json`), 'utf8'));
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(readFileSync(credentialsFile));
  } catch {
    return false;
  }
  if (record.version !== 1 || record.kind !== 'assume' || record.requestKey !== key) return false;
  if (typeof record.expiration !== 'string' || typeof record.region !== 'string' || typeof record.accessKeyId !== 'string') return false;
  const expiration = new Date(record.expiration);
  if (Number.isNaN(expiration.getTime()) || !isFresh(expiration, new Date(), settings.refreshMarginSeconds)) return false;
  let section: Record<string, string> | undefined;
  try {
    section = getSection(text, profile);
  } catch {
    // Unparseable: the full command says where.
    return false;
  }
  const accessKeyId = section?.aws_access_key_id;
  const secretAccessKey = section?.aws_secret_access_key;
  const sessionToken = section?.aws_session_token;
  if (!accessKeyId || !secretAccessKey || !sessionToken || accessKeyId !== record.accessKeyId) return false;
  process.stderr.write(`[ OK ] Reusing profile ${profile}: still valid until ${expiration.toISOString()}\n`);
  if (request.switches.has('--stdout')) writeOut(formatShellExports(credentialVariables({ accessKeyId, secretAccessKey, sessionToken, expiration }, record.region)));
  return true;
}
