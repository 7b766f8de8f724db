import { ThrottlerStorageRedisService } from '@nest-lab/throttler-storage-redis';
import { Inject, Injectable, Logger, Module, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ThrottlerStorage, ThrottlerStorageService } from '@nestjs/throttler';
import Redis from 'ioredis';

import { AppConfig } from '../config/app-config';

type StorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * Per-IP counters: in Redis when REDIS_URL is set, so every replica spends the same budget;
 * in memory otherwise. When Redis is unreachable the counters fall back to this replica's
 * memory for the moment: limits stay in force (per replica) and requests never fail or
 * hang because of the rate limiter.
 */
@Injectable()
export class RateLimitStorage implements ThrottlerStorage, OnModuleDestroy {
  private readonly logger = new Logger(RateLimitStorage.name);
  private readonly memory = new ThrottlerStorageService();
  private readonly redis: Redis | null;
  private readonly shared: ThrottlerStorageRedisService | null;
  private degraded = false;

  constructor(@Inject(ConfigService) config: ConfigService<AppConfig, true>) {
    const url = config.get('redisUrl', { infer: true });
    this.redis = url
      ? new Redis(url, {
          keyPrefix: 'account-recovery:rate-limit:',
          // Fail fast instead of queueing commands while disconnected.
          enableOfflineQueue: false,
          commandTimeout: 250,
          maxRetriesPerRequest: 0,
          retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
        })
      : null;
    this.redis?.on('error', () => undefined); // reported once per outage below
    this.shared = this.redis ? new ThrottlerStorageRedisService(this.redis) : null;
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<StorageRecord> {
    if (this.shared) {
      try {
        const record = await this.shared.increment(key, ttl, limit, blockDuration, throttlerName);
        if (this.degraded) this.logger.log('Redis is back: rate-limit counters are shared again');
        this.degraded = false;
        return record;
      } catch (error) {
        if (!this.degraded) {
          this.logger.warn(`Redis unavailable (${(error as Error).message}): counting in memory`);
        }
        this.degraded = true;
      }
    }
    return this.memory.increment(key, ttl, limit, blockDuration, throttlerName);
  }

  onModuleDestroy(): void {
    this.memory.onApplicationShutdown();
    this.redis?.disconnect();
  }
}

@Module({ providers: [RateLimitStorage], exports: [RateLimitStorage] })
export class RateLimitStorageModule {}
