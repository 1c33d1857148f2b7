import { removeSection, getSection } from '../credentials-file/ini-edit.js';
import { displayPath, updateAwsFile } from '../credentials-file/aws-file.js';
import { resolveRegion } from '../aws/source.js';
import { resolveTarget } from '../naming/patterns.js';
import { anwbisHome, configFilePath, credentialsFilePath, type Env } from '../paths/paths.js';
import { writeConfigProfile } from '../profiles/profiles.js';
import { loadSettings } from '../settings/settings.js';
import { validateAssumeRequest, type AssumeRequest } from '../assume/assume.js';
import { chooseSourceProfile } from '../assume/source.js';
import { StateStore } from '../cache/state-store.js';

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
  const words = [...program, 'credential-process', '-p', t.project, '-e', t.env, '-r', t.role];
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

/**
 * Writes a config profile whose credentials come from `anwbis credential-process`, and removes a
 * static credentials section of the same name, which the AWS CLI and SDKs would use instead.
 * @param program how to start this anwbis (e.g. the Node binary and the bin script).
 */
export async function configureCredentialProcess(request: AssumeRequest, deps: { env: Env; program: readonly string[] }) {
  validateAssumeRequest(request);
  const settings = await loadSettings(anwbisHome(deps.env));
  const target = resolveTarget(request.target, settings.naming);
  const configFile = configFilePath(deps.env);
  const credentialsFile = credentialsFilePath(deps.env);
  const sourceProfile = await chooseSourceProfile(request.sourceProfile, deps.env, new StateStore(anwbisHome(deps.env)));
  const region = await resolveRegion(request.region, deps.env, sourceProfile);
  const command = credentialProcessCommand(deps.program, request);
  await writeConfigProfile(configFile, target.profileName, [
    ['credential_process', command],
    ['region', region],
  ]);
  let removedStatic = false;
  await updateAwsFile(credentialsFile, (text) => {
    if (getSection(text, target.profileName) === undefined) return text;
    removedStatic = true;
    return removeSection(text, target.profileName);
  });
  return { profile: target.profileName, command, removedStatic, credentialsFile: displayPath(credentialsFile) };
}
