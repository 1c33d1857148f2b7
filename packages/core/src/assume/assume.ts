import { AnwbisError } from '../errors/errors.js';
import type { TemporaryCredentials } from '../aws/port.js';
import { assertEditable, readValidWrittenProfile } from '../profiles/profiles.js';
import { chooseSourceProfile } from '../source/source.js';
import { writeProfile } from '../profiles/profile-writer.js';
import { taggingRecord } from '../session-tags/session-tags.js';
import { obtainRoleCredentials, rememberLookup } from './obtain.js';
import { prepareRequest, type FlowDeps, type PreparedRequest } from './request.js';
import type { AssumeRequest } from './resolve.js';

/** What an assume produced. */
export interface AssumeResult {
  readonly profile: string;
  readonly credentials: TemporaryCredentials;
  readonly region: string;
  readonly roleArn: string;
  readonly account: string;
  /** True when still-valid credentials were reused without calling AWS. */
  readonly reused: boolean;
  readonly credentialsFile: string;
}

/**
 * `anwbis assume`: credentials for a delegated role written as a profile. Still-valid ones that
 * anwbis wrote for this same request are reused; otherwise new ones are obtained and written.
 */
export async function assume(request: AssumeRequest, deps: FlowDeps): Promise<AssumeResult> {
  const prepared = await prepareRequest(request, deps);
  const { target, store, files } = prepared;
  if (!request.refresh) {
    const reused = await reuseWritten(prepared, deps);
    if (reused) return reused;
  }
  await assertEditable(files.credentialsFile, files.configFile);
  const sourceProfile = request.fromEc2Role ? '' : await chooseSourceProfile(request.sourceProfile, deps.env, store, deps.events);
  if (target.profileName === sourceProfile) {
    throw new AnwbisError('usage', `the profile to write, ${target.profileName}, is the source profile: writing it would replace your corp credentials`, {
      next: 'change the [naming] profile pattern in ANWBIS_HOME/config, or use another --profile',
    });
  }
  const obtained = await obtainRoleCredentials(prepared, request, sourceProfile, deps);
  // The role found is remembered beside the profile's writes, not after them: its own file under
  // ANWBIS_HOME, and a failure is only a warning (about 3 ms of a first assume).
  const [written] = await Promise.allSettled([
    writeProfile(
      files,
      store,
      {
        credentials: obtained.credentials,
        record: {
          profile: target.profileName,
          kind: 'assume',
          region: obtained.region,
          roleArn: obtained.roleArn,
          account: obtained.account,
          sourceProfile: obtained.sourceProfile,
          requestKey: prepared.key,
          sessionName: obtained.sessionName,
          durationSeconds: obtained.durationSeconds,
          ...(request.externalId ? { externalId: request.externalId } : {}),
          ...taggingRecord(obtained.tagging),
        },
      },
      deps.events,
    ),
    rememberLookup(store, obtained.lookup, deps.events),
  ]);
  if (written.status === 'rejected') throw written.reason as Error;
  const { credentials, region, roleArn, account } = obtained;
  return { profile: target.profileName, credentials, region, roleArn, account, reused: false, credentialsFile: files.credentialsFile };
}

async function reuseWritten(prepared: PreparedRequest, deps: FlowDeps): Promise<AssumeResult | undefined> {
  const profile = prepared.target.profileName;
  const written = await readValidWrittenProfile(prepared.store, prepared.files.credentialsFile, profile, {
    kind: 'assume',
    now: deps.clock.now(),
    marginSeconds: prepared.settings.refreshMarginSeconds,
  }).catch(() => undefined);
  if (!written) return undefined;
  if (written.record.requestKey !== prepared.key) {
    deps.events({ type: 'replacing', profile });
    return undefined;
  }
  const { record, credentials } = written;
  deps.events({ type: 'reused', kind: 'assume', profile, expiration: credentials.expiration });
  return {
    profile,
    credentials,
    region: record.region,
    roleArn: record.roleArn ?? '',
    account: record.account ?? '',
    reused: true,
    credentialsFile: prepared.files.credentialsFile,
  };
}
