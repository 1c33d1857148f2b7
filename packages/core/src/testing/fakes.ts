import type { AnwbisError } from '../errors/errors.js';
import type { BrowserChoice, BrowserLauncher, OpenOptions, OpenResult } from '../console/browser.js';

/** A {@link BrowserLauncher} for tests: records what it was asked to open and opens nothing. */
export class FakeBrowserLauncher implements BrowserLauncher {
  readonly opened: Array<{ readonly url: string; readonly choice: BrowserChoice; readonly options: OpenOptions }> = [];

  constructor(private readonly failure?: AnwbisError) {}

  async open(url: string, choice: BrowserChoice, options: OpenOptions = {}): Promise<OpenResult> {
    if (this.failure) throw this.failure;
    this.opened.push({ url, choice, options });
    return choice === 'link' ? { kind: 'link', url } : { kind: 'launched', pid: 0, command: choice };
  }
}
