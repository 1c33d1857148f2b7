/**
 * System errors from writing a file, in the user's terms, so that a read-only directory or a
 * full disk is a message with a next step rather than a stack trace.
 */

/** How to tell the user about a failed file operation. */
export interface FsProblem {
  /** The system error code, e.g. `EACCES`. */
  readonly code: string;
  /** What is wrong, naming the file or directory. */
  readonly problem: string;
  /** What the user can do about it. */
  readonly next: string;
}

/** What {@link explainFsError} needs to know about the file, all as the user would write them. */
export interface FsProblemContext {
  readonly file: string;
  readonly dir: string;
  /** How to use another place instead, e.g. "set AWS_SHARED_CREDENTIALS_FILE to a file elsewhere". */
  readonly elsewhere: string;
}

/**
 * Explains a system error code met while reading or writing `context.file`. Every code gets an
 * explanation: the common ones their own, the rest the code itself with a generic next step.
 */
export function explainFsError(code: string, context: FsProblemContext): FsProblem {
  const { file, dir, elsewhere } = context;
  switch (code) {
    case 'EACCES':
      return { code, problem: `permission denied on ${file} or its directory ${dir}`, next: `check the owner and permissions (ls -ld ${dir} ${file}), or ${elsewhere}` };
    case 'EPERM':
      return {
        code,
        problem: `the system does not allow changing ${file} (an immutable or append-only attribute, or a sticky directory owned by someone else)`,
        next: `check lsattr ${file} and ls -ld ${dir}, or ${elsewhere}`,
      };
    case 'EROFS':
      return { code, problem: `${dir} is on a read-only file system`, next: `remount it read-write, or ${elsewhere}` };
    case 'ENOSPC':
      return { code, problem: `no space left on the device that holds ${dir}`, next: 'free some space and run the command again' };
    case 'EDQUOT':
      return { code, problem: `the disk quota for ${dir} is used up`, next: 'free some space and run the command again' };
    case 'EISDIR':
      return { code, problem: `${file} is a directory, not a file`, next: `move the directory away, or ${elsewhere}` };
    case 'ELOOP':
      return { code, problem: `${file} is a loop of symbolic links`, next: `fix the link (ls -l ${file}), or ${elsewhere}` };
    case 'ENOTDIR':
      return { code, problem: `part of the path ${file} is a file, not a directory`, next: `fix the path, or ${elsewhere}` };
    case 'ENAMETOOLONG':
      return { code, problem: `the path ${file} is too long`, next: elsewhere };
    default:
      return { code, problem: `the system refused to read or write ${file} (${code})`, next: `check ${file} and ${dir}, then run the command again` };
  }
}
