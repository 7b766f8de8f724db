import { createHash, timingSafeEqual } from 'node:crypto';

import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import type { FastifyRequest } from 'fastify';

import { ApiException } from '../common/http/api-exception';
import { AppConfig } from '../config/app-config';

export const API_KEY_HEADER = 'x-api-key';

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * Service-to-service authentication with `X-API-Key`. Keys are compared as SHA-256
 * digests with `timingSafeEqual` against every configured key, so neither the length nor
 * the position of a match shows in the timing.
 */
@Injectable()
export class ServiceApiKeyGuard implements CanActivate {
  private readonly keyDigests: Buffer[];

  constructor(@Inject(ConfigService) config: ConfigService<AppConfig, true>) {
    this.keyDigests = config.get('auth.serviceApiKeys', { infer: true }).map(digest);
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<FastifyRequest>().headers[API_KEY_HEADER];
    if (typeof header !== 'string' || header.length === 0)
      throw ApiException.unauthorized('A valid X-API-Key is required.');
    const presented = digest(header);
    let matched = false;
    for (const key of this.keyDigests) matched = timingSafeEqual(presented, key) || matched;
    if (!matched) throw ApiException.unauthorized('A valid X-API-Key is required.');
    return true;
  }
}
