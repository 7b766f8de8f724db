import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { generateRawToken, hashToken, isWellFormedToken } from '../auth/reset-token.crypto';
import { queryRows } from '../database/query-rows';
import { EventOrigin } from '../events/event-context';
import { SecurityEvents } from '../events/security-events.service';
import { isThrottled, MfaErrors } from './mfa-errors';
import { MAX_CODE_ATTEMPTS } from './one-time-codes';
import { SecondFactors } from './second-factor.service';

/** How long the step between a correct password and the code may take. */
const CHALLENGE_SECONDS = 5 * 60;

/** The user whose sign-in a challenge completed, as the access token needs them. */
export interface CompletedSignIn {
  id: string;
  passwordChangedAt: Date | null;
  sessionsRevokedAt: Date | null;
}

/**
 * The second step of a sign-in (docs/architecture.md §9): a correct password of an account with a
 * factor gets a challenge token instead of a session; the session comes for a code.
 * Only the SHA-256 of the challenge token is stored. Each answer is counted before its
 * code is checked (in the statement that admits it), so parallel answers cannot get more
 * than five checks; the fifth wrong one ends the challenge.
 */
@Injectable()
export class MfaChallenges {
  constructor(
    private readonly dataSource: DataSource,
    private readonly factors: SecondFactors,
    private readonly events: SecurityEvents,
  ) {}

  async create(userId: string): Promise<string> {
    const raw = generateRawToken();
    await queryRows(
      this.dataSource,
      `INSERT INTO mfa_challenges (user_id, token_hash, expires_at)
       VALUES ($1, $2, now() + make_interval(secs => $3))`,
      [userId, hashToken(raw), CHALLENGE_SECONDS],
    );
    return raw;
  }

  /** `origin`: of the sign-in's events (mfa.failed, mfa.recovery_code_used, signin.succeeded). */
  async answer(rawToken: string, code: string, origin: EventOrigin): Promise<CompletedSignIn> {
    if (!isWellFormedToken(rawToken)) throw MfaErrors.challengeInvalid();
    const [admitted] = await queryRows<{ id: string; user_id: string }>(
      this.dataSource,
      `UPDATE mfa_challenges SET attempts = attempts + 1
        WHERE token_hash = $1 AND used_at IS NULL AND expires_at > now() AND attempts < $2
        RETURNING id, user_id`,
      [hashToken(rawToken), MAX_CODE_ATTEMPTS],
    );
    if (!admitted) throw MfaErrors.challengeInvalid();
    const proof = await this.factors
      .check(admitted.user_id, code, false, origin)
      .catch(async (error) => {
        // Not checked (the factor's throttle): not one of the challenge's five.
        if (isThrottled(error)) {
          await queryRows(
            this.dataSource,
            `UPDATE mfa_challenges SET attempts = attempts - 1 WHERE id = $1 AND attempts > 0`,
            [admitted.id],
          );
        }
        throw error;
      });
    if (!proof) throw MfaErrors.codeInvalid();
    return this.dataSource.transaction(async (manager) => {
      const [user] = await queryRows<{
        id: string;
        password_changed_at: Date | null;
        sessions_revoked_at: Date | null;
      }>(
        manager,
        `UPDATE users SET failed_login_count = 0, last_failed_login_at = NULL
          WHERE id = $1 RETURNING id, password_changed_at, sessions_revoked_at`,
        [admitted.user_id],
      );
      // A challenge made before the password changed or sessions were revoked is dead: the
      // password that opened it may be the one the reset or the help desk meant to stop.
      const [used] = await queryRows(
        manager,
        `UPDATE mfa_challenges c SET used_at = now()
           FROM users u
          WHERE c.id = $1 AND u.id = c.user_id AND c.used_at IS NULL AND c.expires_at > now()
            AND c.created_at > COALESCE(GREATEST(u.password_changed_at, u.sessions_revoked_at),
                                        '-infinity'::timestamptz)
          RETURNING 1`,
        [admitted.id],
      );
      if (!user || !used) throw MfaErrors.challengeInvalid();
      if (!(await this.factors.spend(manager, proof, origin))) throw MfaErrors.codeInvalid();
      await this.events.record(
        {
          type: 'signin.succeeded',
          userId: user.id,
          ...origin,
          details: { secondFactor: proof.kind },
        },
        manager,
      );
      return {
        id: user.id,
        passwordChangedAt: user.password_changed_at,
        sessionsRevokedAt: user.sessions_revoked_at,
      };
    });
  }
}
