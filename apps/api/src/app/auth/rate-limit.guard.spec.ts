import { ExecutionContext, HttpException } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import { AppConfig } from '../config/app-config';
import { RateLimit } from './rate-limit';
import { RateLimitCounters } from './rate-limit-counters';
import { RateLimitGuard } from './rate-limit.guard';

class Handlers {
  @RateLimit('loginPerMinute')
  login(): void {
    return undefined;
  }

  @RateLimit('resetPerMinute')
  reset(): void {
    return undefined;
  }
}

describe('RateLimitGuard', () => {
  let counters: RateLimitCounters;
  let guard: RateLimitGuard;

  beforeEach(() => {
    const config = new ConfigService<AppConfig, true>({
      redisUrl: null,
      rateLimits: {
        forgotPerMinute: 5,
        validatePerMinute: 5,
        resetPerMinute: 2,
        loginPerMinute: 2,
      },
      rateLimitScope: { ipv6PrefixBits: 64, loginPerSecondPerReplica: 3, loginPerSecondShared: 0 },
    });
    counters = new RateLimitCounters(config);
    guard = new RateLimitGuard(config, counters);
  });

  afterEach(() => counters.onModuleDestroy());

  /** 'ok', or the 429 with its Retry-After. */
  function attempt(handler: () => void, ip: string): string {
    const headers: Record<string, string> = {};
    const context = {
      getHandler: () => handler,
      switchToHttp: () => ({
        getRequest: () => ({ ip }),
        getResponse: () => ({ header: (name: string, value: string) => (headers[name] = value) }),
      }),
    } as unknown as ExecutionContext;
    try {
      expect(guard.canActivate(context)).toBe(true);
      return 'ok';
    } catch (error) {
      expect((error as HttpException).getStatus()).toBe(429);
      return `429 retry-after ${headers['retry-after']}`;
    }
  }

  const login = Handlers.prototype.login;
  const reset = Handlers.prototype.reset;

  it('should count the addresses of one IPv6 /64 as one client', () => {
    expect(attempt(reset, '2001:db8:1:2::1')).toBe('ok');
    expect(attempt(reset, '2001:db8:1:2:ffff::9')).toBe('ok');
    expect(attempt(reset, '2001:db8:1:2:abcd:1:2:3')).toMatch(/^429 retry-after (60|59)$/);
    expect(attempt(reset, '2001:db8:1:3::1')).toBe('ok');
  });

  it('should spend the global sign-in budget only on requests their client may send', () => {
    // 2 a minute per client, 3 a second in all: the noisy client's refused attempts leave
    // the global budget to the others.
    expect(['a', 'a', 'a', 'a', 'a'].map(() => attempt(login, '198.51.100.1'))).toEqual([
      'ok',
      'ok',
      '429 retry-after 60',
      '429 retry-after 60',
      '429 retry-after 60',
    ]);
    expect(attempt(login, '198.51.100.2')).toBe('ok');
    expect(attempt(login, '198.51.100.3')).toBe('429 retry-after 1');
    // Other routes have no global budget.
    expect(attempt(reset, '198.51.100.3')).toBe('ok');
  });
});
