import { describe, it, expect } from '@jest/globals';
import { AnwbisError } from '../errors/errors.js';
import { splitCommandLine } from './shell-words.js';

describe('splitCommandLine', () => {
  it.each<[string, string[]]>([
    ['ykman oath accounts code -s aws', ['ykman', 'oath', 'accounts', 'code', '-s', 'aws']],
    ['  op   item get  "AWS corp"  --otp ', ['op', 'item', 'get', 'AWS corp', '--otp']],
    ["print 'a b' \"c d\"", ['print', 'a b', 'c d']],
    ["x 'it''s'", ['x', 'its']],
    ['x "it\'s"', ['x', "it's"]],
    ["x 'say \"hi\"'", ['x', 'say "hi"']],
    ['x a"b c"d', ['x', 'ab cd']],
    ["x ''", ['x', '']],
    ['x ""', ['x', '']],
    ['x a\\ b', ['x', 'a b']],
    ['x \\"', ['x', '"']],
    ['x \\\\', ['x', '\\']],
    ['x "a\\"b"', ['x', 'a"b']],
    ['x "a\\\\b"', ['x', 'a\\b']],
    ['x "\\$HOME"', ['x', '$HOME']],
    ['x "a\\nb"', ['x', 'a\\nb']],
    ["x 'a\\b'", ['x', 'a\\b']],
    ['x trailing\\', ['x', 'trailing\\']],
    ['x\ty\nz', ['x', 'y', 'z']],
    ['echo $(rm -rf /)', ['echo', '$(rm', '-rf', '/)']],
    ['echo "$(rm -rf /)"', ['echo', '$(rm -rf /)']],
    ['echo `id`; rm -rf / && x | y > z', ['echo', '`id`;', 'rm', '-rf', '/', '&&', 'x', '|', 'y', '>', 'z']],
    ['echo $HOME ~ *', ['echo', '$HOME', '~', '*']],
  ])('%j', (line, words) => {
    expect(splitCommandLine(line)).toEqual(words);
  });

  it.each<[string, string]>([
    ['', 'the command is empty'],
    ['   \t ', 'the command is empty'],
    ['echo "abc', 'unterminated " quote in command "echo \\"abc"'],
    ["echo 'abc", 'unterminated \' quote in command "echo \'abc"'],
    ["echo 'a\"b", 'unterminated \' quote in command "echo \'a\\"b"'],
  ])('refuses %j', (line, message) => {
    let error: unknown;
    try {
      splitCommandLine(line);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AnwbisError);
    expect((error as AnwbisError).kind).toBe('usage');
    expect((error as AnwbisError).message).toBe(message);
  });
});
