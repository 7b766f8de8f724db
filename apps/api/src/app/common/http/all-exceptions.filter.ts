import {
  DEFAULT_LOCALE,
  ERROR_CODES,
  ErrorCode,
  ErrorResponse,
  Locale,
} from '@account-recovery/contracts';

import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { ApiMessageKey, apiMessages, ApiMessages } from '../../i18n/api-messages';
import { REFERENCE_LOCALE } from '../../i18n/message-catalogs';
import { requestLocale, sayLanguage } from '../../i18n/request-locale';
import { ApiException, inLocale, KeyedError } from './api-exception';
import { isDatabaseUnavailable } from './database-errors';
import { requestLine } from './request-log';

const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: ERROR_CODES.VALIDATION_FAILED,
  [HttpStatus.UNAUTHORIZED]: ERROR_CODES.UNAUTHORIZED,
  [HttpStatus.FORBIDDEN]: ERROR_CODES.FORBIDDEN,
  [HttpStatus.NOT_FOUND]: ERROR_CODES.NOT_FOUND,
  [HttpStatus.METHOD_NOT_ALLOWED]: ERROR_CODES.NOT_FOUND,
  [HttpStatus.PAYLOAD_TOO_LARGE]: ERROR_CODES.PAYLOAD_TOO_LARGE,
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: ERROR_CODES.UNSUPPORTED_MEDIA_TYPE,
  [HttpStatus.TOO_MANY_REQUESTS]: ERROR_CODES.RATE_LIMITED,
  [HttpStatus.SERVICE_UNAVAILABLE]: ERROR_CODES.SERVICE_UNAVAILABLE,
};

const GENERIC_MESSAGES: Partial<Record<number, ApiMessageKey>> = {
  [HttpStatus.UNAUTHORIZED]: 'auth.required',
  [HttpStatus.FORBIDDEN]: 'auth.forbidden',
  [HttpStatus.NOT_FOUND]: 'request.not-found',
  [HttpStatus.METHOD_NOT_ALLOWED]: 'request.not-found',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'request.body-too-large',
  [HttpStatus.URI_TOO_LONG]: 'request.url-too-long',
  [HttpStatus.REQUEST_TIMEOUT]: 'request.timeout',
  431: 'request.headers-too-large',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'request.unsupported-content-type',
  [HttpStatus.TOO_MANY_REQUESTS]: 'request.too-many',
};

/** Fastify's own errors (bad JSON, body too large, wrong content type) carry these fields. */
interface FrameworkError {
  statusCode?: number;
  code?: string;
  message?: string;
}

/**
 * Every error leaves in the contract's shape `{ statusCode, code, message }`, its message in
 * the language of the request's Accept-Language, else DEFAULT_LOCALE (docs/architecture.md
 * §12). Client mistakes keep their 4xx; an outage of the database becomes 503; anything
 * unexpected is logged (without request bodies) and answered with a bland 500.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  constructor(
    private readonly defaultLocale: Locale = DEFAULT_LOCALE,
    private readonly messages: ApiMessages = apiMessages(),
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest | undefined>();
    const locale = requestLocale(request?.headers, this.defaultLocale);
    const { body, language } = errorAnswerFor(exception, locale, this.messages);
    if (body.statusCode >= 500 && body.code !== ERROR_CODES.SERVICE_UNAVAILABLE) {
      // The request's id (and route), so the line joins the request's own line.
      this.logger.error(
        request ? { req: requestLine(request) } : {},
        exception instanceof Error ? exception.stack : String(exception),
      );
    }
    if (exception instanceof ApiException && exception.retryAfterSeconds !== null) {
      void reply.header('retry-after', String(exception.retryAfterSeconds));
    }
    if (language) sayLanguage(reply, language);
    void reply.status(body.statusCode).send(body);
  }
}

/**
 * The contract's answer to anything thrown, by Nest, Fastify, the database or our code, in
 * `locale`; `language` is null for a body some other code worded (not ours to label).
 */
export function errorAnswerFor(
  exception: unknown,
  locale: Locale,
  messages: ApiMessages = apiMessages(),
): { body: ErrorResponse; language: Locale | null } {
  const keyed = keyedErrorFor(exception);
  if ('body' in keyed) return { body: keyed.body, language: null };
  return { body: inLocale(keyed, locale, messages), language: locale };
}

/** {@link errorAnswerFor}'s body alone; English unless `locale` says otherwise. */
export function errorResponseFor(
  exception: unknown,
  locale: Locale = REFERENCE_LOCALE,
): ErrorResponse {
  return errorAnswerFor(exception, locale).body;
}

/** What to answer, before it is worded; `body` when an HttpException brought its own. */
function keyedErrorFor(exception: unknown): KeyedError | { body: ErrorResponse } {
  if (exception instanceof ApiException) return exception.keyed;
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    if (typeof response === 'object' && response !== null && 'code' in response) {
      return { body: response as ErrorResponse };
    }
    // No code: raised by the framework (bad JSON, wrong route…), not by our code.
    return {
      statusCode: status,
      code:
        CODE_BY_STATUS[status] ??
        (status >= 500 ? ERROR_CODES.INTERNAL_ERROR : ERROR_CODES.VALIDATION_FAILED),
      message: { key: genericMessage(status, exception.message) },
    };
  }
  if (isDatabaseUnavailable(exception)) {
    return {
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      code: ERROR_CODES.SERVICE_UNAVAILABLE,
      message: { key: 'service.unavailable' },
    };
  }
  const framework = exception as FrameworkError;
  const status = framework?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return {
      statusCode: status,
      code: CODE_BY_STATUS[status] ?? ERROR_CODES.VALIDATION_FAILED,
      message: { key: genericMessage(status, framework.message) },
    };
  }
  return {
    statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
    code: ERROR_CODES.INTERNAL_ERROR,
    message: { key: 'service.unexpected' },
  };
}

/**
 * Framework messages can quote the request (`Unexpected token … in JSON at …`), so they
 * are never passed on: the status decides a fixed message.
 */
function genericMessage(status: number, original = ''): ApiMessageKey {
  if (status === HttpStatus.BAD_REQUEST && /JSON/i.test(original)) return 'request.invalid-json';
  return GENERIC_MESSAGES[status] ?? (status >= 500 ? 'service.unexpected' : 'request.invalid');
}
