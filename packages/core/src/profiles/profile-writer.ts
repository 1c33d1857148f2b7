import type { TemporaryCredentials } from '../aws/port.js';
import type { PreparedWrite } from '../fs/atomic-write.js';
import type { ProfileRecord, StateStore } from '../cache/state-store.js';
import { displayPath } from '../credentials-file/aws-file.js';
import type { EventSink } from '../events/events.js';
import { writeConfigProfile, writeCredentialsProfile } from './profiles.js';

/** The AWS files a profile is written into. */
export interface ProfileFiles {
  readonly credentialsFile: string;
  readonly configFile: string;
}

/**
 * Writes a profile anwbis made: the keys into the credentials file first (what the person asked
 * for), then the region into the config file, then what anwbis remembers about it. State that
 * cannot be saved (an unwritable `ANWBIS_HOME`) is a warning, not a lost profile.
 */
export async function writeProfile(
  files: ProfileFiles,
  store: StateStore,
  written: { readonly credentials: TemporaryCredentials; readonly record: Omit<ProfileRecord, 'version' | 'accessKeyId' | 'expiration'> },
  events: EventSink,
): Promise<void> {
  const { credentials, record } = written;
  // The record's new file is written and fsynced while the keys are (about 2 ms of every assume),
  // and replaces the old record only once they are in place, as when written after them.
  const prepared: Promise<PreparedWrite | Error> = store
    .prepareProfile({ ...record, version: 1, accessKeyId: credentials.accessKeyId, expiration: credentials.expiration.toISOString() })
    .catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  try {
    await writeCredentialsProfile(files.credentialsFile, record.profile, credentials);
    await writeConfigProfile(files.configFile, record.profile, [['region', record.region]]);
  } catch (error) {
    const unused = await prepared;
    if (!(unused instanceof Error)) await unused.abort();
    throw error;
  }
  await saveState(
    async () => {
      const ready = await prepared;
      if (ready instanceof Error) throw ready;
      await ready.commit();
    },
    `profile ${record.profile} was written, but its expiry could not be saved under ${store.home}`,
    events,
  );
  events({ type: 'written', kind: record.kind, profile: record.profile, file: displayPath(files.credentialsFile), expiration: credentials.expiration });
}

/** Runs a state write; a failure becomes a warning event. */
export async function saveState(write: () => Promise<void>, what: string, events: EventSink): Promise<void> {
  try {
    await write();
  } catch (err) {
    events({ type: 'warning', message: `${what}: ${(err as Error).message}` });
  }
}
