import { describe, it, expect } from '@jest/globals';
import { AnwbisError } from '../errors/errors.js';
import { checkMfaCode, obtainMfaCode, precheckMfaSources, type MfaSources, type Prompter } from './code.js';
import { rejectedAnwbisError, thrownAnwbisError } from '../testing/caught.js';

/** A prompter that answers from a script and records the questions it was asked. */
function scriptedPrompter(answers: string[], interactive = true): Prompter & { questions: string[] } {
  const questions: string[] = [];
  return {
    interactive,
    questions,
    ask(question) {
      questions.push(question);
      const answer = answers.shift();
      return answer === undefined ? Promise.reject(new Error('prompter asked more often than scripted')) : Promise.resolve(answer);
    },
  };
}

const noTerminal = (): Prompter => scriptedPrompter([], false);

describe('checkMfaCode', () => {
  it.each([
    ['123456', '123456'],
    ['000000', '000000'],
    [' 123456 ', '123456'],
    ['123456\n', '123456'],
    ['123456\r\n', '123456'],
    ['\t654321', '654321'],
  ])('accepts %j as %j', (code, expected) => {
    expect(checkMfaCode(code, 'test')).toBe(expected);
  });

  it.each(['', '12345', '1234567', '12a456', '123 456', '12345\n6', '+12345', '-12345', '１２３４５６', '١٢٣٤٥٦', 'abcdef', '123456\n7'])('refuses %j', (code) => {
    const error = thrownAnwbisError(() => checkMfaCode(code, '--mfa-code'));
    expect(error.kind).toBe('mfa');
    expect(error.message).toBe('the MFA code from --mfa-code is not six digits');
    expect(error.next).toBe('use the current six-digit code of your MFA device');
  });
});

describe('precheckMfaSources', () => {
  it.each([[{}], [{ flag: '123456' }], [{ flag: ' 123456 ' }]])('accepts %j', (sources) => {
    expect(() => precheckMfaSources(sources)).not.toThrow();
  });

  it.each(['12345', '1234567', '12a456', ''])('refuses --mfa-code %j before anything runs', (flag) => {
    const error = thrownAnwbisError(() => precheckMfaSources({ flag }));
    expect(error.kind).toBe('mfa');
    expect(error.message).toBe('the MFA code from --mfa-code is not six digits');
  });
});

describe('obtainMfaCode', () => {
  const neverRun = (): Promise<string> => Promise.reject(new Error('process should not run'));
  const neverRead = (): Promise<string | undefined> => Promise.reject(new Error('stdin should not be read'));

  it.each<[string, MfaSources, string, boolean]>([
    ['the flag', { flag: '111111', prompter: noTerminal() }, '111111', false],
    ['the flag, trimmed', { flag: ' 111111 ', prompter: noTerminal() }, '111111', false],
    [
      'the flag over every other source',
      { flag: '111111', process: 'otp', runProcess: neverRun, stdinLine: neverRead, prompter: scriptedPrompter([]) },
      '111111',
      false,
    ],
    ['the process output', { process: 'otp', runProcess: () => Promise.resolve('222222\n'), prompter: noTerminal() }, '222222', false],
    ['the first line of the process output', { process: 'otp', runProcess: () => Promise.resolve('222222\n999999\n'), prompter: noTerminal() }, '222222', false],
    ['the process output with CRLF', { process: 'otp', runProcess: () => Promise.resolve('222222\r\n'), prompter: noTerminal() }, '222222', false],
    ['the process output without a newline', { process: 'otp', runProcess: () => Promise.resolve('222222'), prompter: noTerminal() }, '222222', false],
    [
      'the process over stdin and the prompt',
      { process: 'otp', runProcess: () => Promise.resolve('222222\n'), stdinLine: neverRead, prompter: scriptedPrompter([]) },
      '222222',
      false,
    ],
    ['a stdin line without a terminal', { stdinLine: () => Promise.resolve('333333'), prompter: noTerminal() }, '333333', false],
    ['a padded stdin line without a terminal', { stdinLine: () => Promise.resolve('  333333\r'), prompter: noTerminal() }, '333333', false],
    ['the prompt on a terminal', { stdinLine: neverRead, prompter: scriptedPrompter(['444444']) }, '444444', true],
    ['the prompt, trimmed', { prompter: scriptedPrompter([' 444444 ']) }, '444444', true],
  ])('takes %s', async (_name, sources, code, canAskAgain) => {
    await expect(obtainMfaCode(sources)).resolves.toEqual({ code, canAskAgain });
  });

  it('runs the process command line it was given', async () => {
    const ran: string[] = [];
    const runProcess = (line: string): Promise<string> => {
      ran.push(line);
      return Promise.resolve('123456\n');
    };
    await obtainMfaCode({ process: 'ykman oath accounts code -s "aws corp"', runProcess, prompter: noTerminal() });
    expect(ran).toEqual(['ykman oath accounts code -s "aws corp"']);
  });

  it.each<[string, MfaSources, string]>([
    ['a malformed flag', { flag: '12345', prompter: scriptedPrompter([]) }, 'the MFA code from --mfa-code is not six digits'],
    ['a malformed process output', { process: 'otp', runProcess: () => Promise.resolve('1234567\n'), prompter: scriptedPrompter([]) }, 'the MFA code from --mfa-process "otp" is not six digits'],
    ['a process output with the code on line 2', { process: 'otp', runProcess: () => Promise.resolve('Touch your key\n123456\n'), prompter: noTerminal() }, 'the MFA code from --mfa-process "otp" is not six digits'],
    ['an empty process output', { process: 'otp', runProcess: () => Promise.resolve(''), prompter: noTerminal() }, 'the MFA code from --mfa-process "otp" is not six digits'],
    ['a malformed stdin line', { stdinLine: () => Promise.resolve('12a456'), prompter: noTerminal() }, 'the MFA code from standard input is not six digits'],
    ['no terminal and no stdin', { prompter: noTerminal() }, 'an MFA code is needed and there is no terminal to ask for it'],
    ['no terminal and an empty stdin', { stdinLine: () => Promise.resolve(undefined), prompter: noTerminal() }, 'an MFA code is needed and there is no terminal to ask for it'],
    ['no terminal and a blank stdin line', { stdinLine: () => Promise.resolve('  '), prompter: noTerminal() }, 'an MFA code is needed and there is no terminal to ask for it'],
  ])('refuses %s', async (_name, sources, message) => {
    const error = await rejectedAnwbisError(obtainMfaCode(sources));
    expect(error.kind).toBe('mfa');
    expect(error.message).toBe(message);
  });

  it('tells what to do when there is no terminal', async () => {
    const error = await rejectedAnwbisError(obtainMfaCode({ prompter: noTerminal() }));
    expect(error.next).toBe('pass --mfa-code CODE, --mfa-process "CMD", or pipe the code on standard input');
  });

  it('passes on a failure of the process', async () => {
    const failed = new AnwbisError('mfa', '--mfa-process "otp" exited with status 1');
    await expect(obtainMfaCode({ process: 'otp', runProcess: () => Promise.reject(failed), prompter: noTerminal() })).rejects.toBe(failed);
  });

  it.each<[string[], string, number]>([
    [['123456'], '123456', 1],
    [['12345', '123456'], '123456', 2],
    [['1234567', '12a456', '', ' 654321 '], '654321', 4],
  ])('re-asks on the terminal until six digits: %j', async (answers, code, asked) => {
    const prompter = scriptedPrompter([...answers]);
    await expect(obtainMfaCode({ prompter }, 'MFA code for alice: ')).resolves.toEqual({ code, canAskAgain: true });
    expect(prompter.questions).toEqual(['MFA code for alice: ', ...Array<string>(asked - 1).fill('That is not six digits. Enter the MFA code: ')]);
  });

  it('asks with the default question', async () => {
    const prompter = scriptedPrompter(['123456']);
    await obtainMfaCode({ prompter });
    expect(prompter.questions).toEqual(['Enter the MFA code: ']);
  });
});
