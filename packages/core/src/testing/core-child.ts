import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

// Runs core's TypeScript source directly: Node strips the types, and the hook maps the `.js`
// specifiers NodeNext requires onto the `.ts` files beside them.
const PRELUDE = `import { registerHooks } from 'node:module';
registerHooks({
  resolve(specifier, context, next) {
    try {
      return next(specifier, context);
    } catch (error) {
      if (specifier.startsWith('.') && specifier.endsWith('.js')) return next(specifier.slice(0, -3) + '.ts', context);
      throw error;
    }
  },
});
const core = await import(process.argv[2]);
const args = process.argv.slice(3);
`;

/** Writes a Node module at `path` that runs `body` with `core` (the module it is started with) and `args` in scope. */
export async function writeCoreScript(path: string, body: string): Promise<void> {
  await writeFile(path, PRELUDE + body, { mode: 0o644 });
}

/** A script from {@link writeCoreScript} running in its own process. */
export interface CoreChild {
  readonly process: ChildProcess;
  /** Everything it printed to stdout so far. */
  stdout(): string;
  /** Resolves with the first stdout line matching `pattern`; rejects if it exits first. */
  line(pattern: RegExp): Promise<string>;
  /** Resolves when it exits, with its status, signal and output. */
  readonly exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

/**
 * Starts `script` with `core` bound to the TypeScript module `module` (a core source file) and
 * `args`; as another user when `user` is given (the caller must be root).
 */
export function startCoreScript(script: string, module: URL, args: readonly string[], user?: { uid: number; gid: number }): CoreChild {
  const child = spawn(process.execPath, ['--no-warnings', script, fileURLToPath(module), ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(user ?? {}),
  });
  let stdout = '';
  let stderr = '';
  const waiters: Array<() => void> = [];
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const wake of waiters.splice(0)) wake();
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      for (const wake of waiters.splice(0)) wake();
      resolve({ code, signal, stdout, stderr });
    });
  });
  let exited = false;
  void exit.then(() => (exited = true), () => (exited = true));
  const line = (pattern: RegExp): Promise<string> =>
    new Promise((resolve, reject) => {
      const look = (): void => {
        const found = stdout.split('\n').find((candidate) => pattern.test(candidate));
        if (found !== undefined) resolve(found);
        else if (exited || child.exitCode !== null || child.signalCode !== null) reject(new Error(`child exited before printing ${pattern}: ${stderr}`));
        else waiters.push(look);
      };
      look();
    });
  return { process: child, stdout: () => stdout, line, exit };
}
