import { ERROR_CODES } from '@account-recovery/contracts';

import { HttpStatus } from '@nestjs/common';

import { ApiException } from '../common/http/api-exception';

/** The contract errors of the second factor and of code recovery (docs/architecture.md §9). */
export const MfaErrors = {
  secondFactorRequired: (): ApiException =>
    new ApiException(
      HttpStatus.BAD_REQUEST,
      ERROR_CODES.SECOND_FACTOR_REQUIRED,
      'This account has a second factor: enter a code from your authenticator app or a recovery code.',
    ),
  codeInvalid: (): ApiException =>
    new ApiException(
      HttpStatus.BAD_REQUEST,
      ERROR_CODES.MFA_CODE_INVALID,
      'The code is not valid. Enter the current code from your authenticator app or an unused recovery code.',
    ),
  /** One answer for a wrong code, an unknown address and a dead request. */
  resetCodeInvalid: (): ApiException =>
    new ApiException(
      HttpStatus.BAD_REQUEST,
      ERROR_CODES.CODE_INVALID,
      'The code is not valid or has expired. Ask for a new email if you need one.',
    ),
  challengeInvalid: (): ApiException =>
    new ApiException(
      HttpStatus.UNAUTHORIZED,
      ERROR_CODES.CHALLENGE_INVALID,
      'This sign-in has expired or had too many wrong codes. Sign in again.',
    ),
  reauthRequired: (): ApiException =>
    new ApiException(
      HttpStatus.UNAUTHORIZED,
      ERROR_CODES.REAUTH_REQUIRED,
      'Sign in again to change your second factor.',
    ),
  alreadyEnrolled: (): ApiException =>
    new ApiException(
      HttpStatus.CONFLICT,
      ERROR_CODES.MFA_ALREADY_ENROLLED,
      'This account already has an authenticator. Remove it first to add another.',
    ),
  /** The factor's throttle (SecondFactors.check) admits no check for this long. */
  throttled: (retryAfterSeconds: number): ApiException => {
    const busy = new ApiException(
      HttpStatus.TOO_MANY_REQUESTS,
      ERROR_CODES.RATE_LIMITED,
      'Too many wrong codes for this account. Wait before trying again, or contact your help desk.',
    );
    busy.retryAfterSeconds = retryAfterSeconds;
    return busy;
  },
  notEnrolled: (): ApiException =>
    new ApiException(
      HttpStatus.CONFLICT,
      ERROR_CODES.MFA_NOT_ENROLLED,
      'This account has no authenticator to confirm or change.',
    ),
};

/** The answer of a check the factor's throttle did not admit. */
export function isThrottled(error: unknown): boolean {
  return error instanceof ApiException && error.getStatus() === HttpStatus.TOO_MANY_REQUESTS;
}
