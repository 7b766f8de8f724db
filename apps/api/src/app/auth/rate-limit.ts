import { SetMetadata } from '@nestjs/common';

import { AppConfig } from '../config/app-config';

/** Which per-IP budget (see docs/operations.md) an auth route spends. */
export type RateLimitName = keyof AppConfig['rateLimits'] | 'sessionPerMinute';

export const RATE_LIMIT_KEY = 'account-recovery:rate-limit';
/** `/me` is cheap and called by the portal on every load; it still gets a ceiling. */
export const SESSION_PER_MINUTE = 120;
export const RATE_LIMIT_WINDOW_MS = 60_000;
/** Budgets every client shares are counted per second: a burst is refused while it lasts. */
export const GLOBAL_WINDOW_MS = 1000;
/**
 * The budget whose routes also spend the global sign-in budget: each admitted sign-in costs
 * one bcrypt comparison, whoever sends it.
 */
export const SIGN_IN_LIMIT: RateLimitName = 'loginPerMinute';

/** Marks a handler with its budget; RateLimitGuard counts per route and client IP. */
export const RateLimit = (name: RateLimitName): MethodDecorator =>
  SetMetadata(RATE_LIMIT_KEY, name);
