import { isLoginBlocked, loginDelaySeconds, MAX_CONSECUTIVE_FAILURES } from './login-throttle';

describe('login throttle', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  const secondsAgo = (s: number) => new Date(now.getTime() - s * 1000);

  it('should let the first few failures retry at once', () => {
    expect(loginDelaySeconds(0)).toBe(0);
    expect(loginDelaySeconds(4)).toBe(0);
    expect(isLoginBlocked(4, secondsAgo(0), now)).toBe(false);
  });

  it('should double the wait after that, up to 15 minutes', () => {
    expect([5, 6, 7, 10].map(loginDelaySeconds)).toEqual([1, 2, 4, 32]);
    expect(loginDelaySeconds(60)).toBe(900);
    expect(isLoginBlocked(10, secondsAgo(31), now)).toBe(true);
    expect(isLoginBlocked(10, secondsAgo(33), now)).toBe(false);
  });

  it('should block for good after 100 consecutive failures', () => {
    expect(isLoginBlocked(MAX_CONSECUTIVE_FAILURES, secondsAgo(86_400), now)).toBe(true);
    expect(isLoginBlocked(MAX_CONSECUTIVE_FAILURES - 1, secondsAgo(86_400), now)).toBe(false);
  });
});
