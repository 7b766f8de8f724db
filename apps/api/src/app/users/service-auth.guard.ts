import { ERROR_CODES, ServiceScope } from '@account-recovery/contracts';

import { CanActivate, ExecutionContext, HttpStatus, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyRequest } from 'fastify';

import { ApiException } from '../common/http/api-exception';
import { ServiceClients, ServicePrincipal } from './service-clients.service';

export const API_KEY_HEADER = 'x-api-key';
const SCOPE_KEY = 'account-recovery:required-scope';

/** The scope a route needs; a key without it gets 403. */
export const RequireScope = (scope: ServiceScope): MethodDecorator => SetMetadata(SCOPE_KEY, scope);

/** `X-API-Key` authentication for the service API: 401 without a valid key, 403 without the scope. */
@Injectable()
export class ServiceAuthGuard implements CanActivate {
  constructor(
    private readonly clients: ServiceClients,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context
      .switchToHttp()
      .getRequest<FastifyRequest & { service?: ServicePrincipal }>();
    const key = request.headers[API_KEY_HEADER];
    const principal =
      typeof key === 'string' && key.length > 0 && key.length <= 256
        ? await this.clients.authenticate(key)
        : null;
    if (!principal) throw ApiException.unauthorized('A valid X-API-Key is required.');
    const scope = this.reflector.get<ServiceScope | undefined>(SCOPE_KEY, context.getHandler());
    if (!scope) throw new Error(`${context.getHandler().name} declares no @RequireScope`);
    if (!principal.scopes.includes(scope)) {
      throw new ApiException(
        HttpStatus.FORBIDDEN,
        ERROR_CODES.FORBIDDEN,
        `This key lacks the ${scope} scope.`,
      );
    }
    request.service = principal;
    return true;
  }
}
