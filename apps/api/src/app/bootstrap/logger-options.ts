import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

import type { Params } from 'nestjs-pino';
import pino, { Logger as PinoLogger } from 'pino';

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
  // The second factor: codes, challenge tokens, secrets and recovery codes. (Not a bare
  // `code`: error codes go by that name and are what an operator needs.)
  'secondFactor.code',
  '*.secondFactor.code',
  'challengeToken',
  'secret',
  'otpauthUri',
  'recoveryCodes',
  '*.challengeToken',
  '*.secret',
  '*.otpauthUri',
  '*.recoveryCodes',
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

/**
 * The one pino logger of a process: JSON lines, secrets redacted. Nest's logger writes
 * through it (nestjs-pino), and so does the line for each completed request
 * (common/http/request-log.ts).
 */
export function createLogger(config: AppConfig): PinoLogger {
  return pino({
    level: config.logLevel,
    // pino-pretty is a dev dependency, loaded by name only when asked for (npm start does).
    transport:
      config.logFormat === 'pretty'
        ? { target: 'pino-pretty', options: { singleLine: true, ignore: 'pid,hostname' } }
        : undefined,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
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
  });
}

/**
 * nestjs-pino with that logger and no HTTP middleware: its pino-http middleware made a child
 * logger per request (bindings serialised and redacted), ran it under an AsyncLocalStorage
 * through @fastify/middie and listened for the response's end, ~15 % of the API's CPU on
 * forgot-password, mostly for lines that debug level never writes. Request lines are written
 * by a Fastify hook instead (common/http/request-log.ts), error lines name their request
 * (common/http/all-exceptions.filter.ts).
 */
export function loggerOptions(config: AppConfig): Params {
  return {
    pinoHttp: { logger: createLogger(config) },
    useExisting: true,
    forRoutes: [],
    renameContext: 'context',
  };
}

/** The logger loggerOptions gave nestjs-pino, read back from the options Nest holds. */
export function loggerOf(params: Params): PinoLogger {
  return (params.pinoHttp as { logger: PinoLogger }).logger;
}
