import { SetMetadata } from '@nestjs/common';

import { AppConfig } from '../config/app-config';

/** Which per-IP budget (DESIGN §8) an auth route spends. */
export type RateLimitName = keyof AppConfig['rateLimits'] | 'sessionPerMinute';

export const RATE_LIMIT_KEY = 'account-recovery:rate-limit';
/** `/me` is cheap and called by the portal on every load; it still gets a ceiling. */
export const SESSION_PER_MINUTE = 120;
export const RATE_LIMIT_WINDOW_MS = 60_000;

/** Marks a handler with its budget; RateLimitGuard counts per route and client IP. */
export const RateLimit = (name: RateLimitName): MethodDecorator =>
  SetMetadata(RATE_LIMIT_KEY, name);
