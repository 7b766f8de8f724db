import {
  CanActivate,
  ExecutionContext,
  HttpException,
  HttpStatus,
  Inject,
  Injectable,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { clientIp } from '../common/http/client-ip';
import { AppConfig } from '../config/app-config';
import { RATE_LIMIT_KEY, RateLimitName, SESSION_PER_MINUTE } from './rate-limit';
import { Hit, RateLimitCounters } from './rate-limit-counters';

interface Rule {
  name: RateLimitName;
  limit: number;
}

/**
 * Per client IP and route budgets (RATE_LIMIT_*), declared on handlers with `@RateLimit`.
 * The IP (`clientIp`) honours X-Forwarded-For only from a TRUST_PROXY proxy, and only a
 * valid one. Over budget: 429 with Retry-After. A handler's rule is read from its metadata
 * once, not on every request.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly rules = new Map<object, Rule>();
  private readonly limits: AppConfig['rateLimits'];

  constructor(
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
    private readonly counters: RateLimitCounters,
  ) {
    this.limits = config.get('rateLimits', { infer: true });
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const rule = this.ruleFor(context.getHandler());
    const http = context.switchToHttp();
    const hit = this.counters.hit(`${rule.name}:${clientIp(http.getRequest<FastifyRequest>())}`);
    const reply = http.getResponse<FastifyReply>();
    return hit instanceof Promise
      ? hit.then((shared) => this.allow(rule, shared, reply))
      : this.allow(rule, hit, reply);
  }

  private allow(rule: Rule, hit: Hit, reply: FastifyReply): true {
    if (hit.count <= rule.limit) return true;
    void reply.header('retry-after', String(Math.max(1, Math.ceil(hit.resetInMs / 1000))));
    throw new HttpException('Too many requests', HttpStatus.TOO_MANY_REQUESTS);
  }

  private ruleFor(handler: object): Rule {
    let rule = this.rules.get(handler);
    if (rule === undefined) {
      const name = Reflect.getMetadata(RATE_LIMIT_KEY, handler) as RateLimitName | undefined;
      if (name === undefined) {
        throw new Error(`${(handler as { name?: string }).name ?? 'handler'} has no @RateLimit`);
      }
      rule = { name, limit: name === 'sessionPerMinute' ? SESSION_PER_MINUTE : this.limits[name] };
      this.rules.set(handler, rule);
    }
    return rule;
  }
}
