import { ERROR_CODES } from '@account-recovery/contracts';

import { HttpStatus } from '@nestjs/common';

import { ApiException } from '../common/http/api-exception';

/** The contract errors of the second factor and of code recovery (docs/architecture.md §9). */
export const MfaErrors = {
  secondFactorRequired: (): ApiException =>
    new ApiException(
      HttpStatus.BAD_REQUEST,
      ERROR_CODES.SECOND_FACTOR_REQUIRED,
      'mfa.second-factor-required',
    ),
  codeInvalid: (): ApiException =>
    new ApiException(HttpStatus.BAD_REQUEST, ERROR_CODES.MFA_CODE_INVALID, 'mfa.code-invalid'),
  /** One answer for a wrong code, an unknown address and a dead request. */
  resetCodeInvalid: (): ApiException =>
    new ApiException(HttpStatus.BAD_REQUEST, ERROR_CODES.CODE_INVALID, 'mfa.reset-code-invalid'),
  challengeInvalid: (): ApiException =>
    new ApiException(
      HttpStatus.UNAUTHORIZED,
      ERROR_CODES.CHALLENGE_INVALID,
      'mfa.challenge-invalid',
    ),
  reauthRequired: (): ApiException =>
    new ApiException(HttpStatus.UNAUTHORIZED, ERROR_CODES.REAUTH_REQUIRED, 'mfa.reauth-required'),
  alreadyEnrolled: (): ApiException =>
    new ApiException(HttpStatus.CONFLICT, ERROR_CODES.MFA_ALREADY_ENROLLED, 'mfa.already-enrolled'),
  /** The factor's throttle (SecondFactors.check) admits no check for this long. */
  throttled: (retryAfterSeconds: number): ApiException => {
    const busy = new ApiException(
      HttpStatus.TOO_MANY_REQUESTS,
      ERROR_CODES.RATE_LIMITED,
      'mfa.throttled',
    );
    busy.retryAfterSeconds = retryAfterSeconds;
    return busy;
  },
  notEnrolled: (): ApiException =>
    new ApiException(HttpStatus.CONFLICT, ERROR_CODES.MFA_NOT_ENROLLED, 'mfa.not-enrolled'),
};

/** The answer of a check the factor's throttle did not admit. */
export function isThrottled(error: unknown): boolean {
  return error instanceof ApiException && error.getStatus() === HttpStatus.TOO_MANY_REQUESTS;
}
