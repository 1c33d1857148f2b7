/** Progress for a person, on the terminal (stderr); never data. */
export interface Reporter {
  info(line: string): void;
  ok(line: string): void;
  /** Shown with `-v` only. */
  verbose(line: string): void;
}

export const silentReporter: Reporter = { info: () => undefined, ok: () => undefined, verbose: () => undefined };
