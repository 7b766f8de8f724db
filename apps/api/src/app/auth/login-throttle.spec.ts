import {
  FREE_FAILURES,
  LOGIN_DELAY_TABLE,
  loginDelaySeconds,
  MAX_CONSECUTIVE_FAILURES,
  throttleStatus,
} from './login-throttle';

describe('login throttle', () => {
  it('should let the first few failures retry at once', () => {
    expect(loginDelaySeconds(0)).toBe(0);
    expect(loginDelaySeconds(4)).toBe(0);
  });

  it('should double the wait after that, up to 15 minutes', () => {
    expect([5, 6, 7, 10].map(loginDelaySeconds)).toEqual([1, 2, 4, 32]);
    expect(loginDelaySeconds(60)).toBe(900);
  });

  it('should hand the database the wait for every count below the lock', () => {
    // PostgreSQL arrays start at 1: the wait after n failures is element n + 1.
    expect(LOGIN_DELAY_TABLE).toHaveLength(MAX_CONSECUTIVE_FAILURES);
    LOGIN_DELAY_TABLE.forEach((seconds, failures) =>
      expect(seconds).toBe(loginDelaySeconds(failures)),
    );
    expect(Number.isInteger(Math.max(...LOGIN_DELAY_TABLE))).toBe(true);
  });
});

describe('throttle status', () => {
  const now = new Date('2026-12-06T10:00:00.000Z');
  const secondsAgo = (seconds: number) => new Date(now.getTime() - seconds * 1000);

  it('should say ok while failures cost no wait, or once the wait has passed', () => {
    expect(throttleStatus(0, null, now)).toEqual({ state: 'ok', failures: 0, until: null });
    expect(throttleStatus(4, secondsAgo(0), now)).toEqual({
      state: 'ok',
      failures: 4,
      until: null,
    });
    // 10 failures wait 32 s after the last one.
    expect(throttleStatus(10, secondsAgo(32), now)).toEqual({
      state: 'ok',
      failures: 10,
      until: null,
    });
  });

  it('should say throttled until the instant the admitting statement would admit again', () => {
    expect(throttleStatus(FREE_FAILURES, secondsAgo(0), now)).toEqual({
      state: 'throttled',
      failures: FREE_FAILURES,
      until: '2026-12-06T10:00:01.000Z',
    });
    expect(throttleStatus(10, secondsAgo(2), now)).toEqual({
      state: 'throttled',
      failures: 10,
      until: '2026-12-06T10:00:30.000Z',
    });
  });

  it('should say locked from the last failure the statement admits, however long ago', () => {
    expect(throttleStatus(MAX_CONSECUTIVE_FAILURES - 1, secondsAgo(899), now).state).toBe(
      'throttled',
    );
    expect(throttleStatus(MAX_CONSECUTIVE_FAILURES, secondsAgo(86_400), now)).toEqual({
      state: 'locked',
      failures: MAX_CONSECUTIVE_FAILURES,
      until: null,
    });
  });
});
