import {
  FORGOT_PASSWORD_MESSAGE,
  normaliseEmail,
  RESET_PASSWORD_MESSAGE,
  ValidateResetTokenResponse,
} from '@account-recovery/contracts';

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { ApiException } from '../common/http/api-exception';
import { queryRows } from '../database/query-rows';
import { originOf } from '../events/event-context';
import { SecurityEvents } from '../events/security-events.service';
import { Metrics } from '../metrics/metrics.service';
import { MfaErrors } from '../mfa/mfa-errors';
import { ResetSecondFactor } from '../mfa/reset-second-factor';
import { methodsOf, SecondFactorProof, SecondFactors } from '../mfa/second-factor.service';
import { RequestMeta } from '../queue/account-email.job';
import { JobQueue } from '../queue/job-queue.service';
import { WebhookPublisher } from '../webhooks/webhook-publisher.service';
import { PasswordHasher } from './password-hasher.service';
import { PasswordHistory } from './password-history';
import { PasswordPolicy } from './password-policy.service';
import { TokenPurpose } from './password-reset-token.entity';
import { hashToken, isWellFormedToken } from './reset-token.crypto';

interface TokenState {
  id: string;
  user_id: string;
  has_factor: boolean;
  email: string;
  expires_at: Date;
  used: boolean;
  revoked: boolean;
  expired: boolean;
}

/** A reset's hold on its link while it hashes. */
interface Claim {
  id: string;
  user_id: string;
  /** The lease's end as PostgreSQL wrote it: text keeps the microseconds a Date would drop. */
  claimed_until: string;
}

interface Consumed {
  purpose: TokenPurpose;
  revoked: TokenPurpose[];
}

/**
 * How long a claim holds a link. Far above one hash (~0.3 s) and a wait in the hashing
 * queue; if the process dies mid-reset, the link is usable again after this.
 */
const CLAIM_SECONDS = 60;

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
    private readonly factors: SecondFactors,
    private readonly resetFactor: ResetSecondFactor,
    private readonly history: PasswordHistory,
    private readonly events: SecurityEvents,
  ) {}

  /**
   * The same path for every address: one durable enqueue, no user lookup, no hashing, no
   * SMTP. Whether an account exists is decided later by the worker, where the caller
   * cannot time it.
   */
  async requestReset(email: string, meta: RequestMeta): Promise<{ message: string }> {
    const address = normaliseEmail(email);
    await this.queue.enqueue({ kind: 'reset-request', email, address, ...meta });
    return { message: FORGOT_PASSWORD_MESSAGE };
  }

  /** Whoever holds a valid link learns here whether a factor is needed; nobody else. */
  async validate(rawToken: string, meta?: RequestMeta): Promise<ValidateResetTokenResponse> {
    const state = await this.usableToken(rawToken);
    // Nothing changes: the event is the only write.
    await this.events.record({
      type: 'reset.link_validated',
      userId: state.user_id,
      ...originOf(meta),
    });
    return {
      valid: true,
      expiresAt: state.expires_at.toISOString(),
      secondFactor: state.has_factor
        ? { methods: methodsOf(await this.factors.status(state.user_id)) }
        : null,
      passwordPolicy: this.policy.summary(),
    };
  }

  /**
   * Sets the new password with a link. Locks, in this order everywhere: the user row, then
   * token rows (the issuer and users.service do the same), so a reset never deadlocks with
   * a link being issued. Before hashing, the reset claims the link (`claimed_until`, a
   * lease written in its own short statement): of concurrent resets with one link, one
   * hashes and the others are answered at once, and no connection or row lock is held
   * while the ~0.3 s of hashing runs.
   */
  async reset(
    rawToken: string,
    newPassword: string,
    secondFactorCode: string | undefined,
    meta: RequestMeta,
  ): Promise<{ message: string }> {
    const attempt: { userId: string | null } = { userId: null };
    try {
      return await this.attemptReset(rawToken, newPassword, secondFactorCode, meta, attempt);
    } catch (error) {
      // Every refusal with its contract code, the policy's too; a link nobody holds names no
      // user. Its own write: the refused change committed nothing to join.
      if (error instanceof ApiException && error.getStatus() < 500) {
        await this.events.record({
          type: 'reset.failed',
          userId: attempt.userId,
          ...originOf(meta),
          details: { code: error.code },
        });
      }
      throw error;
    }
  }

  private async attemptReset(
    rawToken: string,
    newPassword: string,
    secondFactorCode: string | undefined,
    meta: RequestMeta,
    attempt: { userId: string | null },
  ): Promise<{ message: string }> {
    const state = await this.usableToken(rawToken);
    attempt.userId = state.user_id;
    // The factor first: no password hashing for whoever holds only the link.
    const proof = state.has_factor
      ? await this.resetFactor.prove(
          { id: state.id, userId: state.user_id },
          secondFactorCode,
          meta,
          async () => {
            await this.usableToken(rawToken);
            throw ApiException.tokenInvalid();
          },
        )
      : null;
    const broken = await this.policy.check(newPassword, {
      email: state.email,
      userId: state.user_id,
    });
    if (broken.length > 0) throw ApiException.passwordPolicy(broken);
    const claim = await this.claim(rawToken);
    if (!claim) {
      // Used, revoked or expired meanwhile (its own code), or another reset holds it.
      await this.usableToken(rawToken);
      throw ApiException.tokenUsed();
    }
    let consumed: Consumed | null = null;
    try {
      const passwordHash = await this.hasher.hash(newPassword);
      consumed = await this.consume(claim, passwordHash, proof, meta);
    } finally {
      // Failed or lost: the link is as usable as the rules say, not held until the lease ends.
      if (!consumed) await this.release(claim);
    }
    if (!consumed) {
      // Revoked or expired while hashing: answer with its state now.
      await this.usableToken(rawToken);
      throw ApiException.tokenInvalid();
    }
    this.metrics.tokens.inc({ event: 'consumed', purpose: consumed.purpose });
    for (const purpose of consumed.revoked) this.metrics.tokens.inc({ event: 'revoked', purpose });
    return { message: RESET_PASSWORD_MESSAGE };
  }

  /** Claims a usable, unclaimed link for CLAIM_SECONDS; null when another reset has it. */
  private async claim(rawToken: string): Promise<Claim | null> {
    const [claim] = await queryRows<Claim>(
      this.dataSource,
      `UPDATE password_reset_tokens SET claimed_until = now() + make_interval(secs => $2)
        WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
          AND (claimed_until IS NULL OR claimed_until <= now())
        RETURNING id, user_id, claimed_until::text`,
      [hashToken(rawToken), CLAIM_SECONDS],
    );
    return claim ?? null;
  }

  private async release(claim: Claim): Promise<void> {
    await queryRows(
      this.dataSource,
      `UPDATE password_reset_tokens SET claimed_until = NULL
        WHERE id = $1 AND claimed_until = $2::timestamptz`,
      [claim.id, claim.claimed_until],
    ).catch(() => undefined); // the lease runs out by itself
  }

  /**
   * The password change: user row first, then the link, then every other open link. The
   * second factor's code is spent here, so it counts once only if the reset commits.
   */
  private consume(
    claim: Claim,
    passwordHash: string,
    proof: SecondFactorProof | null,
    meta: RequestMeta,
  ): Promise<Consumed | null> {
    return this.dataSource.transaction(async (manager) => {
      const userId = claim.user_id;
      const locked = await queryRows(manager, `SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, [
        userId,
      ]);
      if (locked.length === 0) return null;
      // The single atomic consume: of any number of concurrent attempts, one wins.
      const [token] = await queryRows<{ purpose: TokenPurpose }>(
        manager,
        `UPDATE password_reset_tokens SET used_at = now(), claimed_until = NULL
          WHERE id = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
          RETURNING purpose`,
        [claim.id],
      );
      if (!token) return null;
      // Under the user row lock: the hash being replaced joins the history first.
      await this.history.recordReplaced(manager, userId);
      if (proof) {
        if (!(await this.factors.spend(manager, proof, originOf(meta))))
          throw MfaErrors.codeInvalid();
      } else if (await this.factors.confirmedUnderLock(manager, userId)) {
        // An authenticator confirmed while this reset was hashing: it needs the code now.
        throw MfaErrors.secondFactorRequired();
      }
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
      await this.events.record(
        {
          type: 'reset.completed',
          userId,
          ...originOf(meta),
          details: { purpose: token.purpose, secondFactor: proof?.kind ?? null },
        },
        manager,
      );
      // Last: it takes the user's webhook lock after the row locks above.
      await this.webhooks.publish('password.changed', userId, { email: user.email }, manager);
      return { purpose: token.purpose, revoked: revoked.map((r) => r.purpose) };
    });
  }

  /** The token's row if the link can still be used; otherwise the matching contract error. */
  private async usableToken(rawToken: string): Promise<TokenState> {
    if (!isWellFormedToken(rawToken)) throw ApiException.tokenInvalid();
    const [state] = await queryRows<TokenState>(
      this.dataSource,
      `SELECT t.id, t.user_id, u.email, t.expires_at,
              EXISTS (SELECT 1 FROM mfa_factors f
                       WHERE f.user_id = t.user_id AND f.confirmed_at IS NOT NULL) AS has_factor,
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
