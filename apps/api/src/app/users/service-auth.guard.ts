import { ERROR_CODES, ServiceScope } from '@account-recovery/contracts';

import { CanActivate, ExecutionContext, HttpStatus, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { bearerOf } from '../auth/session.controller';
import { ApiException } from '../common/http/api-exception';
import { ApiCaller, CallerRequest } from './api-caller';
import { ServiceClients } from './service-clients.service';
import { StaffSessions } from './staff-sessions';

export const API_KEY_HEADER = 'x-api-key';
const SCOPE_KEY = 'account-recovery:required-scope';

/** The scope a route needs; a caller without it gets 403. */
export const RequireScope = (scope: ServiceScope): MethodDecorator => SetMetadata(SCOPE_KEY, scope);

/**
 * Authentication of the service API (docs/architecture.md §11). The caller is a service
 * (`X-API-Key`, the scopes of its key) or, without that header, a staff member (a Bearer
 * session; the scopes of their roles, see StaffSessions). 401 without a caller, 403 without
 * the route's scope. The caller is left on the request for `@Caller()`.
 */
@Injectable()
export class ServiceAuthGuard implements CanActivate {
  constructor(
    private readonly clients: ServiceClients,
    private readonly staff: StaffSessions,
    private readonly reflector: Reflector,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<CallerRequest>();
    const scope = this.reflector.get<ServiceScope | undefined>(SCOPE_KEY, context.getHandler());
    if (!scope) throw new Error(`${context.getHandler().name} declares no @RequireScope`);
    const caller = await this.resolve(request);
    if (!caller.scopes.includes(scope)) {
      throw new ApiException(HttpStatus.FORBIDDEN, ERROR_CODES.FORBIDDEN, {
        key: caller.kind === 'service' ? 'auth.key-lacks-scope' : 'auth.roles-lack-scope',
        values: { scope },
      });
    }
    request.caller = caller;
    return true;
  }

  /**
   * A present X-API-Key decides: a bad key is a 401 even with a good session beside it, so
   * a request never silently runs with other rights than the ones its sender meant.
   */
  private async resolve(request: CallerRequest): Promise<ApiCaller> {
    const key = request.headers[API_KEY_HEADER];
    if (key !== undefined) {
      const principal =
        typeof key === 'string' && key.length > 0 && key.length <= 256
          ? await this.clients.authenticate(key)
          : null;
      if (!principal) throw ApiException.unauthorized('auth.api-key-invalid');
      return { kind: 'service', ...principal, actor: `service:${principal.name}` };
    }
    const bearer = bearerOf(request.headers.authorization);
    if (bearer === null) {
      throw ApiException.unauthorized('auth.caller-required');
    }
    return this.staff.resolve(bearer);
  }
}
