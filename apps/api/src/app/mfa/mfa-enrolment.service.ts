import { randomUUID } from 'node:crypto';

import { TotpEnrolmentResponse } from '@account-recovery/contracts';

import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource, EntityManager } from 'typeorm';

import { ApiException } from '../common/http/api-exception';
import { AppConfig } from '../config/app-config';
import { queryRows } from '../database/query-rows';
import { originOf } from '../events/event-context';
import { SecurityEventType } from '../events/security-event-types';
import { SecurityEvents } from '../events/security-events.service';
import { MfaChange, RequestMeta } from '../queue/account-email.job';
import { JobQueue } from '../queue/job-queue.service';
import { ActingCaller, lockActionTarget } from '../users/staff-protection';
import { WebhookPublisher } from '../webhooks/webhook-publisher.service';
import { MfaErrors } from './mfa-errors';
import { MfaKeys } from './mfa-keys';
import { generateRecoveryCode, RECOVERY_CODE_COUNT } from './one-time-codes';
import { SecondFactorProof, SecondFactors } from './second-factor.service';
import { generateTotpSecret, totpUri } from './totp';

/** The security event of each change of a second factor. */
const MFA_EVENT_OF: Record<MfaChange, SecurityEventType> = {
  enabled: 'mfa.enabled',
  disabled: 'mfa.disabled',
  reset: 'mfa.reset',
  'recovery-codes': 'mfa.recovery_codes_regenerated',
};

/** A pending authenticator not confirmed within this long is replaced by the next start. */
const PENDING_MINUTES = 15;

/**
 * Adding, confirming, regenerating and removing a person's second factor, and the help
 * desk's reset of it. Each change commits with its notice email and webhook (one
 * transaction, the user's row locked first, as everywhere: docs/architecture.md §9).
 */
@Injectable()
export class MfaEnrolment {
  private readonly issuer: string;

  constructor(
    private readonly dataSource: DataSource,
    private readonly keys: MfaKeys,
    private readonly factors: SecondFactors,
    private readonly queue: JobQueue,
    private readonly webhooks: WebhookPublisher,
    private readonly events: SecurityEvents,
    @Inject(ConfigService) config: ConfigService<AppConfig, true>,
  ) {
    this.issuer = config.get('mail.productName', { infer: true });
  }

  /** A new pending authenticator; any earlier pending one is dropped. */
  async start(userId: string, email: string): Promise<TotpEnrolmentResponse> {
    const secret = generateTotpSecret();
    const factorId = randomUUID();
    await this.dataSource.transaction(async (manager) => {
      await this.lockUser(manager, userId);
      const [confirmed] = await queryRows(
        manager,
        `SELECT 1 FROM mfa_factors WHERE user_id = $1 AND confirmed_at IS NOT NULL`,
        [userId],
      );
      if (confirmed) throw MfaErrors.alreadyEnrolled();
      await manager.query(`DELETE FROM mfa_factors WHERE user_id = $1 AND confirmed_at IS NULL`, [
        userId,
      ]);
      await manager.query(
        `INSERT INTO mfa_factors (id, user_id, secret_ciphertext) VALUES ($1, $2, $3)`,
        [factorId, userId, this.keys.encryptSecret(secret, factorId, userId)],
      );
    });
    return { secret, otpauthUri: totpUri(secret, this.issuer, email) };
  }

  /** Activates the pending authenticator with a code from it; returns the recovery codes. */
  async confirm(userId: string, code: string, meta: RequestMeta): Promise<string[]> {
    const proof = await this.factors.check(userId, code, true, originOf(meta));
    if (!proof) {
      if (!(await this.hasPending(userId))) throw MfaErrors.notEnrolled();
      throw MfaErrors.codeInvalid();
    }
    return this.dataSource.transaction(async (manager) => {
      const email = await this.lockUser(manager, userId);
      if (proof.kind !== 'totp') throw MfaErrors.codeInvalid();
      const [activated] = await queryRows(
        manager,
        `UPDATE mfa_factors SET confirmed_at = now(), last_used_step = $2
          WHERE id = $1 AND confirmed_at IS NULL
            AND created_at > now() - make_interval(mins => $3)
            AND NOT EXISTS (SELECT 1 FROM mfa_factors
                             WHERE user_id = $4 AND confirmed_at IS NOT NULL)
          RETURNING 1`,
        [proof.factorId, proof.step, PENDING_MINUTES, userId],
      );
      if (!activated) throw MfaErrors.notEnrolled();
      const codes = await this.replaceRecoveryCodes(manager, userId);
      await this.announce(manager, userId, email, 'enabled', meta);
      return codes;
    });
  }

  /** A new set of recovery codes for a current code; the old set stops working. */
  async regenerate(userId: string, code: string, meta: RequestMeta): Promise<string[]> {
    const proof = await this.proofOrThrow(userId, code, meta);
    return this.dataSource.transaction(async (manager) => {
      const email = await this.lockUser(manager, userId);
      if (!(await this.factors.spend(manager, proof, originOf(meta))))
        throw MfaErrors.codeInvalid();
      const codes = await this.replaceRecoveryCodes(manager, userId);
      await this.announce(manager, userId, email, 'recovery-codes', meta);
      return codes;
    });
  }

  /** The person removes their own factor, with a current code. */
  async remove(userId: string, code: string, meta: RequestMeta): Promise<void> {
    const proof = await this.proofOrThrow(userId, code, meta);
    await this.dataSource.transaction(async (manager) => {
      const email = await this.lockUser(manager, userId);
      if (!(await this.factors.spend(manager, proof, originOf(meta))))
        throw MfaErrors.codeInvalid();
      await this.deleteFactor(manager, userId);
      await this.announce(manager, userId, email, 'disabled', meta);
    });
  }

  /** The help desk removes a lost factor (`DELETE /v1/users/{id}/mfa`); 404 without the user. */
  async resetByStaff(userId: string, meta: RequestMeta, caller: ActingCaller): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      const user = await lockActionTarget(manager, userId, caller);
      if (!user) throw ApiException.notFound('users.not-found');
      await this.deleteFactor(manager, userId);
      await this.announce(manager, userId, user.email, 'reset', meta);
    });
  }

  private async proofOrThrow(
    userId: string,
    code: string,
    meta: RequestMeta,
  ): Promise<SecondFactorProof> {
    const proof = await this.factors.check(userId, code, false, originOf(meta));
    if (proof) return proof;
    if (!(await this.factors.status(userId)).totp) throw MfaErrors.notEnrolled();
    throw MfaErrors.codeInvalid();
  }

  private async hasPending(userId: string): Promise<boolean> {
    const rows = await queryRows(
      this.dataSource,
      `SELECT 1 FROM mfa_factors WHERE user_id = $1 AND confirmed_at IS NULL`,
      [userId],
    );
    return rows.length > 0;
  }

  /** The user's row, locked; the session's user may have been deleted meanwhile. */
  private async lockUser(manager: EntityManager, userId: string): Promise<string> {
    const [user] = await queryRows<{ email: string }>(
      manager,
      `SELECT email FROM users WHERE id = $1 FOR UPDATE`,
      [userId],
    );
    if (!user) throw ApiException.unauthorized();
    return user.email;
  }

  /**
   * The factor, its codes and half-done sign-ins go; so do open reset links: a link the
   * factor held back must not become enough on its own (the help desk sends a fresh one).
   */
  private async deleteFactor(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(
      `UPDATE password_reset_tokens SET revoked_at = now()
        WHERE user_id = $1 AND purpose = 'reset' AND used_at IS NULL AND revoked_at IS NULL`,
      [userId],
    );
    await manager.query(`DELETE FROM mfa_factors WHERE user_id = $1`, [userId]);
    await manager.query(`DELETE FROM recovery_codes WHERE user_id = $1`, [userId]);
    await manager.query(
      `UPDATE mfa_challenges SET used_at = now() WHERE user_id = $1 AND used_at IS NULL`,
      [userId],
    );
  }

  private async replaceRecoveryCodes(manager: EntityManager, userId: string): Promise<string[]> {
    const codes = Array.from({ length: RECOVERY_CODE_COUNT }, generateRecoveryCode);
    // Hashed in the form a typed code is normalised to: the code without its dash.
    const hashes = codes.map((code) => this.keys.hashRecoveryCode(code.replace('-', '')));
    await manager.query(`DELETE FROM recovery_codes WHERE user_id = $1`, [userId]);
    await manager.query(
      `INSERT INTO recovery_codes (user_id, code_hash) SELECT $1, unnest($2::text[])`,
      [userId, hashes],
    );
    return codes;
  }

  /** The notice email, the security event and, for the changes other services track, the webhook. */
  private async announce(
    manager: EntityManager,
    userId: string,
    email: string,
    change: MfaChange,
    meta: RequestMeta,
  ): Promise<void> {
    await this.queue.enqueue({ kind: 'mfa-changed', userId, change, ...meta }, manager);
    await this.events.record({ type: MFA_EVENT_OF[change], userId, ...originOf(meta) }, manager);
    const event =
      change === 'enabled'
        ? 'user.mfa_enabled'
        : change === 'disabled'
          ? 'user.mfa_disabled'
          : change === 'reset'
            ? 'user.mfa_reset'
            : 'user.mfa_recovery_codes_regenerated';
    await this.webhooks.publish(event, userId, { email }, manager);
  }
}
