import { ExecutionContext, SetMetadata } from '@nestjs/common';

import { AppConfig } from '../config/app-config';

/** Which per-IP budget (DESIGN §8) an auth route spends. */
export type RateLimitName = keyof AppConfig['rateLimits'] | 'sessionPerMinute';

const RATE_LIMIT_KEY = 'account-recovery:rate-limit';
/** `/me` is cheap and called by the portal on every load; it still gets a ceiling. */
const SESSION_PER_MINUTE = 120;
export const RATE_LIMIT_WINDOW_MS = 60_000;

/** Marks a handler with its budget; ThrottlerGuard counts per route and client IP. */
export const RateLimit = (name: RateLimitName): MethodDecorator =>
  SetMetadata(RATE_LIMIT_KEY, name);

/** The limit of the route being handled, resolved per request from the validated config. */
export function limitFor(limits: AppConfig['rateLimits']): (context: ExecutionContext) => number {
  return (context) => {
    const name = Reflect.getMetadata(RATE_LIMIT_KEY, context.getHandler()) as
      | RateLimitName
      | undefined;
    if (name === undefined) throw new Error(`${context.getHandler().name} has no @RateLimit`);
    return name === 'sessionPerMinute' ? SESSION_PER_MINUTE : limits[name];
  };
}
