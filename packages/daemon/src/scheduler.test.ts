import { describe, expect, it } from '@jest/globals';
import { backoffMs, refreshBeforeSeconds, Scheduler, DEFAULT_SCHEDULER_CONFIG, type SchedulerConfig } from './scheduler.js';
import type { WatchSpec } from './watch-spec.js';

const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);
const spec = (profile: string, extra: Partial<WatchSpec> = {}): WatchSpec => ({
  profile,
  sourceProfile: 'default',
  target: { project: 'datalab', env: 'dev', role: profile.split('-').pop()! },
  durationSeconds: 3600,
  ...extra,
});
const noJitter = (config: Partial<SchedulerConfig> = {}) => new Scheduler({ ...DEFAULT_SCHEDULER_CONFIG, ...config }, () => 0);
const due = (s: Scheduler, seconds: number) => s.tick(at(seconds)).refresh.map((w) => w.profile);
const ok = (seconds: number) => ({ ok: true as const, expiresAt: at(seconds), accessKeyId: 'ASIANEW' });

describe('refreshBeforeSeconds', () => {
  it.each([
    [3600, undefined, 1200],
    [2700, undefined, 900],
    [900, undefined, 450],
    [3600, 60, 60],
    [900, 895, 895],
  ])('lifetime %i s, setting %p -> %i s', (lifetime, configured, expected) => {
    expect(refreshBeforeSeconds(lifetime, configured)).toBe(expected);
  });
});

describe('backoffMs', () => {
  it.each([
    [1, 10_000],
    [2, 20_000],
    [4, 80_000],
    [20, 15 * 60_000],
  ])('after %i failures waits %i ms', (failures, expected) => {
    expect(backoffMs(failures)).toBe(expected);
  });
});

describe('Scheduler: when to refresh', () => {
  it.each([
    ['a profile with nothing written yet', undefined, 0, true],
    ['one hour left of 3600 s', 3600, 0, false],
    ['1201 s left', 3600, 2399, false],
    ['1200 s left (a third of the hour)', 3600, 2400, true],
    ['already expired', 3600, 4000, true],
  ])('%s', (_name, expiresIn, nowSeconds, expected) => {
    const s = noJitter();
    s.watch(spec('datalab-dev-admin'), expiresIn === undefined ? undefined : { expiresAt: at(expiresIn) });
    expect(due(s, nowSeconds)).toEqual(expected ? ['datalab-dev-admin'] : []);
  });

  it('honours refresh_before_seconds and the jitter, which only ever brings a refresh forward by at most 5 s', () => {
    const s = new Scheduler({ ...DEFAULT_SCHEDULER_CONFIG, refreshBeforeSeconds: 60 }, () => 0.999);
    s.watch(spec('datalab-dev-admin'), { expiresAt: at(3600) });
    expect(due(s, 3600 - 66)).toEqual([]);
    expect(due(s, 3600 - 64)).toEqual(['datalab-dev-admin']);
  });

  it('catches up at once on the first tick after a sleep that outlasted the credentials', () => {
    const s = noJitter();
    s.watch(spec('datalab-dev-admin'), { expiresAt: at(3600) });
    expect(due(s, 10)).toEqual([]);
    expect(due(s, 5 * 3600)).toEqual(['datalab-dev-admin']);
  });

  it('does not start a second refresh while one is running, and schedules the next from the new expiry', () => {
    const s = noJitter();
    s.watch(spec('datalab-dev-admin'));
    expect(due(s, 0)).toEqual(['datalab-dev-admin']);
    expect(due(s, 1)).toEqual([]);
    expect(s.refreshed('datalab-dev-admin', ok(3602), at(2))).toEqual([{ type: 'refreshed', profile: 'datalab-dev-admin', expiresAt: at(3602).toISOString() }]);
    expect(due(s, 2401)).toEqual([]);
    expect(due(s, 2402)).toEqual(['datalab-dev-admin']);
  });

  it('never refreshes one profile twice within 30 s, even when the setting asks for more than the lifetime', () => {
    const s = noJitter({ refreshBeforeSeconds: 3000 });
    s.watch(spec('datalab-dev-admin', { durationSeconds: 900 }));
    due(s, 0);
    s.refreshed('datalab-dev-admin', ok(900), at(0));
    expect(due(s, 29)).toEqual([]);
    expect(due(s, 30)).toEqual(['datalab-dev-admin']);
  });

  it('drops a watch whose --until has passed', () => {
    const s = noJitter();
    s.watch(spec('datalab-dev-admin', { until: at(100).toISOString() }), { expiresAt: at(3600) });
    expect(s.tick(at(100)).events).toEqual([{ type: 'unwatched', profile: 'datalab-dev-admin', reason: `watched until ${at(100).toISOString()}` }]);
    expect(s.specs()).toEqual([]);
  });
});

describe('Scheduler: failures', () => {
  const failing = (reason: 'throttled' | 'denied' | 'other' | 'session-expired') => {
    const s = noJitter();
    s.watch(spec('datalab-dev-admin'));
    s.watch(spec('datalab-dev-devops'), { expiresAt: at(3600) });
    due(s, 0);
    const events = s.refreshed('datalab-dev-admin', { ok: false, reason, message: `boom: ${reason}` }, at(0));
    return { s, events };
  };

  it.each([
    ['throttled', 'retrying', [10, 30, 70]],
    ['other', 'retrying', [10, 30, 70]],
    ['denied', 'failed', [60, 120, 180]],
  ] as const)('%s: state %s, retried with back-off at %j s', (reason, state, retries) => {
    const { s, events } = failing(reason);
    expect(events).toEqual([{ type: 'failed', profile: 'datalab-dev-admin', state, error: `boom: ${reason}`, retryAt: at(retries[0]).toISOString() }]);
    expect(s.profiles().find((p) => p.profile === 'datalab-dev-admin')).toMatchObject({ state, lastError: `boom: ${reason}` });
    let previous = 0;
    for (const retry of retries) {
      expect(due(s, retry - 1)).toEqual([]);
      expect(due(s, retry)).toEqual(['datalab-dev-admin']);
      s.refreshed('datalab-dev-admin', { ok: false, reason, message: 'again' }, at(retry));
      previous = retry;
    }
    expect(previous).toBeGreaterThan(0);
  });

  it('ExpiredToken from the corp session: needs-mfa for every profile of that session, an event, and no retry until it is renewed', () => {
    const { s, events } = failing('session-expired');
    expect(events.map((e) => e.type)).toEqual(['session.expired', 'failed', 'failed']);
    expect(s.profiles().map((p) => p.state)).toEqual(['needs-mfa', 'needs-mfa']);
    expect(due(s, 10 * 3600)).toEqual([]);
    expect(s.sessionViews(at(10)).map((v) => v.state)).toEqual(['expired']);

    expect(s.sessionSeen('default', at(8 * 3600), at(100))).toEqual([{ type: 'session.renewed', profile: 'default', expiresAt: at(8 * 3600).toISOString() }]);
    expect(due(s, 100)).toEqual(['datalab-dev-admin', 'datalab-dev-devops']);
  });
});

describe('Scheduler: the corp session clock', () => {
  const withSession = (endsIn: number) => {
    const s = noJitter();
    s.watch(spec('datalab-dev-admin'), { expiresAt: at(3600) });
    s.sessionSeen('default', at(endsIn), at(0));
    return s;
  };

  it('warns 30 and 10 minutes before the session ends, once each', () => {
    const s = withSession(3 * 3600);
    const types = (seconds: number) => s.tick(at(seconds)).events;
    expect(types(3 * 3600 - 30 * 60 - 1)).toEqual([]);
    expect(types(3 * 3600 - 30 * 60)).toEqual([{ type: 'session.expiring', profile: 'default', expiresAt: at(3 * 3600).toISOString(), minutesLeft: 30 }]);
    expect(types(3 * 3600 - 29 * 60)).toEqual([]);
    expect(types(3 * 3600 - 10 * 60)).toMatchObject([{ type: 'session.expiring', minutesLeft: 10 }]);
    expect(types(3 * 3600 - 60)).toEqual([]);
  });

  it('after a sleep past both marks, warns once with the nearer one', () => {
    const s = withSession(3600);
    expect(s.tick(at(3600 - 5 * 60)).events).toMatchObject([{ type: 'session.expiring', minutesLeft: 10 }]);
  });

  it('when the session ends every watched profile needs MFA until it is renewed, then all are refreshed at once', () => {
    const s = withSession(1800);
    const ended = s.tick(at(1800));
    expect(ended.events).toEqual([
      { type: 'session.expired', profile: 'default', expiresAt: at(1800).toISOString() },
      { type: 'failed', profile: 'datalab-dev-admin', state: 'needs-mfa', error: 'the corp session has ended' },
    ]);
    expect(ended.refresh).toEqual([]);
    expect(due(s, 3599)).toEqual([]);
    expect(s.profiles()[0]!.state).toBe('needs-mfa');
    expect(s.sessionViews(at(1800))).toEqual([{ sourceProfile: 'default', state: 'expired', expiresAt: at(1800) }]);

    expect(s.sessionSeen('default', at(1800), at(1900))).toEqual([]);
    expect(s.sessionSeen('default', at(40_000), at(1900))).toMatchObject([{ type: 'session.renewed' }]);
    expect(due(s, 1900)).toEqual(['datalab-dev-admin']);
  });

  it('a session record rewritten with an earlier end is believed: the next tick ends it', () => {
    const s = withSession(8 * 3600);
    expect(s.sessionSeen('default', at(-1), at(10))).toEqual([]);
    expect(s.tick(at(11)).events.map((e) => e.type)).toEqual(['session.expired', 'failed']);
  });

  it.each([
    [7200, 'valid'],
    [1700, 'expiring'],
    [0, 'expired'],
  ])('a session ending in %i s is %s', (endsIn, state) => {
    const s = noJitter();
    s.watch(spec('datalab-dev-admin'));
    s.sessionSeen('default', at(endsIn), at(-1));
    expect(s.sessionViews(at(0))[0]!.state).toBe(state);
  });
});

describe('Scheduler: watch list', () => {
  it('forgets a session nobody uses any more', () => {
    const s = noJitter();
    s.watch(spec('a-dev-admin', { sourceProfile: 'corp' }));
    s.watch(spec('b-dev-admin'));
    expect(s.sourceProfiles()).toEqual(['corp', 'default']);
    expect(s.unwatch('a-dev-admin')).toBe(true);
    expect(s.sourceProfiles()).toEqual(['default']);
    expect(s.unwatch('a-dev-admin')).toBe(false);
  });

  it('credentials the person wrote meanwhile move the next refresh', () => {
    const s = noJitter();
    s.watch(spec('datalab-dev-admin'), { expiresAt: at(1000) });
    s.writtenElsewhere('datalab-dev-admin', at(3600));
    expect(due(s, 2000)).toEqual([]);
    expect(s.profiles()[0]).toMatchObject({ state: 'fresh', expiresAt: at(3600) });
  });

  it('a forced refresh that failed is retried at the time it showed, with back-off, not only when the expiry comes due', () => {
    const s = noJitter();
    s.watch(spec('datalab-dev-admin'), { expiresAt: at(3600) });
    s.requestRefresh('datalab-dev-admin');
    expect(due(s, 0)).toEqual(['datalab-dev-admin']);
    let events = s.refreshed('datalab-dev-admin', { ok: false, reason: 'other', message: 'no answer' }, at(0));
    for (const retry of [10, 30, 70]) {
      expect(events).toEqual([expect.objectContaining({ state: 'retrying', retryAt: at(retry).toISOString() })]);
      expect(due(s, retry - 1)).toEqual([]);
      expect(due(s, retry)).toEqual(['datalab-dev-admin']);
      events = s.refreshed('datalab-dev-admin', { ok: false, reason: 'other', message: 'no answer' }, at(retry));
    }
    expect(due(s, 150)).toEqual(['datalab-dev-admin']);
    s.refreshed('datalab-dev-admin', ok(3750), at(150));
    // Success resets the back-off and the profile waits for its expiry again.
    expect(due(s, 1000)).toEqual([]);
    s.requestRefresh('datalab-dev-admin');
    expect(due(s, 1000)).toEqual(['datalab-dev-admin']);
    expect(s.refreshed('datalab-dev-admin', { ok: false, reason: 'other', message: 'no answer' }, at(1000))).toEqual([expect.objectContaining({ retryAt: at(1010).toISOString() })]);
  });

  it('credentials written elsewhere while a refresh is retried end the retries', () => {
    const s = noJitter();
    s.watch(spec('datalab-dev-admin'), { expiresAt: at(3600) });
    s.requestRefresh('datalab-dev-admin');
    due(s, 0);
    s.refreshed('datalab-dev-admin', { ok: false, reason: 'other', message: 'no answer' }, at(0));
    s.writtenElsewhere('datalab-dev-admin', at(3700));
    expect(due(s, 10)).toEqual([]);
    expect(s.profiles()[0]).toMatchObject({ state: 'fresh', lastError: undefined });
  });

  it('refresh on request skips the back-off', () => {
    const s = noJitter();
    s.watch(spec('datalab-dev-admin'));
    due(s, 0);
    s.refreshed('datalab-dev-admin', { ok: false, reason: 'denied', message: 'no' }, at(0));
    expect(due(s, 1)).toEqual([]);
    expect(s.requestRefresh('datalab-dev-admin')).toEqual(['datalab-dev-admin']);
    expect(due(s, 1)).toEqual(['datalab-dev-admin']);
  });
});
