import { ANWBIS_BIN, run } from '../emulator/index.js';

/**
 * The environment of a shell served by `anwbis env --server ARGS` for the process `pid` (the
 * shell the listener lives as long as): the lines anwbis prints, applied by bash as
 * `eval "$(anwbis env --server …)"` applies them; the token goes in on stdin, never in arguments.
 */
export async function servedShellEnv(env: Record<string, string>, args: readonly string[], pid: number): Promise<Record<string, string>> {
  const lines = await run(process.execPath, [ANWBIS_BIN, 'env', '--server', ...args, '--pid', String(pid)], { env, timeoutMs: 120_000 });
  if (lines.code !== 0) throw new Error(`anwbis env --server failed: ${lines.stderr}`);
  const applied = await run('bash', ['-c', 'eval "$(cat)" && exec env -0'], { env, input: lines.stdout });
  if (applied.code !== 0) throw new Error(`the lines of anwbis env --server did not apply: ${applied.stderr}`);
  return Object.fromEntries(
    applied.stdout
      .split('\0')
      .filter(Boolean)
      .map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
  );
}
