import { ServiceScope, StaffRole } from '@account-recovery/contracts';

import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';

/** A service that presented its X-API-Key. */
export interface ServiceCaller {
  kind: 'service';
  /** The client's name, or `env` for a key from SERVICE_API_KEYS. */
  name: string;
  scopes: readonly ServiceScope[];
  actor: `service:${string}`;
}

/** A person with a staff role, signed in with their second factor. */
export interface StaffCaller {
  kind: 'staff';
  userId: string;
  roles: readonly StaffRole[];
  /** What the roles grant (`scopesOfRoles`), read from the database on every request. */
  scopes: readonly ServiceScope[];
  actor: `staff:${string}`;
}

/** Who called a service-API route: ServiceAuthGuard resolves it before the handler runs. */
export type ApiCaller = ServiceCaller | StaffCaller;

/** The request once ServiceAuthGuard admitted it. */
export type CallerRequest = FastifyRequest & { caller?: ApiCaller };

/**
 * The caller of a route behind ServiceAuthGuard (guards run before parameter decorators),
 * e.g. for the actor of a security event: `@Caller() caller: ApiCaller`. Outside such a
 * route there is no caller: that is a programming error, not a request to answer.
 */
export const Caller = createParamDecorator((_: unknown, context: ExecutionContext): ApiCaller => {
  const caller = context.switchToHttp().getRequest<CallerRequest>().caller;
  if (!caller) throw new Error('@Caller() used on a route without ServiceAuthGuard');
  return caller;
});
