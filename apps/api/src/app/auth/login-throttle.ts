/**
 * Per-account sign-in throttling after NIST SP 800-63B §5.2.2: after a few consecutive
 * failures each further attempt must wait longer (doubling, capped), and after 100
 * consecutive failures the account signs in only after a password reset. A reset is never
 * throttled by this: it is how a person gets back in.
 */
export const FREE_FAILURES = 5;
export const MAX_CONSECUTIVE_FAILURES = 100;
const MAX_DELAY_SECONDS = 15 * 60;

/** Seconds an account must wait after its last failure before the next attempt counts. */
export function loginDelaySeconds(consecutiveFailures: number): number {
  if (consecutiveFailures < FREE_FAILURES) return 0;
  return Math.min(2 ** (consecutiveFailures - FREE_FAILURES), MAX_DELAY_SECONDS);
}

export function isLoginBlocked(
  consecutiveFailures: number,
  lastFailureAt: Date | null,
  now: Date,
): boolean {
  if (consecutiveFailures >= MAX_CONSECUTIVE_FAILURES) return true;
  if (!lastFailureAt) return false;
  return now.getTime() - lastFailureAt.getTime() < loginDelaySeconds(consecutiveFailures) * 1000;
}
