import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeConfigProfile } from '../profiles/profiles.js';
import { credentialProcessCommand } from './configure.js';

/** How botocore reads `credential_process`: its own config loader, then compat_shell_split (shlex.split on POSIX). */
const BOTOCORE_SPLIT = `
import json, sys
from botocore.compat import compat_shell_split
from botocore.configloader import raw_config_parse
line = raw_config_parse(sys.argv[1])['profile ' + sys.argv[2]]['credential_process']
print(json.dumps(compat_shell_split(line)))
`;

describe('credentialProcessCommand', () => {
  let dir: string;
  let program: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'anwbis-configure-'));
    // A program whose path holds spaces, both quotes, $, a backtick and a backslash; it prints its argv.
    const odd = join(dir, `my tools "q" it's $HOME \`x\` back\\slash`);
    mkdirSync(odd);
    program = join(odd, 'run anwbis');
    writeFileSync(program, `#!/bin/sh\nprintf '%s\\0' "$0" "$@"\n`);
    chmodSync(program, 0o755);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const request = { target: { project: 'datalab', env: 'dev', role: 'admin' }, externalId: `ext $(id) "it's"`, region: 'eu-west-1' };
  const argv = () => [program, 'credential-process', '-p', 'datalab', '-e', 'dev', '-r', 'admin', '--externalid', `ext $(id) "it's"`, '--region', 'eu-west-1'];

  it('a program path with spaces, quotes and $ is no longer mangled: botocore splits the written line back into the same argv', async () => {
    const config = join(dir, 'config');
    await writeConfigProfile(config, 'datalab-dev-admin', [['credential_process', credentialProcessCommand([program], request)]]);
    const split = JSON.parse(execFileSync('python3', ['-c', BOTOCORE_SPLIT, config, 'datalab-dev-admin'], { encoding: 'utf8' })) as string[];
    expect(split).toEqual(argv());
  });

  it('a POSIX shell, which the JavaScript SDK runs the line with, starts the same argv', () => {
    const out = execFileSync('/bin/sh', ['-c', credentialProcessCommand([program], request)], { encoding: 'utf8' });
    expect(out.split('\0').slice(0, -1)).toEqual(argv());
  });

  it('leaves plain words unquoted', () => {
    expect(credentialProcessCommand(['/usr/bin/node', '/opt/anwbis/bin/run.js'], { target: { project: 'p', env: 'e', role: 'r' } })).toBe(
      '/usr/bin/node /opt/anwbis/bin/run.js credential-process -p p -e e -r r',
    );
  });
});
