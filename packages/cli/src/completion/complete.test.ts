import { describe, expect, it } from '@jest/globals';
import { complete, type CommandSpec } from './complete.js';

const option = (name: string, char?: string, options?: string[]) => ({ name, char, type: 'option' as const, options });
const COMMANDS: CommandSpec[] = [
  {
    id: 'assume',
    flags: {
      project: option('project', 'p'),
      env: option('env', 'e'),
      role: option('role', 'r'),
      profile: option('profile', 'P'),
      externalid: option('externalid'),
      'iam-master-group': option('iam-master-group'),
      browser: option('browser', 'b', ['firefox', 'chrome', 'chromium']),
      refresh: { name: 'refresh', type: 'boolean' },
      secret: { name: 'secret', type: 'boolean', hidden: true },
    },
  },
  { id: 'exec', flags: { project: option('project', 'p'), env: option('env', 'e'), role: option('role', 'r') } },
  { id: 'env', flags: {} },
  { id: 'daemon:start', flags: { foreground: { name: 'foreground', type: 'boolean' } } },
  { id: 'daemon:status', flags: { json: { name: 'json', type: 'boolean' } } },
  { id: 'daemon:stop', flags: {} },
  { id: 'daemon:run', hidden: true, flags: {} },
  { id: '__complete', hidden: true, flags: {} },
];
const ROLES = [
  { project: 'datalab', env: 'dev', role: 'admin' },
  { project: 'datalab', env: 'pro', role: 'audit' },
  { project: 'dataops', env: 'dev', role: 'developer' },
  { project: 'web', env: 'pre', role: 'admin' },
];

describe('complete', () => {
  it.each([
    // Issue 23 item 3: the topic's commands were offered as daemon:start, and nothing after `daemon`.
    ['commands and topics, not topic:command ids', [''], ['assume', 'daemon', 'env', 'exec']],
    ['a command prefix', ['e'], ['env', 'exec']],
    ['a topic prefix', ['da'], ['daemon']],
    ['the subcommands of a topic, hidden ones left out', ['daemon', ''], ['start', 'status', 'stop']],
    ['a subcommand prefix', ['daemon', 'st'], ['start', 'status', 'stop']],
    ['the flags of a subcommand', ['daemon', 'status', '--'], ['--json']],
    ['nothing after a subcommand', ['daemon', 'status', ''], []],
    ['flags of the default command', ['-p', 'datalab', '--r'], ['--refresh', '--role']],
    ['flags of a command, hidden ones left out', ['assume', '--s'], []],
    ['-p values from the roles', ['-p', 'da'], ['datalab', 'dataops']],
    ['-p values after a command', ['exec', '-p', 'w'], ['web']],
    ['--project= values', ['--project=data'], ['--project=datalab', '--project=dataops']],
    ['-e narrowed by -p', ['-p', 'datalab', '-e', ''], ['dev', 'pro']],
    ['-r narrowed by -p and -e', ['-p', 'datalab', '-e', 'dev', '-r', ''], ['admin']],
    ['-r narrowed by --env=', ['--env=dev', '-r', ''], ['admin', 'developer']],
    ['options of a flag', ['-b', 'ch'], ['chrome', 'chromium']],
    ['a flag with free values', ['-P', ''], []],
    ['the original underscore spelling', ['--iam_master_group', ''], []],
    ['after a boolean flag', ['--refresh', ''], []],
    ['after -- (another program)', ['exec', '-p', 'web', '--', '-p', ''], []],
    ['an unknown command', ['frob', '--'], []],
  ])('%s', (_, words, expected) => {
    expect(complete(words, COMMANDS, ROLES)).toEqual(expected);
  });

  it('offers no role values when no roles are known', () => {
    expect(complete(['-p', 'da'], COMMANDS, [])).toEqual([]);
  });
});
