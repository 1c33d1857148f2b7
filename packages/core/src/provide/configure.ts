import { removeSection, getSection } from '../credentials-file/ini-edit.js';
import { displayPath, updateAwsFile } from '../credentials-file/aws-file.js';
import { resolveRegion } from '../aws/region.js';
import type { Env } from '../paths/paths.js';
import { assertEditable, readValidWrittenProfile, writeConfigProfile } from '../profiles/profiles.js';
import { chooseSourceProfile } from '../source/source.js';
import { prepareRequest } from '../assume/request.js';
import type { AssumeRequest } from '../assume/resolve.js';
import type { MfaSources } from '../mfa/code.js';

/**
 * Quotes a word of `credential_process` so that botocore's split (`shlex.split`, which keeps
 * the backslash of `\$` inside double quotes) and a POSIX shell (the JavaScript SDK runs the line
 * with `exec`) both read it back unchanged: single quotes, the one quoting the two agree on.
 */
function quoteWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The `anwbis credential-process …` command line for a request. */
export function credentialProcessCommand(program: readonly string[], request: AssumeRequest): string {
  const t = request.target;
  const words = [...program, 'credential-process', ...('name' in t ? ['--target', t.name] : ['-p', t.project, '-e', t.env, '-r', t.role])];
  if (t.contractor) words.push('-c', t.contractor);
  if (t.groupName) words.push('--iam-master-group', t.groupName);
  if (t.policyName) words.push('--iam-policy', t.policyName);
  if (t.delegatedRoleName) words.push('--iam-delegated-role', t.delegatedRoleName);
  if (request.sourceProfile) words.push('--profile', request.sourceProfile);
  if (request.externalId) words.push('--externalid', request.externalId);
  if (request.account) words.push('--account', request.account);
  if (request.region) words.push('--region', request.region);
  return words.map(quoteWord).join(' ');
}

const NO_MFA: MfaSources = { prompter: { interactive: false, ask: () => Promise.reject(new Error('configure never asks')) } };

/**
 * Writes a config profile whose credentials come from `anwbis credential-process`, and removes a
 * static credentials section of the same name, which the AWS CLI and SDKs would use instead.
 * Valid credentials anwbis wrote in that section for this same request go to the
 * credential-process cache first, so the next call is served from them instead of needing a
 * corp session or an MFA code. Both files are checked before either is written, so a refusal
 * changes neither.
 * @param program how to start this anwbis (e.g. the Node binary and the bin script).
 */
export async function configureCredentialProcess(request: AssumeRequest, deps: { env: Env; program: readonly string[]; now: Date }) {
  const prepared = await prepareRequest({ ...request, noMfa: true }, { env: deps.env, mfa: NO_MFA });
  const { target, files, store, settings } = prepared;
  await assertEditable(files.configFile, files.credentialsFile);
  const sourceProfile = await chooseSourceProfile(request.sourceProfile, deps.env, store);
  const region = await resolveRegion(request.region, deps.env, sourceProfile);
  const command = credentialProcessCommand(deps.program, request);
  const written = await readValidWrittenProfile(store, files.credentialsFile, target.profileName, {
    kind: 'assume',
    now: deps.now,
    marginSeconds: settings.refreshMarginSeconds,
  });
  const carried = written?.record.requestKey === prepared.key ? written : undefined;
  const roleArn = carried?.record.roleArn;
  if (carried && roleArn) {
    await store.writeCredentials({
      version: 1,
      profile: target.profileName,
      requestKey: prepared.key,
      region: carried.record.region,
      roleArn,
      accessKeyId: carried.credentials.accessKeyId,
      secretAccessKey: carried.credentials.secretAccessKey,
      sessionToken: carried.credentials.sessionToken,
      expiration: carried.credentials.expiration.toISOString(),
    });
  }
  await writeConfigProfile(files.configFile, target.profileName, [
    ['credential_process', command],
    ['region', region],
  ]);
  let removedStatic = false;
  await updateAwsFile(files.credentialsFile, (text) => {
    if (getSection(text, target.profileName) === undefined) return text;
    removedStatic = true;
    return removeSection(text, target.profileName);
  });
  // The record described the section just removed; the cache holds what is left of it.
  if (removedStatic) await store.forgetProfile(target.profileName);
  return {
    profile: target.profileName,
    command,
    removedStatic,
    carriedUntil: roleArn ? carried?.credentials.expiration : undefined,
    credentialsFile: displayPath(files.credentialsFile),
  };
}
