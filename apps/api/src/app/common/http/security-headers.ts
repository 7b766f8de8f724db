import type { IncomingMessage, ServerResponse } from 'node:http';

import type { FastifyInstance } from 'fastify';
import helmet, { HelmetOptions } from 'helmet';

/** helmet's options for this API: a strict CSP (Swagger UI is the only HTML), no referrer. */
export const SECURITY_HEADER_OPTIONS: Readonly<HelmetOptions> = {
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      // Swagger UI at /api/docs is the only HTML this server sends.
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
      // No upgrade-insecure-requests: plain-http deployments behind a proxy must work.
    },
  },
  referrerPolicy: { policy: 'no-referrer' },
};

/**
 * The headers helmet's middleware sets with these options, recorded once. Every option here
 * is static (no CSP nonce, nothing read from the request), so helmet answers every request
 * with the same headers; running its thirteen middlewares and `setHeader` calls per request
 * cost ~5 % of the API's CPU on forgot-password.
 */
export function recordedHelmetHeaders(options: Readonly<HelmetOptions>): Record<string, string> {
  const headers: Record<string, string> = {};
  const recorder = {
    setHeader(name: string, value: string | number) {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let failure: unknown = null;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, (error) => {
    failure = error ?? null;
  });
  if (failure !== null) throw failure;
  return headers;
}

/**
 * Security headers and `Cache-Control: no-store` on every answer, errors and 404s included. They go into Fastify's reply
 * headers, which it writes with the status line in one `writeHead`.
 */
export function sendSecurityHeaders(fastify: FastifyInstance): void {
  const headers = {
    ...recordedHelmetHeaders(SECURITY_HEADER_OPTIONS),
    // Answers carry tokens, codes, secrets and recovery codes: no cache may keep one.
    'cache-control': 'no-store',
  };
  fastify.addHook('onRequest', (_request, reply, done) => {
    void reply.headers(headers);
    done();
  });
}
