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

/** Structured JSON logs with a request id on every line (taken from X-Request-Id when sane). */
export function loggerOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.logLevel,
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      genReqId: (request: IncomingMessage) => {
        const header = request.headers['x-request-id'];
        return typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
      },
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
      },
      autoLogging: { ignore: (request) => (request.url ?? '').startsWith('/api/health') },
    },
    renameContext: 'context',
    // Named wildcard: the legacy '*' makes Nest 11 warn on every start.
    forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
  };
}
