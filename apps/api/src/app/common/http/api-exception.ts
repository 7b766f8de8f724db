import { ERROR_CODES, ErrorCode, ErrorResponse, PasswordRule } from '@account-recovery/contracts';

import { HttpException, HttpStatus } from '@nestjs/common';

/**
 * A domain error with a contract code. Services throw these; the exception filter turns
 * them and everything else into the one error shape of the contract.
 */
export class ApiException extends HttpException {
  /** Sent as the Retry-After header by AllExceptionsFilter when set. */
  retryAfterSeconds: number | null = null;

  constructor(
    status: HttpStatus,
    readonly code: ErrorCode,
    message: string,
    readonly extra: Pick<ErrorResponse, 'errors' | 'rules'> = {},
  ) {
    super({ statusCode: status, code, message, ...extra } satisfies ErrorResponse, status);
  }

  static validation(errors: Record<string, string[]>): ApiException {
    return new ApiException(
      HttpStatus.BAD_REQUEST,
      ERROR_CODES.VALIDATION_FAILED,
      'The request is not valid.',
      {
        errors,
      },
    );
  }

  static tokenInvalid(): ApiException {
    return new ApiException(
      HttpStatus.BAD_REQUEST,
      ERROR_CODES.TOKEN_INVALID,
      'This link is not valid.',
    );
  }

  static tokenExpired(): ApiException {
    return new ApiException(
      HttpStatus.BAD_REQUEST,
      ERROR_CODES.TOKEN_EXPIRED,
      'This link has expired.',
    );
  }

  static tokenUsed(): ApiException {
    return new ApiException(
      HttpStatus.BAD_REQUEST,
      ERROR_CODES.TOKEN_USED,
      'This link has already been used.',
    );
  }

  static passwordPolicy(rules: PasswordRule[]): ApiException {
    return new ApiException(
      HttpStatus.BAD_REQUEST,
      ERROR_CODES.PASSWORD_POLICY,
      'The new password does not meet the password policy.',
      { rules },
    );
  }

  static invalidCredentials(): ApiException {
    return new ApiException(
      HttpStatus.UNAUTHORIZED,
      ERROR_CODES.INVALID_CREDENTIALS,
      'Email or password is incorrect.',
    );
  }

  static unauthorized(message = 'Authentication required.'): ApiException {
    return new ApiException(HttpStatus.UNAUTHORIZED, ERROR_CODES.UNAUTHORIZED, message);
  }

  static notFound(message = 'Not found.'): ApiException {
    return new ApiException(HttpStatus.NOT_FOUND, ERROR_CODES.NOT_FOUND, message);
  }

  /** Out of capacity for this work right now (e.g. password hashing); retry shortly. */
  static serviceBusy(retryAfterSeconds: number): ApiException {
    const busy = new ApiException(
      HttpStatus.SERVICE_UNAVAILABLE,
      ERROR_CODES.SERVICE_UNAVAILABLE,
      'The service is busy. Try again shortly.',
    );
    busy.retryAfterSeconds = retryAfterSeconds;
    return busy;
  }

  static emailTaken(): ApiException {
    return new ApiException(
      HttpStatus.CONFLICT,
      ERROR_CODES.EMAIL_TAKEN,
      'A user with this email already exists.',
    );
  }
}
