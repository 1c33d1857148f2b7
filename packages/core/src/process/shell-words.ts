import { AnwbisError, shown } from '../errors/errors.js';

/**
 * Splits a command line into words the way a POSIX shell would for plain words, single and
 * double quotes and backslashes, without expanding anything, so the command runs without a shell.
 */
export function splitCommandLine(line: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === '\\' && i + 1 < line.length && '"\\$`'.includes(line[i + 1]!)) word += line[++i];
      else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) throw new AnwbisError('usage', `unterminated ${quote} quote in command ${shown(line)}`);
  if (inWord) words.push(word);
  if (words.length === 0) throw new AnwbisError('usage', 'the command is empty');
  return words;
}
