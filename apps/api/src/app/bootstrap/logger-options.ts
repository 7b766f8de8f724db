import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import { RequestMethod } from '@nestjs/common';
import type { Params } from 'nestjs-pino';

import { AppConfig } from '../config/app-config';

/**
 * Secrets that may appear in a request or an error object, wherever they are nested.
 * pino replaces them before a line is written, so no code path can log them by mistake.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'token',
  'password',
  'newPassword',
  'accessToken',
  '*.token',
  '*.password',
  '*.newPassword',
  '*.accessToken',
  '*.*.token',
  '*.*.password',
  '*.*.newPassword',
];

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Fastify assigns the id (pino-http then reuses `req.id`): the caller's X-Request-Id when it
 * looks like an id, so traces join up across services, otherwise a fresh UUID.
 */
export function requestId(request: { headers: IncomingMessage['headers'] }): string {
  const header = request.headers['x-request-id'];
  return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
}

/** Structured JSON logs with a request id on every line. */
export function loggerOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      // pino-pretty is a dev dependency, loaded by name only when asked for (npm start does).
      transport:
        config.logFormat === 'pretty'
          ? { target: 'pino-pretty', options: { singleLine: true, ignore: 'pid,hostname' } }
          : undefined,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      customLogLevel: (_request, response, error) =>
        error || response.statusCode >= 500
          ? 'error'
          : response.statusCode >= 400
            ? 'info'
            : 'debug',
      // The URL never carries a token (tokens travel in bodies), but strip queries anyway.
      serializers: {
        req: (request: { id: string; method: string; url: string }) => ({
          id: request.id,
          method: request.method,
          url: request.url.split('?')[0],
        }),
        // Status only: response headers are noise, and Set-Cookie would be a secret.
        res: (response: { statusCode: number }) => ({ statusCode: response.statusCode }),
      },
      // Probes hit these every few seconds; their failures still show through the filter.
      autoLogging: {
        ignore: (request) =>
          ((request as { originalUrl?: string }).originalUrl ?? request.url ?? '').startsWith(
            '/api/health',
          ),
      },
    },
    renameContext: 'context',
    // Named wildcard: the legacy '*' makes Nest 11 warn on every start.
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
  };
}
