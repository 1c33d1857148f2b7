import { AnwbisError } from '../errors/errors.js';

/** A code from an MFA device: exactly six digits. */
export const MFA_CODE = /^\d{6}$/;

/** Asks a person for input on their terminal. */
export interface Prompter {
  /** Whether a person can be asked (a terminal is attached). */
  readonly interactive: boolean;
  ask(question: string): Promise<string>;
}

/** Where an MFA code can come from, in order: flag, process, piped stdin line, prompt. */
export interface MfaSources {
  readonly flag?: string;
  /** `--mfa-process` command line; run without a shell, its stdout is the code. */
  readonly process?: string;
  readonly runProcess?: (commandLine: string) => Promise<string>;
  /** One line of stdin when stdin is not a terminal; undefined when there is none. */
  readonly stdinLine?: () => Promise<string | undefined>;
  readonly prompter: Prompter;
}

/** Validates a code and says where it came from when it is wrong. */
export function checkMfaCode(code: string, from: string): string {
  const trimmed = code.trim();
  if (!MFA_CODE.test(trimmed)) {
    throw new AnwbisError('mfa', `the MFA code from ${from} is not six digits`, { next: 'use the current six-digit code of your MFA device' });
  }
  return trimmed;
}

/**
 * Validates the codes that are known before any AWS call (the flag), so a malformed code is
 * refused before anything else happens.
 */
export function precheckMfaSources(sources: Pick<MfaSources, 'flag'>): void {
  if (sources.flag !== undefined) checkMfaCode(sources.flag, '--mfa-code');
}

/** A code obtained, and whether asking again could give a different one. */
export interface ObtainedCode {
  readonly code: string;
  readonly canAskAgain: boolean;
}

/** Gets an MFA code from the first source that applies. */
export async function obtainMfaCode(sources: MfaSources, question = 'Enter the MFA code: '): Promise<ObtainedCode> {
  if (sources.flag !== undefined) return { code: checkMfaCode(sources.flag, '--mfa-code'), canAskAgain: false };
  if (sources.process !== undefined) {
    if (!sources.runProcess) throw new Error('runProcess missing');
    const out = await sources.runProcess(sources.process);
    return { code: checkMfaCode(out.split('\n')[0] ?? '', `--mfa-process ${JSON.stringify(sources.process)}`), canAskAgain: false };
  }
  if (!sources.prompter.interactive) {
    const line = await sources.stdinLine?.();
    if (line !== undefined && line.trim() !== '') return { code: checkMfaCode(line, 'standard input'), canAskAgain: false };
    throw new AnwbisError('mfa', 'an MFA code is needed and there is no terminal to ask for it', {
      next: 'pass --mfa-code CODE, --mfa-process "CMD", or pipe the code on standard input',
    });
  }
  for (;;) {
    const answer = (await sources.prompter.ask(question)).trim();
    if (MFA_CODE.test(answer)) return { code: answer, canAskAgain: true };
    question = 'That is not six digits. Enter the MFA code: ';
  }
}
