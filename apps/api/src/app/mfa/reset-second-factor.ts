import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { queryRows } from '../database/query-rows';
import { originOf } from '../events/event-context';
import { Metrics } from '../metrics/metrics.service';
import { RequestMeta } from '../queue/account-email.job';
import { JobQueue } from '../queue/job-queue.service';
import { isThrottled, MfaErrors } from './mfa-errors';
import { MAX_CODE_ATTEMPTS } from './one-time-codes';
import { SecondFactorProof, SecondFactors } from './second-factor.service';

/** The link a reset presents, as PasswordResetService read it. */
export interface PresentedLink {
  id: string;
  userId: string;
}

/**
 * The second factor of a reset (docs/architecture.md §9): whoever holds the link must also
 * show a code. Each code shown with a link is counted on the link before it is checked,
 * in the statement that admits it, so parallel guesses get five checks at most; the fifth
 * wrong one revokes the link and emails the person, in one transaction. A correct code is
 * not counted, and not spent here: the reset spends it with the password change.
 */
@Injectable()
export class ResetSecondFactor {
  constructor(
    private readonly dataSource: DataSource,
    private readonly factors: SecondFactors,
    private readonly queue: JobQueue,
    private readonly metrics: Metrics,
  ) {}

  /**
   * The proof for this link's reset. Throws SECOND_FACTOR_REQUIRED without a code,
   * MFA_CODE_INVALID for a wrong one, and `linkDead()` when the link can take no more codes.
   */
  async prove(
    link: PresentedLink,
    code: string | undefined,
    meta: RequestMeta,
    linkDead: () => Promise<never>,
  ): Promise<SecondFactorProof> {
    if (code === undefined) throw MfaErrors.secondFactorRequired();
    const [admitted] = await queryRows<{ mfa_attempts: number }>(
      this.dataSource,
      `UPDATE password_reset_tokens SET mfa_attempts = mfa_attempts + 1
        WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
          AND mfa_attempts < $2
        RETURNING mfa_attempts`,
      [link.id, MAX_CODE_ATTEMPTS],
    );
    if (!admitted) return linkDead();
    const takeBack = () =>
      queryRows(
        this.dataSource,
        `UPDATE password_reset_tokens SET mfa_attempts = mfa_attempts - 1
          WHERE id = $1 AND mfa_attempts > 0`,
        [link.id],
      );
    const proof = await this.factors
      .check(link.userId, code, false, originOf(meta))
      .catch(async (error) => {
        // Not checked (the factor's throttle): not one of the link's five.
        if (isThrottled(error)) await takeBack();
        throw error;
      });
    if (proof) {
      await takeBack();
      return proof;
    }
    if (admitted.mfa_attempts >= MAX_CODE_ATTEMPTS) await this.revoke(link, meta);
    throw MfaErrors.codeInvalid();
  }

  /** Five wrong codes: the link is revoked and the person told, or neither. */
  private async revoke(link: PresentedLink, meta: RequestMeta): Promise<void> {
    const revoked = await this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, [link.userId]);
      const rows = await queryRows<{ purpose: 'reset' | 'invite' }>(
        manager,
        `UPDATE password_reset_tokens SET revoked_at = now()
          WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL RETURNING purpose`,
        [link.id],
      );
      const [row] = rows;
      if (!row) return null;
      await this.queue.enqueue({ kind: 'reset-locked', userId: link.userId, ...meta }, manager);
      return row.purpose;
    });
    if (revoked) this.metrics.tokens.inc({ event: 'revoked', purpose: revoked });
  }
}
