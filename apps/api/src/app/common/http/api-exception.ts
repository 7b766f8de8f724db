import {
  ERROR_CODES,
  ErrorCode,
  ErrorResponse,
  Locale,
  PasswordRule,
} from '@account-recovery/contracts';

import { HttpException, HttpStatus } from '@nestjs/common';

import { ApiMessage, ApiMessageKey, apiMessages, ApiMessages } from '../../i18n/api-messages';
import { REFERENCE_LOCALE } from '../../i18n/message-catalogs';

/** `{ field: [messages] }` of a VALIDATION_FAILED answer, each message still a key. */
export type FieldErrors = Record<string, ApiMessage[]>;

/** What an answer carries besides its message: field errors, broken rules, health checks. */
export interface ApiExceptionExtra {
  errors?: FieldErrors;
  rules?: PasswordRule[];
  /** Readiness: each check's status (health.controller.ts). */
  checks?: Record<string, string>;
}

/**
 * An error answer before it is worded: status, code, the message as a key, and the rest.
 * The exception filter words it in the request's language (`inLocale`).
 */
export interface KeyedError extends Omit<ApiExceptionExtra, 'errors'> {
  statusCode: number;
  code: ErrorCode;
  message: ApiMessage;
  errors?: FieldErrors;
}

/** The contract's answer, worded in `locale`. `code`, rules and checks never change. */
export function inLocale(
  error: KeyedError,
  locale: Locale,
  messages: ApiMessages = apiMessages(),
): ErrorResponse {
  const { message, errors, ...rest } = error;
  const body: ErrorResponse = { ...rest, message: messages.render(locale, message) };
  if (errors) {
    body.errors = Object.fromEntries(
      Object.entries(errors).map(([field, list]) => [
        field,
        list.map((entry) => messages.render(locale, entry)),
      ]),
    );
  }
  return body;
}

/** A key alone, or a key with values. */
function messageOf(message: ApiMessageKey | ApiMessage): ApiMessage {
  return typeof message === 'string' ? { key: message } : message;
}

/**
 * A domain error with a contract code. Services throw these; the exception filter turns
 * them and everything else into the one error shape of the contract. The message is a key of
 * the API's catalogs; `getResponse()` is the answer in English, the reference catalog.
 */
export class ApiException extends HttpException {
  /** Sent as the Retry-After header by AllExceptionsFilter when set. */
  retryAfterSeconds: number | null = null;
  readonly keyed: KeyedError;

  constructor(
    status: HttpStatus,
    readonly code: ErrorCode,
    message: ApiMessageKey | ApiMessage,
    extra: ApiExceptionExtra = {},
  ) {
    const keyed: KeyedError = { statusCode: status, code, message: messageOf(message), ...extra };
    super(inLocale(keyed, REFERENCE_LOCALE), status);
    this.keyed = keyed;
  }

  static validation(errors: FieldErrors): ApiException {
    return new ApiException(
      HttpStatus.BAD_REQUEST,
      ERROR_CODES.VALIDATION_FAILED,
      'request.invalid',
      {
        errors,
      },
    );
  }

  static tokenInvalid(): ApiException {
    return new ApiException(HttpStatus.BAD_REQUEST, ERROR_CODES.TOKEN_INVALID, 'link.invalid');
  }

  static tokenExpired(): ApiException {
    return new ApiException(HttpStatus.BAD_REQUEST, ERROR_CODES.TOKEN_EXPIRED, 'link.expired');
  }

  static tokenUsed(): ApiException {
    return new ApiException(HttpStatus.BAD_REQUEST, ERROR_CODES.TOKEN_USED, 'link.used');
  }

  static passwordPolicy(rules: PasswordRule[]): ApiException {
    return new ApiException(
      HttpStatus.BAD_REQUEST,
      ERROR_CODES.PASSWORD_POLICY,
      'password.policy',
      { rules },
    );
  }

  static invalidCredentials(): ApiException {
    return new ApiException(
      HttpStatus.UNAUTHORIZED,
      ERROR_CODES.INVALID_CREDENTIALS,
      'auth.invalid-credentials',
    );
  }

  static unauthorized(message: ApiMessageKey = 'auth.required'): ApiException {
    return new ApiException(HttpStatus.UNAUTHORIZED, ERROR_CODES.UNAUTHORIZED, message);
  }

  static notFound(message: ApiMessageKey = 'request.not-found'): ApiException {
    return new ApiException(HttpStatus.NOT_FOUND, ERROR_CODES.NOT_FOUND, message);
  }

  /** Out of capacity for this work right now (e.g. password hashing); retry shortly. */
  static serviceBusy(retryAfterSeconds: number): ApiException {
    const busy = new ApiException(
      HttpStatus.SERVICE_UNAVAILABLE,
      ERROR_CODES.SERVICE_UNAVAILABLE,
      'service.busy',
    );
    busy.retryAfterSeconds = retryAfterSeconds;
    return busy;
  }

  static emailTaken(): ApiException {
    return new ApiException(HttpStatus.CONFLICT, ERROR_CODES.EMAIL_TAKEN, 'users.email-taken');
  }
}
