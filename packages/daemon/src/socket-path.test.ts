import { describe, expect, it } from '@jest/globals';
import { daemonSocketPath } from './socket-path.js';

describe('daemonSocketPath', () => {
  it.each([
    [{ XDG_RUNTIME_DIR: '/run/user/1000', ANWBIS_HOME: '/h' }, '/run/user/1000/anwbis/daemon.sock'],
    [{ ANWBIS_HOME: '/h' }, '/h/daemon.sock'],
    [{ HOME: '/home/u' }, '/home/u/.local/state/anwbis/daemon.sock'],
    [{ HOME: '/home/u', XDG_STATE_HOME: '/s' }, '/s/anwbis/daemon.sock'],
  ])('%j -> %s', (env, expected) => {
    expect(daemonSocketPath(env)).toBe(expected);
  });
});
