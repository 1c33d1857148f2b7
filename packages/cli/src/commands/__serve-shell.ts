import { AnwbisCommand } from '../base.js';
import { runListener } from '../services/shell-server.js';

/** The endpoint of a shell `anwbis env --server` serves, started by it, detached; reads its request on stdin. */
export default class ServeShell extends AnwbisCommand {
  static override hidden = true;
  static override summary = 'Serve credentials to a shell until it exits (started by anwbis env --server)';

  async run(): Promise<void> {
    await this.parse(ServeShell);
    await runListener();
  }
}
