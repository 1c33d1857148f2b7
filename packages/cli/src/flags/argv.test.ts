import { describe, expect, it } from '@jest/globals';
import { normalizeArgv } from './argv.js';

describe('normalizeArgv', () => {
  it.each<[string, string[], string[]]>([
    ['bare form means assume', ['-p', 'datalab', '-e', 'dev', '-r', 'admin', '-b', 'firefox'], ['assume', '-p', 'datalab', '-e', 'dev', '-r', 'admin', '-b', 'firefox']],
    ['--profile first', ['--profile', 'x', '-p', 'p'], ['assume', '--profile', 'x', '-p', 'p']],
    ['-ext', ['-r', 'contractor', '-c', 'acme', '-ext', 'ID'], ['assume', '-r', 'contractor', '-c', 'acme', '--externalid', 'ID']],
    ['-ext=value', ['-p', 'x', '-ext=a=b'], ['assume', '-p', 'x', '--externalid=a=b']],
    ['underscore flags', ['-p', 'x', '--iam_master_group', 'g', '--get_session', '--from_ec2_role'], ['assume', '-p', 'x', '--iam-master-group', 'g', '--get-session', '--from-ec2-role']],
    ['underscore flag with =', ['-p', 'x', '--iam_policy=My_Policy'], ['assume', '-p', 'x', '--iam-policy=My_Policy']],
    ['values are not rewritten', ['-p', 'x', '--iam-policy', 'Delegated_Roles'], ['assume', '-p', 'x', '--iam-policy', 'Delegated_Roles']],
    ['explicit command kept', ['assume', '-p', 'x'], ['assume', '-p', 'x']],
    ['--help kept', ['--help'], ['--help']],
    ['-h is help', ['-h'], ['--help']],
    ['--version kept', ['--version'], ['--version']],
    ['nothing', [], []],
    ['after -- untouched', ['exec', '-p', 'x', '--', 'cmd', '--a_b', '-ext'], ['exec', '-p', 'x', '--', 'cmd', '--a_b', '-ext']],
  ])('%s', (_name, argv, expected) => {
    expect(normalizeArgv(argv)).toEqual(expected);
  });
});
