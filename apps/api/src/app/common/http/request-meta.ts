import { createParamDecorator, ExecutionContext } from '@nestjs/common';

import { headerLocale } from '../../i18n/request-locale';
import { RequestMeta } from '../../queue/account-email.job';
import type { CallerRequest } from '../../users/api-caller';
import { clientIp } from './client-ip';

const USER_AGENT_MAX_LENGTH = 512;

/**
 * Who asked, for the email's "requested from" line and the token row. The IP is always a
 * valid address: X-Forwarded-For from a trusted proxy (TRUST_PROXY), else the peer.
 * The actor of the security events: the caller ServiceAuthGuard resolved (a service key or a
 * staff session; guards run before parameter decorators), else the person themselves.
 * The locale: the request's Accept-Language negotiated to one the product speaks (null when
 * none), for the emails the request causes (docs/architecture.md §12). The same work for
 * every request of a route, whoever it names.
 */
export const ClientRequestMeta = createParamDecorator(
  (_: unknown, context: ExecutionContext): RequestMeta => {
    const request = context.switchToHttp().getRequest<CallerRequest>();
    const userAgent = request.headers['user-agent'];
    return {
      ip: clientIp(request),
      userAgent: typeof userAgent === 'string' ? userAgent.slice(0, USER_AGENT_MAX_LENGTH) : null,
      requestedAt: new Date().toISOString(),
      actor: request.caller?.actor ?? 'self',
      locale: headerLocale(request.headers),
    };
  },
);
