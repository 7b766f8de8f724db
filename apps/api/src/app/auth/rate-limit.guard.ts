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
import { clientKey } from './client-key';
import { Hit } from './memory-counters';
import { RATE_LIMIT_KEY, RateLimitName, SESSION_PER_MINUTE, SIGN_IN_LIMIT } from './rate-limit';
import { RateLimitCounters } from './rate-limit-counters';

interface Rule {
  name: RateLimitName;
  limit: number;
  /** Also spends the global sign-in budget. */
  signIn: boolean;
}

/**
 * Per client and route budgets (see docs/operations.md), declared on handlers with
 * `@RateLimit`; a client is an IPv4 address or an IPv6 network (`clientKey`) of the IP
 * `clientIp` reads, which honours X-Forwarded-For only from a TRUST_PROXY proxy, and only a
 * valid one. Sign-in then spends the global budgets too: this
 * replica's, and the one all replicas share when configured. Over any budget: 429 with
 * Retry-After, before the handler runs (so before any hashing). A request refused by its
 * client's budget spends no global budget: one noisy network cannot use it up for everyone.
 * A handler's rule is read from its metadata once, not on every request.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly rules = new Map<object, Rule>();
  private readonly limits: AppConfig['rateLimits'];
  private readonly scope: AppConfig['rateLimitScope'];

  constructor(
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
    private readonly counters: RateLimitCounters,
  ) {
    this.limits = config.get('rateLimits', { infer: true });
    this.scope = config.get('rateLimitScope', { infer: true });
  }

  canActivate(context: ExecutionContext): boolean | Promise<boolean> {
    const rule = this.ruleFor(context.getHandler());
    const http = context.switchToHttp();
    // No address at all (the socket already closed): one shared budget for all such requests.
    const ip = clientIp(http.getRequest<FastifyRequest>()) ?? 'unknown';
    const client = clientKey(ip, this.scope.ipv6PrefixBits);
    const reply = http.getResponse<FastifyReply>();
    const perClient = then(this.counters.hit(`${rule.name}:${client}`), (hit) =>
      allow(rule.limit, hit, reply),
    );
    return rule.signIn ? then(perClient, () => this.allowSignIn(reply)) : perClient;
  }

  private allowSignIn(reply: FastifyReply): true | Promise<true> {
    allow(this.scope.loginPerSecondPerReplica, this.counters.hitReplica('login'), reply);
    const shared = this.scope.loginPerSecondShared;
    if (shared === 0) return true;
    return then(this.counters.hitEveryReplica('login'), (hit) => allow(shared, hit, reply));
  }

  private ruleFor(handler: object): Rule {
    let rule = this.rules.get(handler);
    if (rule === undefined) {
      const name = Reflect.getMetadata(RATE_LIMIT_KEY, handler) as RateLimitName | undefined;
      if (name === undefined) {
        throw new Error(`${(handler as { name?: string }).name ?? 'handler'} has no @RateLimit`);
      }
      rule = {
        name,
        limit: name === 'sessionPerMinute' ? SESSION_PER_MINUTE : this.limits[name],
        signIn: name === SIGN_IN_LIMIT,
      };
      this.rules.set(handler, rule);
    }
    return rule;
  }
}

function allow(limit: number, hit: Hit, reply: FastifyReply): true {
  if (hit.count <= limit) return true;
  void reply.header('retry-after', String(Math.max(1, Math.ceil(hit.resetInMs / 1000))));
  throw new HttpException('Too many requests', HttpStatus.TOO_MANY_REQUESTS);
}

/** Chains without a promise when the counter answered synchronously (memory counters). */
function then<T, U>(value: T | Promise<T>, next: (value: T) => U | Promise<U>): U | Promise<U> {
  return value instanceof Promise ? value.then(next) : next(value);
}
