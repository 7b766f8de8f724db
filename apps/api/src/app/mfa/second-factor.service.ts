import { MfaStatus, SecondFactorMethod } from '@account-recovery/contracts';

import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { LOGIN_DELAY_TABLE, MAX_CONSECUTIVE_FAILURES } from '../auth/login-throttle';
import { queryRows } from '../database/query-rows';
import { EventOrigin } from '../events/event-context';
import { SecurityEvents } from '../events/security-events.service';
import { Metrics } from '../metrics/metrics.service';
import { MfaErrors } from './mfa-errors';
import { MfaKeys } from './mfa-keys';
import { normaliseRecoveryCode, normaliseTotpCode } from './one-time-codes';
import { totpStep } from './totp';

/** What a correct code proved; spent by `spend`, in the transaction of what it allows. */
export type SecondFactorProof =
  | { kind: 'totp'; factorId: string; step: number }
  | { kind: 'recovery_code'; codeId: string };

/** What a locked factor (MAX_CONSECUTIVE_FAILURES) answers as Retry-After: ask the help desk. */
const LOCKED_RETRY_SECONDS = 900;

interface AdmittedFactor {
  id: string;
  secret_ciphertext: string;
  last_used_step: string;
}

/**
 * Admits one code check for a user's authenticator, or not, in one statement, as the
 * sign-in throttle does (auth/login-throttle.ts): the failure is counted up front and taken
 * back by a success, so parallel guesses get no more checks than sequential ones, on every
 * channel together (sign-in, reset, managing the factor). After five failures each check
 * waits longer (up to 15 minutes); after MAX_CONSECUTIVE_FAILURES (NIST SP 800-63B's 100)
 * none is admitted until the help desk resets the factor. A check not admitted answers 429
 * and is not counted against the challenge or link it came with. $1 user, $2 the delay table, $3 confirmed (true) or pending (false) factor.
 */
const ADMIT_CHECK_SQL = `
UPDATE mfa_factors
   SET failed_attempts = failed_attempts + 1, last_failed_at = now()
 WHERE id = (SELECT f.id FROM mfa_factors f
              WHERE f.user_id = $1 AND (f.confirmed_at IS NOT NULL) = $3
              ORDER BY f.created_at DESC LIMIT 1)
   AND failed_attempts < ${MAX_CONSECUTIVE_FAILURES}
   AND (last_failed_at IS NULL
        OR ($2::int[])[failed_attempts + 1] = 0
        OR last_failed_at <= now() - make_interval(secs => ($2::int[])[failed_attempts + 1]))
RETURNING id, secret_ciphertext, last_used_step::text`;

/**
 * The second factor of an account: an authenticator (TOTP) and its recovery codes. Checks
 * a code without spending it (`check`), so a reset can verify the factor before it hashes
 * the new password and spend it only in the transaction that changes the password.
 */
@Injectable()
export class SecondFactors {
  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: MfaKeys,
    private readonly metrics: Metrics,
    private readonly events: SecurityEvents,
  ) {}

  async status(userId: string): Promise<MfaStatus> {
    const [row] = await queryRows<{ totp: boolean; left: number }>(
      this.dataSource,
      `SELECT EXISTS (SELECT 1 FROM mfa_factors
                       WHERE user_id = $1 AND confirmed_at IS NOT NULL) AS totp,
              (SELECT count(*)::int FROM recovery_codes
                WHERE user_id = $1 AND used_at IS NULL) AS left`,
      [userId],
    );
    return { totp: row?.totp ?? false, recoveryCodesLeft: row?.totp ? (row?.left ?? 0) : 0 };
  }

  /**
   * Whether `code` is a current authenticator code not used before, or an unused recovery
   * code, of the user's confirmed factor (`pending`: of the factor being enrolled, codes
   * from the authenticator only). Null for a wrong, reused or malformed code, or when there
   * is no such factor. Throws 429 RATE_LIMITED when the factor's throttle admits no check
   * now: the caller must not count that against the person. Spends nothing. A wrong code
   * that was compared is `mfa.failed` for `origin` (its count committed with the admission).
   */
  async check(
    userId: string,
    code: string,
    pending = false,
    origin?: EventOrigin,
  ): Promise<SecondFactorProof | null> {
    const [factor] = await queryRows<AdmittedFactor>(this.dataSource, ADMIT_CHECK_SQL, [
      userId,
      LOGIN_DELAY_TABLE,
      !pending,
    ]);
    if (!factor) {
      const wait = await this.throttledFor(userId, pending);
      this.metrics.secondFactorChecks.inc({ outcome: wait === null ? 'rejected' : 'throttled' });
      if (wait !== null) throw MfaErrors.throttled(wait);
      return null;
    }
    const proof = await this.match(userId, factor, code, pending);
    this.metrics.secondFactorChecks.inc({ outcome: proof ? 'accepted' : 'rejected' });
    if (!proof && origin) {
      await this.events.record({ type: 'mfa.failed', userId, ...origin, details: { pending } });
    }
    if (proof) {
      await queryRows(
        this.dataSource,
        `UPDATE mfa_factors SET failed_attempts = 0, last_failed_at = NULL WHERE id = $1`,
        [factor.id],
      );
    }
    return proof;
  }

  /** Seconds until the factor admits a check again; null when there is no such factor. */
  private async throttledFor(userId: string, pending: boolean): Promise<number | null> {
    const [row] = await queryRows<{ wait: number }>(
      this.dataSource,
      `SELECT CASE WHEN failed_attempts >= ${MAX_CONSECUTIVE_FAILURES} THEN ${LOCKED_RETRY_SECONDS}
                   ELSE GREATEST(1, ceil(extract(epoch FROM last_failed_at
                          + make_interval(secs => ($2::int[])[failed_attempts + 1]) - now())))
              END::int AS wait
         FROM mfa_factors
        WHERE user_id = $1 AND (confirmed_at IS NOT NULL) = $3
        ORDER BY created_at DESC LIMIT 1`,
      [userId, LOGIN_DELAY_TABLE, !pending],
    );
    return row ? row.wait : null;
  }

  /** Whether the user, whose row the caller has locked, has a confirmed authenticator. */
  async confirmedUnderLock(manager: EntityManager, userId: string): Promise<boolean> {
    const rows = await queryRows(
      manager,
      `SELECT 1 FROM mfa_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL`,
      [userId],
    );
    return rows.length > 0;
  }

  /**
   * Spends a proof in the caller's transaction; false when a parallel request spent the same
   * code (or a later one of the authenticator) first. A recovery code spent is
   * `mfa.recovery_code_used` for `origin`, in that transaction.
   */
  async spend(
    manager: EntityManager,
    proof: SecondFactorProof,
    origin?: EventOrigin,
  ): Promise<boolean> {
    const rows =
      proof.kind === 'totp'
        ? await queryRows(
            manager,
            `UPDATE mfa_factors SET last_used_step = $2
              WHERE id = $1 AND last_used_step < $2 RETURNING 1`,
            [proof.factorId, proof.step],
          )
        : await queryRows(
            manager,
            `UPDATE recovery_codes SET used_at = now()
              WHERE id = $1 AND used_at IS NULL RETURNING user_id`,
            [proof.codeId],
          );
    const [spent] = rows as { user_id?: string }[];
    if (spent?.user_id && origin) {
      const left = await queryRows<{ left: number }>(
        manager,
        `SELECT count(*)::int AS left FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL`,
        [spent.user_id],
      );
      await this.events.record(
        {
          type: 'mfa.recovery_code_used',
          userId: spent.user_id,
          ...origin,
          details: { remaining: left[0]?.left ?? 0 },
        },
        manager,
      );
    }
    return rows.length === 1;
  }

  private async match(
    userId: string,
    factor: AdmittedFactor,
    code: string,
    pending: boolean,
  ): Promise<SecondFactorProof | null> {
    const totpCode = normaliseTotpCode(code);
    if (totpCode !== null) {
      const secret = this.keys.decryptSecret(factor.secret_ciphertext, factor.id, userId);
      const step = totpStep(secret, totpCode);
      return step !== null && step > Number(factor.last_used_step)
        ? { kind: 'totp', factorId: factor.id, step }
        : null;
    }
    const recoveryCode = pending ? null : normaliseRecoveryCode(code);
    if (recoveryCode === null) return null;
    const [row] = await queryRows<{ id: string }>(
      this.dataSource,
      `SELECT id FROM recovery_codes WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL`,
      [userId, this.keys.hashRecoveryCode(recoveryCode)],
    );
    return row ? { kind: 'recovery_code', codeId: row.id } : null;
  }
}

export function methodsOf(status: MfaStatus): SecondFactorMethod[] {
  return status.recoveryCodesLeft > 0 ? ['totp', 'recovery_code'] : ['totp'];
}
