import { AnwbisError, shown } from '../errors/errors.js';
import { explainAwsError } from '../errors/explain-aws.js';
import type { AccessKeysPort, AwsCredentials, AwsPort } from '../aws/port.js';
import { resolveRegion } from '../aws/region.js';
import { StateStore } from '../cache/state-store.js';
import { readParsedAwsFile, updateAwsFile } from '../credentials-file/aws-file.js';
import { getSection, setSection } from '../credentials-file/ini-edit.js';
import { displayPath } from '../fs/display.js';
import { parseCallerArn } from '../identity/caller-arn.js';
import { LOCK_NAMES, withNamedLock } from '../locks/lock.js';
import { assertValidName } from '../naming/validate.js';
import { anwbisHome, credentialsFilePath } from '../paths/paths.js';
import { loadSettings } from '../settings/settings.js';
import { chooseSourceProfile } from '../source/source.js';
import { readKeyIndex, writeKeyIndex, type KeyBackend } from './key-index.js';
import { assertKeyShape, maskedKeyId, parseKeys, serializeKeys, type StoredKeys } from './secret.js';
import { openBackend, type KeyStoreDeps } from './store.js';

/** The effects of the `keys` commands. */
export interface KeysDeps extends KeyStoreDeps {
  readonly createAws: (options: { credentials: AwsCredentials; region: string }) => AwsPort & AccessKeysPort;
  /** Keys typed at a prompt or piped on stdin, when the credentials file has none for the profile. */
  readonly readKeys: () => Promise<StoredKeys>;
  /** Waits between checks of a new key (IAM takes a few seconds to honour it everywhere). */
  readonly sleep?: (ms: number) => Promise<void>;
}

const KEY_LINES = ['aws_access_key_id', 'aws_secret_access_key'] as const;

async function chosenProfile(flag: string | undefined, deps: Pick<KeysDeps, 'env'>): Promise<string> {
  if (flag !== undefined) assertValidName('profile', flag);
  return chooseSourceProfile(flag, deps.env, new StateStore(anwbisHome(deps.env)));
}

export interface AddKeysRequest {
  readonly profile?: string | undefined;
  readonly backend?: KeyBackend | undefined;
  readonly region?: string | undefined;
}

export interface AddKeysResult {
  readonly profile: string;
  readonly backend: KeyBackend;
  readonly where: string;
  readonly keyId: string;
  readonly userArn: string;
  /** The credentials file the key lines were removed from; undefined when they were typed or piped. */
  readonly removedFrom?: string;
}

/**
 * Stores a profile's long-term keys in the keychain (or the key file): the keys of its section
 * in the credentials file, else keys typed or piped. They are stored only after AWS accepted
 * them (GetCallerIdentity), and only then are their two lines removed from the credentials file;
 * every other byte of it stays.
 */
export async function addKeys(request: AddKeysRequest, deps: KeysDeps): Promise<AddKeysResult> {
  const home = anwbisHome(deps.env);
  const profile = await chosenProfile(request.profile, deps);
  const backend = request.backend ?? (await loadSettings(home)).keysBackend;
  const credentialsFile = credentialsFilePath(deps.env);
  // The keys found there are removed from it once stored: a file that cannot be edited is
  // refused now, before anything is stored.
  const section = getSection(await readParsedAwsFile(credentialsFile), profile);
  if (section?.aws_session_token !== undefined) {
    throw new AnwbisError('usage', `profile ${shown(profile)} holds temporary credentials (aws_session_token), not long-term keys`, {
      next: 'give the profile with your IAM user keys (--profile)',
    });
  }
  const fromFile = section?.aws_access_key_id && section.aws_secret_access_key ? { accessKeyId: section.aws_access_key_id, secretAccessKey: section.aws_secret_access_key } : undefined;
  const keys = fromFile ?? (await deps.readKeys());
  assertKeyShape(keys);
  const secret = serializeKeys(keys);
  const region = await resolveRegion(request.region, deps.env, profile);
  const caller = await deps
    .createAws({ credentials: keys, region })
    .getCallerIdentity()
    .catch((error: unknown) => {
      throw withNothingChanged(explainAwsError(error, 'testing the keys', { profile }));
    });

  const store = openBackend(backend, deps);
  await withNamedLock(home, LOCK_NAMES.keys, async () => {
    const index = await readKeyIndex(home);
    const previous = index[profile];
    await store.set(profile, secret);
    await writeKeyIndex(home, { ...index, [profile]: { backend, keyIdEnd: keys.accessKeyId.slice(-4) } });
    // Moved from one backend to the other: the old copy goes.
    if (previous && previous.backend !== backend) await openBackend(previous.backend, deps).delete(profile);
  });
  let removed = false;
  if (fromFile) {
    ({ changed: removed } = await updateAwsFile(credentialsFile, (text) => {
      const now = getSection(text, profile);
      // Keys changed in the file meanwhile are not ours to remove.
      if (now?.aws_access_key_id !== fromFile.accessKeyId || now.aws_secret_access_key !== fromFile.secretAccessKey) return text;
      return setSection(text, profile, [], { removeKeys: KEY_LINES });
    }));
  }
  return {
    profile,
    backend,
    where: store.where,
    keyId: maskedKeyId(keys.accessKeyId),
    userArn: caller.arn,
    ...(removed ? { removedFrom: displayPath(credentialsFile) } : {}),
  };
}

function withNothingChanged(error: AnwbisError): AnwbisError {
  return new AnwbisError(error.kind, `${error.message}; nothing was stored and the credentials file is unchanged`, { next: error.next ?? 'check the keys and run again', cause: error });
}

export interface StoredKeysEntry {
  readonly profile: string;
  readonly backend: KeyBackend;
  readonly keyId: string;
}

/** The profiles whose keys anwbis keeps, from the index alone: no keychain, no passphrase. */
export async function listKeys(deps: Pick<KeysDeps, 'env'>): Promise<StoredKeysEntry[]> {
  const index = await readKeyIndex(anwbisHome(deps.env));
  return Object.entries(index).map(([profile, e]) => ({ profile, backend: e.backend, keyId: `…${e.keyIdEnd}` }));
}

/** Forgets a profile's stored keys (the keys stay valid in IAM). */
export async function removeKeys(request: { profile?: string | undefined }, deps: KeyStoreDeps): Promise<{ profile: string; where: string }> {
  const home = anwbisHome(deps.env);
  const profile = await chosenProfile(request.profile, deps);
  return withNamedLock(home, LOCK_NAMES.keys, async () => {
    const index = await readKeyIndex(home);
    const entry = index[profile];
    if (!entry) throw notStored(profile);
    const store = openBackend(entry.backend, deps);
    await store.delete(profile);
    const { [profile]: _gone, ...rest } = index;
    await writeKeyIndex(home, rest);
    return { profile, where: store.where };
  });
}

function notStored(profile: string): AnwbisError {
  return new AnwbisError('usage', `anwbis keeps no keys for profile ${shown(profile)}`, { next: `see which it keeps with \`anwbis keys list\`, or store them with \`anwbis keys add --profile ${profile}\`` });
}

export interface RotateResult {
  readonly profile: string;
  readonly where: string;
  readonly oldKeyId: string;
  readonly newKeyId: string;
}

/** How long a new key is given to start working: IAM is eventually consistent, usually seconds. */
const VERIFY_DELAYS_MS = [1000, 2000, 3000, 4000, 5000, 5000, 5000, 5000];

/**
 * Replaces a profile's stored key: CreateAccessKey, wait until the new key works, store it,
 * DeleteAccessKey the old one. Whatever step fails, a working key is stored, and the error says
 * which key is where.
 */
export async function rotateKeys(request: { profile?: string | undefined; region?: string | undefined }, deps: Omit<KeysDeps, 'readKeys'>): Promise<RotateResult> {
  const home = anwbisHome(deps.env);
  const profile = await chosenProfile(request.profile, deps);
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  return withNamedLock(home, LOCK_NAMES.keys, async () => {
    const entry = (await readKeyIndex(home))[profile];
    if (!entry) throw notStored(profile);
    const store = openBackend(entry.backend, deps);
    const secret = await store.get(profile);
    if (secret === undefined) throw new AnwbisError('config', `the keys of profile ${shown(profile)} should be in ${store.where}, but are not there`, { next: `add them again with \`anwbis keys add --profile ${profile}\`` });
    const old = parseKeys(secret, store.where);
    const region = await resolveRegion(request.region, deps.env, profile);
    const oldAws = deps.createAws({ credentials: old, region });
    const caller = await oldAws.getCallerIdentity().catch((error: unknown) => {
      throw explainAwsError(error, 'checking the stored key', { profile });
    });
    const identity = parseCallerArn(caller.arn);
    if (identity.kind !== 'user') throw new AnwbisError('usage', `the keys of profile ${shown(profile)} are not an IAM user's (${caller.arn}); only a user's keys can be rotated`);
    const oldId = old.accessKeyId;
    const kept = `the old key ${oldId} is still stored in ${store.where} and still works`;

    const created = await oldAws.createAccessKey(identity.name).catch((error: unknown) => {
      const e = explainAwsError(error, 'creating a new access key', { profile });
      throw new AnwbisError(e.kind, `${e.message}; ${kept}`, {
        next: 'IAM allows two keys per user: delete the one you no longer use in the IAM console, then run `anwbis keys rotate` again',
        cause: error,
      });
    });
    const newId = created.accessKeyId;
    const newAws = deps.createAws({ credentials: created, region });
    const dropNew = async (why: string): Promise<never> => {
      const deleted = await oldAws.deleteAccessKey(identity.name, newId).then(
        () => `the new key ${newId} was deleted again`,
        () => `the new key ${newId} exists in IAM but is not stored: delete it (\`aws iam delete-access-key --user-name ${identity.name} --access-key-id ${newId}\`)`,
      );
      throw new AnwbisError('aws', `${why}; ${kept}; ${deleted}`, { next: 'run `anwbis keys rotate` again later' });
    };

    let verified = false;
    for (const delay of [0, ...VERIFY_DELAYS_MS]) {
      if (delay > 0) await sleep(delay);
      const answer = await newAws.getCallerIdentity().then(
        (c) => c,
        () => undefined,
      );
      if (answer !== undefined) {
        if (answer.arn !== caller.arn) return dropNew(`the new key belongs to ${answer.arn}, not ${caller.arn}`);
        verified = true;
        break;
      }
    }
    if (!verified) return dropNew(`the new key ${newId} was not accepted by AWS within ${VERIFY_DELAYS_MS.reduce((a, b) => a + b, 0) / 1000} s`);

    try {
      await store.set(profile, serializeKeys(created));
    } catch (error) {
      return dropNew(`storing the new key in ${store.where} failed (${(error as Error).message})`);
    }
    await writeKeyIndex(home, { ...(await readKeyIndex(home)), [profile]: { backend: entry.backend, keyIdEnd: newId.slice(-4) } });

    await newAws.deleteAccessKey(identity.name, oldId).catch((error: unknown) => {
      const e = explainAwsError(error, `deleting the old key ${oldId}`, { profile });
      throw new AnwbisError(e.kind, `${e.message}; the new key ${newId} is stored in ${store.where} and works, the old key ${oldId} is still active in IAM`, {
        next: `delete it: \`aws iam delete-access-key --user-name ${identity.name} --access-key-id ${oldId}\``,
        cause: error,
      });
    });
    return { profile, where: store.where, oldKeyId: oldId, newKeyId: newId };
  });
}
