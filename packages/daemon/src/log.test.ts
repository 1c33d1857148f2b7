import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileLog } from './log.js';

describe('fileLog', () => {
  it('writes one line per event, 0600, and keeps the size under the cap by rotating', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'anwbis-log-')), 'logs', 'daemon.log');
    const log = fileLog(file, 400);
    log.info('refreshed datalab-dev-admin\nforged line \x1b]0;title\x07');
    expect(readFileSync(file, 'utf8')).toMatch(/^\S+ info refreshed datalab-dev-admin\\nforged line \\x1b]0;title\\x07\n$/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(statSync(join(file, '..')).mode & 0o777).toBe(0o700);
    for (let i = 0; i < 20; i++) log.warn(`event ${i}`);
    expect(statSync(file).size).toBeLessThanOrEqual(400);
    expect(readFileSync(`${file}.1`, 'utf8')).toContain('warn event');
    expect(readFileSync(file, 'utf8')).toContain('warn event 19');
  });
});
