import type { Socket } from 'node:net';

import { Locale } from '@account-recovery/contracts';

import type { FastifyError, FastifyReply, FastifyRequest, FastifyServerOptions } from 'fastify';

import { requestLocale, sayLanguage } from '../../i18n/request-locale';
import { errorAnswerFor, errorResponseFor } from './all-exceptions.filter';

/**
 * Fastify answers some requests before any route, hook or Nest exception filter sees them,
 * in its own `{ error, code, message, statusCode }` that quotes the request's URL: a path
 * with a broken percent-escape (`/api/v1/users/%E0%A4%A`), a path parameter over the
 * router's length limit, and HTTP it cannot parse (headers over the size limit, …). These
 * server options give those answers the contract's shape too, with fixed messages: in the
 * request's language when there is a request, else in `defaultLocale` (DEFAULT_LOCALE).
 */
export function contractErrorServerOptions(defaultLocale: Locale) {
  return {
    frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
      const { body, language } = errorAnswerFor(
        error,
        requestLocale(request.headers, defaultLocale),
      );
      if (language) sayLanguage(reply, language);
      void reply.code(body.statusCode).send(body);
    },
    clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
      // A reset connection has nobody left to answer (as Fastify's own handler does).
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      const status =
        error.code === 'HPE_HEADER_OVERFLOW'
          ? 431
          : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
            ? 408
            : 400;
      // HTTP that did not parse has no header to read a language from.
      const body = JSON.stringify(errorResponseFor({ statusCode: status }, defaultLocale));
      if (socket.writable) {
        socket.write(
          `HTTP/1.1 ${status} Error\r\nContent-Type: application/json; charset=utf-8\r\n` +
            `Content-Language: ${defaultLocale}\r\n` +
            `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
        );
      }
      socket.destroy(error);
    },
  } satisfies Pick<FastifyServerOptions, 'frameworkErrors' | 'clientErrorHandler'>;
}
