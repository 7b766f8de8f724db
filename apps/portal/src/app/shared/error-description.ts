import type { ErrorCode } from '@account-recovery/contracts';

import type { ApiFailure } from './api-failure';
import { somethingWentWrongMessage, tooManyAttemptsMessage } from './messages';

/** A page's own words for the codes it knows; functions, so $localize runs at use. */
export type FailureMessages = Partial<Record<ErrorCode, () => string>>;

/**
 * The words for a failed call: the page's own for the codes it names, "too many attempts"
 * for a 429 (with the wait, when the answer gave one), and "something went wrong" otherwise.
 */
export function describeFailure(failure: ApiFailure, messages: FailureMessages = {}): string {
  const own = failure.code === null ? undefined : messages[failure.code];
  if (own !== undefined) return own();
  if (failure.status === 429) return tooManyAttemptsMessage(failure.retryAfterSeconds);
  return somethingWentWrongMessage();
}

/** True when the request got no answer or the server failed: nothing about the input. */
export function isOutage(failure: ApiFailure): boolean {
  return failure.status === 0 || failure.status >= 500;
}
