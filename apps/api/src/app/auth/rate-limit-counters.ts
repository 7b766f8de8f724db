import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import Redis from 'ioredis';

import { AppConfig } from '../config/app-config';
import { GLOBAL_WINDOW_MS, RATE_LIMIT_WINDOW_MS } from './rate-limit';

/** One request counted in a fixed window: how many so far, and when the window ends. */
export interface Hit {
  count: number;
  resetInMs: number;
}

/**
 * Beyond this many live keys (distinct route and address pairs in the last window) the
 * oldest are dropped: a flood of spoofed addresses must not grow the heap without bound.
 * 200,000 keys take about 25 MB: 110 bytes of key and map entry on the heap and 16 bytes of
 * typed arrays per key (measured with the flood's keys; an object per key took 210-220).
 */
const MAX_MEMORY_KEYS = 200_000;
/** Slots the typed arrays start with; they double as keys arrive, up to the cap. */
const INITIAL_SLOTS = 1024;

/**
 * Fixed-window counters in this process's memory, swept once per window. Each key keeps its
 * own window, opened by its first hit. The map holds a slot number per key (a small integer,
 * stored inline); the slot's window end and count live in typed arrays. An object per key
 * cost 56 bytes more on the heap (the object and its boxed end time), 11 MB at the cap: with
 * the keys' concatenation trees (see `flat`), the counters were 38 MB of the API's 91 MB heap
 * at the end of the bench's flood (docs/architecture.md §3, "Flood"), which ended at 200-211 MB
 * RSS against a 200 MB budget.
 */
export class MemoryCounters {
  /** Key → slot, in the order the keys' windows opened: the oldest windows come first. */
  private readonly slots = new Map<string, number>();
  private resetAt = new Float64Array(INITIAL_SLOTS);
  /** Windows last a minute at most; 2^32 hits would take 71 minutes at a million a second. */
  private counts = new Uint32Array(INITIAL_SLOTS);
  /** Slots released by swept or dropped keys, reused before fresh ones. */
  private free = new Uint32Array(INITIAL_SLOTS);
  private freeCount = 0;
  /** Slots handed out at least once: the next fresh slot. */
  private used = 0;
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly windowMs: number,
    private readonly maxKeys = MAX_MEMORY_KEYS,
  ) {
    this.sweeper = setInterval(() => this.sweep(Date.now()), windowMs).unref();
  }

  hit(key: string, now = Date.now()): Hit {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      if (this.slots.size >= this.maxKeys) this.makeRoom(now);
      slot = this.allocate();
      this.open(key, slot, now);
    } else if (this.resetAt[slot] <= now) {
      // A new window: the key moves to the end, so the map stays in order of window start.
      this.slots.delete(key);
      this.open(key, slot, now);
    }
    const count = ++this.counts[slot];
    return { count, resetInMs: this.resetAt[slot] - now };
  }

  get size(): number {
    return this.slots.size;
  }

  stop(): void {
    clearInterval(this.sweeper);
  }

  private open(key: string, slot: number, now: number): void {
    this.slots.set(flat(key), slot);
    this.resetAt[slot] = now + this.windowMs;
    this.counts[slot] = 0;
  }

  private allocate(): number {
    if (this.freeCount > 0) return this.free[--this.freeCount];
    if (this.used === this.resetAt.length) this.grow();
    return this.used++;
  }

  private release(key: string, slot: number): void {
    this.slots.delete(key);
    this.free[this.freeCount++] = slot;
  }

  /** Doubles the arrays, never past the cap: a live key holds a slot, so that is enough. */
  private grow(): void {
    const length = Math.min(this.resetAt.length * 2, this.maxKeys);
    const resetAt = new Float64Array(length);
    const counts = new Uint32Array(length);
    const free = new Uint32Array(length);
    resetAt.set(this.resetAt);
    counts.set(this.counts);
    free.set(this.free.subarray(0, this.freeCount));
    this.resetAt = resetAt;
    this.counts = counts;
    this.free = free;
  }

  private sweep(now: number): void {
    for (const [key, slot] of this.slots) if (this.resetAt[slot] <= now) this.release(key, slot);
  }

  /**
   * Sweeps, and if that is not enough drops the oldest sixteenth at once: a flood of fresh
   * addresses (docs/architecture.md §3, "Flood") then pays for one pass over the map every
   * 12,500 new keys, not for one on every request once the map is full.
   */
  private makeRoom(now: number): void {
    this.sweep(now);
    if (this.slots.size < this.maxKeys) return;
    let excess = this.slots.size - this.maxKeys + Math.ceil(this.maxKeys / 16);
    // Maps iterate in insertion order, which hit() keeps the order windows opened in.
    for (const [key, slot] of this.slots) {
      if (excess-- <= 0) break;
      this.release(key, slot);
    }
  }
}

/**
 * `key` as one flat string. The guard builds keys by concatenation, which V8 keeps as a tree
 * (a 32-byte node per `+`, over the parts) until something flattens it; kept as a map key for
 * a whole window, the tree took 165 bytes per key with its map entry where the flat string
 * takes 110 (a flood's mix of IPv4 and IPv6 keys). `trim()` flattens its input and, with
 * nothing to trim, returns that flat string; a key with spaces around it is kept as it is.
 */
function flat(key: string): string {
  const trimmed = key.trim();
  return trimmed.length === key.length ? trimmed : key;
}

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
