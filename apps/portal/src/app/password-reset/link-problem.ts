import { ERROR_CODES, type TokenErrorCode } from '@account-recovery/contracts';

import type { ApiFailure } from '../shared/api-failure';

/**
 * Why a reset link no longer leads anywhere: the API's token codes, and `closed`, a link that
 * turned invalid after wrong second-factor codes were tried with it (the API closes it after
 * five and emails the person).
 */
export type LinkProblem = TokenErrorCode | 'closed';

const TOKEN_ERRORS: readonly string[] = [
  ERROR_CODES.TOKEN_INVALID,
  ERROR_CODES.TOKEN_EXPIRED,
  ERROR_CODES.TOKEN_USED,
];

/** Token codes, and a request the API refused because of the token's shape, mean a bad link. */
export function linkProblemOf(failure: ApiFailure): TokenErrorCode | null {
  if (failure.code !== null && TOKEN_ERRORS.includes(failure.code)) {
    return failure.code as TokenErrorCode;
  }
  return failure.code === ERROR_CODES.VALIDATION_FAILED && failure.fields.includes('token')
    ? ERROR_CODES.TOKEN_INVALID
    : null;
}
