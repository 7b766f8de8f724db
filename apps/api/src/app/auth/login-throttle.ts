import { ThrottleStatus } from '@account-recovery/contracts';

/**
 * Per-account sign-in throttling after NIST SP 800-63B §5.2.2: after a few consecutive
 * failures each further attempt must wait longer (doubling, capped), and after 100
 * consecutive failures the account signs in only after a password reset. A reset is never
 * throttled by this: it is how a person gets back in.
 *
 * The rules live here; PostgreSQL applies them (`ADMIT_LOGIN_ATTEMPT_SQL`), so the check
 * and the count are one statement and parallel attempts cannot share one reading.
 */
export const FREE_FAILURES = 5;
export const MAX_CONSECUTIVE_FAILURES = 100;
const MAX_DELAY_SECONDS = 15 * 60;

/** Seconds an account must wait after its last failure before the next attempt counts. */
export function loginDelaySeconds(consecutiveFailures: number): number {
  if (consecutiveFailures < FREE_FAILURES) return 0;
  return Math.min(2 ** (consecutiveFailures - FREE_FAILURES), MAX_DELAY_SECONDS);
}

/** The wait for 0 … MAX_CONSECUTIVE_FAILURES − 1 failures: the statement's lookup table. */
export const LOGIN_DELAY_TABLE: readonly number[] = Array.from(
  { length: MAX_CONSECUTIVE_FAILURES },
  (_, failures) => loginDelaySeconds(failures),
);

/**
 * What a throttle holds against an account now, for the help desk (`UserResponse.lockout`):
 * the same counters and table the admitting statements read, so it says what the next
 * attempt will meet. Used for sign-in (`users.failed_login_count`) and for the second factor
 * (`mfa_factors.failed_attempts`, admitted by `mfa/second-factor.service.ts`), which share the
 * thresholds. `now` is the database's clock, the one those statements compare against.
 */
export function throttleStatus(
  failures: number,
  lastFailedAt: Date | null,
  now: Date,
): ThrottleStatus {
  if (failures >= MAX_CONSECUTIVE_FAILURES) return { state: 'locked', failures, until: null };
  const wait = LOGIN_DELAY_TABLE[failures] ?? 0;
  if (wait === 0 || lastFailedAt === null) return { state: 'ok', failures, until: null };
  const until = new Date(lastFailedAt.getTime() + wait * 1000);
  return until > now
    ? { state: 'throttled', failures, until: until.toISOString() }
    : { state: 'ok', failures, until: null };
}

/**
 * Admits one sign-in attempt for an address, or not, in one statement: the row is locked
 * while its counters are read and bumped, so of N parallel attempts exactly as many are
 * admitted as the throttle allows. An admitted attempt is counted as a failure up front (a
 * success clears it); a refused one changes nothing. No row: unknown address, no password
 * yet, locked or still waiting; the caller cannot tell which, and must not.
 *
 * $1 normalised address, $2 LOGIN_DELAY_TABLE. An index past the table (100 failures and
 * more) is NULL in SQL, which admits nothing. No wait means no clock comparison: an attempt
 * that queued behind a parallel one re-reads its row, and that row's `now()` can be a
 * moment later than its own.
 */
export const ADMIT_LOGIN_ATTEMPT_SQL = `
UPDATE users
   SET failed_login_count = failed_login_count + 1, last_failed_login_at = now()
 WHERE email = $1
   AND password_hash IS NOT NULL
   AND failed_login_count < ${MAX_CONSECUTIVE_FAILURES}
   AND (last_failed_login_at IS NULL
        OR ($2::int[])[failed_login_count + 1] = 0
        OR last_failed_login_at <= now() - make_interval(secs => ($2::int[])[failed_login_count + 1]))
RETURNING id, password_hash, password_changed_at, sessions_revoked_at, failed_login_count,
          EXISTS (SELECT 1 FROM mfa_factors f
                   WHERE f.user_id = users.id AND f.confirmed_at IS NOT NULL) AS has_factor`;

/** The parameters of ADMIT_LOGIN_ATTEMPT_SQL. */
export function admitLoginAttemptParams(normalisedEmail: string): [string, readonly number[]] {
  return [normalisedEmail, LOGIN_DELAY_TABLE];
}
