import { describe, it, expect } from '@jest/globals';
import { describeRemaining, isFresh, isSessionValid, SESSION_MARGIN_SECONDS, type Clock } from './expiry.js';

const NOW = new Date('2025-01-01T12:00:00.000Z');
const after = (ms: number): Date => new Date(NOW.getTime() + ms);

describe('isFresh', () => {
  it.each<[string, number, number, boolean]>([
    ['an hour left, margin 5 min', 3_600_000, 300, true],
    ['just over the margin', 300_001, 300, true],
    ['exactly the margin', 300_000, 300, false],
    ['inside the margin', 299_999, 300, false],
    ['a second left, no margin', 1_000, 0, true],
    ['expiring now, no margin', 0, 0, false],
    ['expired', -1_000, 0, false],
    ['expired long ago, margin 0', -86_400_000, 0, false],
  ])('%s', (_name, leftMs, margin, fresh) => {
    expect(isFresh(after(leftMs), NOW, margin)).toBe(fresh);
  });

  it('treats an invalid date as not fresh', () => {
    expect(isFresh(new Date('not a date'), NOW, 0)).toBe(false);
  });
});

describe('isSessionValid: one margin for every corp-session decision', () => {
  const clock: Clock = { now: () => NOW };

  it('is the 5 minutes the AWS SDKs take off every expiry', () => {
    expect(SESSION_MARGIN_SECONDS).toBe(300);
  });

  it.each<[string, number, boolean]>([
    ['8 hours left', 8 * 3_600_000, true],
    ['a millisecond over the margin', 300_001, true],
    ['exactly the margin', 300_000, false],
    ['a millisecond inside the margin', 299_999, false],
    ['2 minutes left (the 60 s margin of roles and watch accepted it)', 120_000, false],
    ['ending now', 0, false],
    ['expired', -1_000, false],
  ])('%s', (_name, leftMs, valid) => {
    expect(isSessionValid(after(leftMs), clock)).toBe(valid);
  });

  it('asks the clock it is given, not the system clock', () => {
    const expiration = new Date('2030-01-01T12:00:00.000Z');
    expect(isSessionValid(expiration, { now: () => new Date('2030-01-01T11:54:59.999Z') })).toBe(true);
    expect(isSessionValid(expiration, { now: () => new Date('2030-01-01T11:55:00.000Z') })).toBe(false);
  });

  it('treats an invalid date as not valid', () => {
    expect(isSessionValid(new Date('not a date'), clock)).toBe(false);
  });
});

describe('describeRemaining', () => {
  it.each<[number, string]>([
    [-60_000, 'expired'],
    [0, 'expired'],
    [999, 'expired'],
    [1_000, '1s'],
    [45_000, '45s'],
    [59_999, '59s'],
    [60_000, '1m'],
    [12 * 60_000 + 59_000, '12m'],
    [59 * 60_000 + 59_999, '59m'],
    [3_600_000, '1h 00m'],
    [3_600_000 + 5 * 60_000, '1h 05m'],
    [12 * 3_600_000 + 34 * 60_000 + 56_000, '12h 34m'],
    [36 * 3_600_000, '36h 00m'],
  ])('%i ms left is %j', (leftMs, text) => {
    expect(describeRemaining(after(leftMs), NOW)).toBe(text);
  });
});
