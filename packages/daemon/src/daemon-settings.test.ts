import { describe, expect, it } from '@jest/globals';
import { parseDaemonSettings } from './daemon-settings.js';

describe('parseDaemonSettings', () => {
  it.each([
    ['', { refreshBeforeSeconds: undefined, notifications: true }],
    ['[naming]\nprofile = {project}-{env}-{role}\n', { refreshBeforeSeconds: undefined, notifications: true }],
    ['[daemon]\nrefresh_before_seconds = 600\nnotifications = false\n', { refreshBeforeSeconds: 600, notifications: false }],
  ])('%j', (text, expected) => {
    expect(parseDaemonSettings(text, 'config')).toEqual(expected);
  });

  it.each([
    ['[daemon]\nrefresh_before_seconds = soon\n', /refresh_before_seconds must be a whole number/],
    ['[daemon]\nrefresh_before_seconds = 0\n', /from 1 to 43200/],
    ['[daemon]\nnotifications = maybe\n', /notifications must be true or false/],
    ['[daemon]\nrefresh = 1\n', /unknown key "refresh"/],
  ])('refuses %j', (text, message) => {
    expect(() => parseDaemonSettings(text, 'config')).toThrow(message);
  });
});
