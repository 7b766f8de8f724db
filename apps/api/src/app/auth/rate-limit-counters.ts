import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';

import { AppConfig } from '../config/app-config';
import { Hit, MemoryCounters } from './memory-counters';
import { GLOBAL_WINDOW_MS, RATE_LIMIT_WINDOW_MS } from './rate-limit';

/** INCR, and start the window's expiry on the first hit; one round trip. */
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}`;

type RedisWithHit = Redis & {
  rateLimitHit(key: string, windowMs: number): Promise<[number, number]>;
};

/**
 * Request counters for the rate limits: per client in a one-minute window, and for budgets
 * all clients share in a one-second window. Per-client and shared budgets live in Redis when
 * REDIS_URL is set, so every replica spends the same budget; in memory otherwise. When Redis
 * is unreachable they fall back to this replica's memory for the moment: limits stay in force
 * (per replica) and requests never fail or hang because of the rate limiter.
 */
@Injectable()
export class RateLimitCounters implements OnModuleDestroy {
  private readonly logger = new Logger(RateLimitCounters.name);
  private readonly memory: MemoryCounters;
  private readonly memoryPerSecond: MemoryCounters;
  private readonly redis: RedisWithHit | null;
  private degraded = false;

  constructor(@Inject(ConfigService) config: ConfigService<AppConfig, true>) {
    this.memory = new MemoryCounters(RATE_LIMIT_WINDOW_MS);
    this.memoryPerSecond = new MemoryCounters(GLOBAL_WINDOW_MS);
    const url = config.get('redisUrl', { infer: true });
    this.redis = url ? this.connect(url) : null;
  }

  /** Counts one request for `key` (route and client) in the current minute. */
  hit(key: string): Hit | Promise<Hit> {
    return this.redis
      ? this.hitShared(this.redis, key, RATE_LIMIT_WINDOW_MS, this.memory)
      : this.memory.hit(key);
  }

  /** Counts one request against a budget of this replica alone, in the current second. */
  hitReplica(key: string): Hit {
    return this.memoryPerSecond.hit(`replica:${key}`);
  }

  /**
   * Counts one request against a budget every replica shares, in the current second: in
   * Redis, or in this replica's memory while Redis is away (or not configured).
   */
  hitEveryReplica(key: string): Hit | Promise<Hit> {
    const shared = `shared:${key}`;
    return this.redis
      ? this.hitShared(this.redis, shared, GLOBAL_WINDOW_MS, this.memoryPerSecond)
      : this.memoryPerSecond.hit(shared);
  }

  onModuleDestroy(): void {
    this.memory.stop();
    this.memoryPerSecond.stop();
    this.redis?.disconnect();
  }

  private async hitShared(
    redis: RedisWithHit,
    key: string,
    windowMs: number,
    fallback: MemoryCounters,
  ): Promise<Hit> {
    try {
      const [count, ttl] = await redis.rateLimitHit(key, windowMs);
      if (this.degraded) this.logger.log('Redis is back: rate-limit counters are shared again');
      this.degraded = false;
      // A key without expiry (-1) cannot come from the script; treat it as a fresh window.
      return { count, resetInMs: ttl > 0 ? ttl : windowMs };
    } catch (error) {
      if (!this.degraded) {
        this.logger.warn(`Redis unavailable (${(error as Error).message}): counting in memory`);
      }
      this.degraded = true;
      return fallback.hit(key);
    }
  }

  private connect(url: string): RedisWithHit {
    const redis = new Redis(url, {
      keyPrefix: 'account-recovery:rate-limit:',
      // Fail fast instead of queueing commands while disconnected.
      enableOfflineQueue: false,
      commandTimeout: 250,
      maxRetriesPerRequest: 0,
      retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    });
    redis.on('error', () => undefined); // reported once per outage in hitShared
    // EVALSHA with the script's digest, EVAL once when Redis does not know it yet.
    redis.defineCommand('rateLimitHit', { numberOfKeys: 1, lua: HIT_SCRIPT });
    return redis as RedisWithHit;
  }
}
