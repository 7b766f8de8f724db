import { ERROR_CODES, ErrorCode, ErrorResponse } from '@account-recovery/contracts';

import {
  ArgumentsHost,
  Catch,
  ExceptionFilter,
  HttpException,
  HttpStatus,
  Logger,
} from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';

import { ApiException } from './api-exception';
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

const GENERIC_MESSAGES: Partial<Record<number, string>> = {
  [HttpStatus.UNAUTHORIZED]: 'Authentication required.',
  [HttpStatus.FORBIDDEN]: 'Not allowed.',
  [HttpStatus.NOT_FOUND]: 'Not found.',
  [HttpStatus.METHOD_NOT_ALLOWED]: 'Not found.',
  [HttpStatus.PAYLOAD_TOO_LARGE]: 'The request body is too large.',
  [HttpStatus.URI_TOO_LONG]: 'The request URL is too long.',
  [HttpStatus.REQUEST_TIMEOUT]: 'The request took too long to arrive.',
  431: 'The request headers are too large.',
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: 'Unsupported content type; send application/json.',
  [HttpStatus.TOO_MANY_REQUESTS]: 'Too many requests. Try again later.',
};

/** Fastify's own errors (bad JSON, body too large, wrong content type) carry these fields. */
interface FrameworkError {
  statusCode?: number;
  code?: string;
  message?: string;
}

/**
 * Every error leaves in the contract's shape `{ statusCode, code, message }`. Client
 * mistakes keep their 4xx; an outage of the database becomes 503; anything unexpected
 * is logged (without request bodies) and answered with a bland 500.
 */
@Catch()
export class AllExceptionsFilter implements ExceptionFilter {
  private readonly logger = new Logger(AllExceptionsFilter.name);

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const body = errorResponseFor(exception);
    if (body.statusCode >= 500 && body.code !== ERROR_CODES.SERVICE_UNAVAILABLE) {
      // The request's id (and route), so the line joins the request's own line.
      const request = http.getRequest<FastifyRequest | undefined>();
      this.logger.error(
        request ? { req: requestLine(request) } : {},
        exception instanceof Error ? exception.stack : String(exception),
      );
    }
    if (exception instanceof ApiException && exception.retryAfterSeconds !== null) {
      void reply.header('retry-after', String(exception.retryAfterSeconds));
    }
    void reply.status(body.statusCode).send(body);
  }
}

/** The contract's answer to anything thrown, by Nest, Fastify, the database or our code. */
export function errorResponseFor(exception: unknown): ErrorResponse {
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    if (typeof response === 'object' && response !== null && 'code' in response) {
      return response as ErrorResponse;
    }
    // No code: raised by the framework (bad JSON, wrong route…), not by our code.
    return {
      statusCode: status,
      code:
        CODE_BY_STATUS[status] ??
        (status >= 500 ? ERROR_CODES.INTERNAL_ERROR : ERROR_CODES.VALIDATION_FAILED),
      message: genericMessage(status, exception.message),
    };
  }
  if (isDatabaseUnavailable(exception)) {
    return {
      statusCode: HttpStatus.SERVICE_UNAVAILABLE,
      code: ERROR_CODES.SERVICE_UNAVAILABLE,
      message: 'The service is temporarily unavailable. Try again shortly.',
    };
  }
  const framework = exception as FrameworkError;
  const status = framework?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return {
      statusCode: status,
      code: CODE_BY_STATUS[status] ?? ERROR_CODES.VALIDATION_FAILED,
      message: genericMessage(status, framework.message),
    };
  }
  return {
    statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
    code: ERROR_CODES.INTERNAL_ERROR,
    message: 'An unexpected error occurred.',
  };
}

/**
 * Framework messages can quote the request (`Unexpected token … in JSON at …`), so they
 * are never passed on: the status decides a fixed message.
 */
function genericMessage(status: number, original = ''): string {
  if (status === HttpStatus.BAD_REQUEST && /JSON/i.test(original))
    return 'The request body is not valid JSON.';
  return (
    GENERIC_MESSAGES[status] ??
    (status >= 500 ? 'An unexpected error occurred.' : 'The request is not valid.')
  );
}
