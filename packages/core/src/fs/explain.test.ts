import { describe, it, expect } from '@jest/globals';
import { explainFsError } from './explain.js';

const context = { file: '~/.aws/credentials', dir: '~/.aws', elsewhere: 'set AWS_SHARED_CREDENTIALS_FILE to a file elsewhere' };

describe('explainFsError', () => {
  it.each([
    { code: 'EACCES', problem: 'permission denied on ~/.aws/credentials or its directory ~/.aws', next: /ls -ld ~\/.aws ~\/.aws\/credentials/ },
    { code: 'EPERM', problem: /does not allow changing ~\/.aws\/credentials/, next: /lsattr ~\/.aws\/credentials/ },
    { code: 'EROFS', problem: '~/.aws is on a read-only file system', next: /remount it read-write, or set AWS_SHARED_CREDENTIALS_FILE/ },
    { code: 'ENOSPC', problem: 'no space left on the device that holds ~/.aws', next: /free some space/ },
    { code: 'EDQUOT', problem: 'the disk quota for ~/.aws is used up', next: /free some space/ },
    { code: 'EISDIR', problem: '~/.aws/credentials is a directory, not a file', next: /move the directory away/ },
    { code: 'ELOOP', problem: '~/.aws/credentials is a loop of symbolic links', next: /ls -l ~\/.aws\/credentials/ },
    { code: 'ENOTDIR', problem: 'part of the path ~/.aws/credentials is a file, not a directory', next: /fix the path/ },
    { code: 'ENAMETOOLONG', problem: 'the path ~/.aws/credentials is too long', next: /AWS_SHARED_CREDENTIALS_FILE/ },
    { code: 'EIO', problem: 'the system refused to read or write ~/.aws/credentials (EIO)', next: /run the command again/ },
  ])('$code', ({ code, problem, next }) => {
    const explained = explainFsError(code, context);
    expect(explained.code).toBe(code);
    if (typeof problem === 'string') expect(explained.problem).toBe(problem);
    else expect(explained.problem).toMatch(problem);
    expect(explained.next).toMatch(next);
  });

  it('gives every code its own message', () => {
    const codes = ['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'EISDIR', 'ELOOP', 'ENOTDIR', 'ENAMETOOLONG'];
    expect(new Set(codes.map((code) => explainFsError(code, context).problem)).size).toBe(codes.length);
  });
});
