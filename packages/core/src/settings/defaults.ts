import { DEFAULT_PATTERNS, type NamingPatterns } from '../naming/patterns.js';

/** anwbis's own settings, from `ANWBIS_HOME/config`. */
export interface Settings {
  readonly naming: NamingPatterns;
  /** Seconds of validity below which cached credentials are renewed. */
  readonly refreshMarginSeconds: number;
}

/** The settings without a settings file; kept apart from the parser so fast paths need not load `ini`. */
export const DEFAULT_SETTINGS: Settings = { naming: DEFAULT_PATTERNS, refreshMarginSeconds: 300 };
