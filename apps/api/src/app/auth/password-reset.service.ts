import { FORGOT_PASSWORD_MESSAGE, RESET_PASSWORD_MESSAGE } from '@account-recovery/contracts';

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { ApiException } from '../common/http/api-exception';
import { queryRows } from '../database/query-rows';
import { Metrics } from '../metrics/metrics.service';
import { RequestMeta } from '../queue/account-email.job';
import { JobQueue } from '../queue/job-queue.service';
import { WebhookPublisher } from '../webhooks/webhook-publisher.service';
import { PasswordHasher } from './password-hasher.service';
import { PasswordPolicy } from './password-policy.service';
import { TokenPurpose } from './password-reset-token.entity';
import { hashToken, isWellFormedToken } from './reset-token.crypto';

interface TokenState {
  user_id: string;
  email: string;
  expires_at: Date;
  used: boolean;
  revoked: boolean;
  expired: boolean;
}

/** The three public steps of a reset: ask for a link, check it, use it. */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly metrics: Metrics,
    private readonly webhooks: WebhookPublisher,
  ) {}

  /**
   * The same path for every address: one durable enqueue, no user lookup, no hashing, no
   * SMTP. Whether an account exists is decided later by the worker, where the caller
   * cannot time it.
   */
  async requestReset(email: string, meta: RequestMeta): Promise<{ message: string }> {
    await this.queue.enqueue({ kind: 'reset-request', email, ...meta });
    return { message: FORGOT_PASSWORD_MESSAGE };
  }

  async validate(rawToken: string): Promise<{ valid: true; expiresAt: string }> {
    const state = await this.usableToken(rawToken);
    return { valid: true, expiresAt: state.expires_at.toISOString() };
  }

  async reset(
    rawToken: string,
    newPassword: string,
    meta: RequestMeta,
  ): Promise<{ message: string }> {
    const state = await this.usableToken(rawToken);
    const broken = this.policy.check(newPassword, state.email);
    if (broken.length > 0) throw ApiException.passwordPolicy(broken);
    // Hash before the transaction: ~0.3 s of CPU must not hold row locks.
    const passwordHash = await this.hasher.hash(newPassword);

    const consumed = await this.dataSource.transaction(async (manager) => {
      // The single atomic consume: of any number of concurrent attempts, one wins.
      const [token] = await queryRows<{ user_id: string; purpose: TokenPurpose }>(
        manager,
        `UPDATE password_reset_tokens SET used_at = now()
          WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
          RETURNING user_id, purpose`,
        [hashToken(rawToken)],
      );
      if (!token) return null;
      const userId = token.user_id;
      const [user] = await queryRows<{ email: string }>(
        manager,
        `UPDATE users SET password_hash = $2, password_changed_at = now(), updated_at = now(),
                failed_login_count = 0, last_failed_login_at = NULL
          WHERE id = $1
          RETURNING email`,
        [userId, passwordHash],
      );
      const revoked = await queryRows<{ purpose: TokenPurpose }>(
        manager,
        `UPDATE password_reset_tokens SET revoked_at = now()
          WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL
          RETURNING purpose`,
        [userId],
      );
      await this.queue.enqueue({ kind: 'password-changed', userId, ...meta }, manager);
      // Last: it takes the user's webhook lock after the row locks above.
      await this.webhooks.publish('password.changed', userId, { email: user.email }, manager);
      return { purpose: token.purpose, revoked: revoked.map((r) => r.purpose) };
    });
    if (consumed) {
      this.metrics.tokens.inc({ event: 'consumed', purpose: consumed.purpose });
      for (const purpose of consumed.revoked)
        this.metrics.tokens.inc({ event: 'revoked', purpose });
    } else {
      // Lost a race or the link changed state meanwhile: answer with its state now.
      await this.usableToken(rawToken);
      throw ApiException.tokenInvalid();
    }
    return { message: RESET_PASSWORD_MESSAGE };
  }

  /** The token's row if the link can still be used; otherwise the matching contract error. */
  private async usableToken(rawToken: string): Promise<TokenState> {
    if (!isWellFormedToken(rawToken)) throw ApiException.tokenInvalid();
    const [state] = await queryRows<TokenState>(
      this.dataSource,
      `SELECT t.user_id, u.email, t.expires_at,
              t.used_at IS NOT NULL AS used,
              t.revoked_at IS NOT NULL AS revoked,
              t.expires_at <= now() AS expired
         FROM password_reset_tokens t JOIN users u ON u.id = t.user_id
        WHERE t.token_hash = $1`,
      [hashToken(rawToken)],
    );
    if (!state) throw ApiException.tokenInvalid();
    if (state.used) throw ApiException.tokenUsed();
    if (state.revoked) throw ApiException.tokenInvalid();
    if (state.expired) throw ApiException.tokenExpired();
    return state;
  }
}
