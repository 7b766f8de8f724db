import { LOGIN_DELAY_TABLE, loginDelaySeconds, MAX_CONSECUTIVE_FAILURES } from './login-throttle';

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
