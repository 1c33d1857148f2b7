import { DEFAULT_PATTERNS, type NamingPatterns } from '../naming/patterns.js';
import { NO_SESSION_TAGGING, type SessionTagging } from '../session-tags/session-tags.js';
import type { KeyBackend } from '../keys/key-index.js';

/** anwbis's own settings, from `ANWBIS_HOME/config`. */
export interface Settings {
  readonly naming: NamingPatterns;
  /** Seconds of validity below which cached credentials are renewed. */
  readonly refreshMarginSeconds: number;
  /** `[assume]`: the source identity and session tags every AssumeRole sends unless flags say otherwise. */
  readonly assume: SessionTagging;
  /** Where `anwbis keys add` stores keys unless told: the OS keychain, or the encrypted key file. */
  readonly keysBackend: KeyBackend;
}

/** The settings without a settings file; kept apart from the parser so fast paths need not load `ini`. */
export const DEFAULT_SETTINGS: Settings = { naming: DEFAULT_PATTERNS, refreshMarginSeconds: 300, assume: NO_SESSION_TAGGING, keysBackend: 'keychain' };
