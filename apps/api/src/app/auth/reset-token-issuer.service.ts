import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

import { queryRows } from '../database/query-rows';
import { Metrics } from '../metrics/metrics.service';
import { TokenPurpose } from './password-reset-token.entity';
import { generateRawToken, hashToken } from './reset-token.crypto';

export interface IssueTokenRequest {
  userId: string;
  purpose: TokenPurpose;
  ttlSeconds: number;
  ip: string | null;
  userAgent: string | null;
  deliveryJobId: string | null;
  /** When the person (or service) asked; orders links by request, not by delivery. */
  requestedAt: Date;
  /** Per-address limit on reset emails; omitted for invitations and service-forced resets. */
  limit?: { perHour: number; cooldownSeconds: number };
}

export type IssueTokenResult =
  | { issued: true; rawToken: string; expiresAt: Date; revokedPurposes: TokenPurpose[] }
  | { issued: false; reason: 'no-user' | 'rate-limited' | 'superseded' };

/**
 * Issues links. One transaction per issue, serialised per user by a row lock, so two
 * concurrent requests cannot both slip under the per-address limit, and the newest link
 * always revokes every earlier unused one.
 */
@Injectable()
export class ResetTokenIssuer {
  constructor(
    private readonly dataSource: DataSource,
    private readonly metrics: Metrics,
  ) {}

  async issue(request: IssueTokenRequest): Promise<IssueTokenResult> {
    const result = await this.issueInTransaction(request);
    // Counted once the transaction has committed, not while it might still roll back.
    if (result.issued) {
      this.metrics.tokens.inc({ event: 'issued', purpose: request.purpose });
      for (const purpose of result.revokedPurposes)
        this.metrics.tokens.inc({ event: 'revoked', purpose });
    }
    return result;
  }

  private issueInTransaction(request: IssueTokenRequest): Promise<IssueTokenResult> {
    return this.dataSource.transaction(async (manager) => {
      const locked = await queryRows(manager, `SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, [
        request.userId,
      ]);
      if (locked.length === 0) return { issued: false, reason: 'no-user' };

      // Jobs run in parallel, so an older request can reach this point after a newer one.
      // The newer link stays; the older request is answered by it (no second email).
      const newer = await queryRows(
        manager,
        `SELECT 1 FROM password_reset_tokens
          WHERE user_id = $1 AND created_at > $2 AND delivery_job_id IS DISTINCT FROM $3 LIMIT 1`,
        [request.userId, request.requestedAt, request.deliveryJobId],
      );
      if (newer.length > 0) return { issued: false, reason: 'superseded' };

      if (request.limit && !(await this.isRetry(manager, request))) {
        const [usage] = await queryRows<{ emails: number; cooling: boolean }>(
          manager,
          `SELECT count(DISTINCT COALESCE(delivery_job_id, id))::int AS emails,
                  COALESCE(max(created_at) > now() - make_interval(secs => $2), false) AS cooling
             FROM password_reset_tokens
            WHERE user_id = $1 AND purpose = 'reset' AND created_at > now() - interval '1 hour'`,
          [request.userId, request.limit.cooldownSeconds],
        );
        if (usage.emails >= request.limit.perHour || usage.cooling) {
          return { issued: false, reason: 'rate-limited' };
        }
      }

      const revoked = await queryRows<{ purpose: TokenPurpose }>(
        manager,
        `UPDATE password_reset_tokens SET revoked_at = now()
          WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL
          RETURNING purpose`,
        [request.userId],
      );
      const rawToken = generateRawToken();
      const [row] = await queryRows<{ expires_at: Date }>(
        manager,
        `INSERT INTO password_reset_tokens
                (user_id, token_hash, purpose, created_at, expires_at, requested_ip, user_agent, delivery_job_id)
         VALUES ($1, $2, $3, LEAST($8::timestamptz, now()), now() + make_interval(secs => $4), $5, $6, $7)
         RETURNING expires_at`,
        [
          request.userId,
          hashToken(rawToken),
          request.purpose,
          request.ttlSeconds,
          request.ip,
          request.userAgent,
          request.deliveryJobId,
          request.requestedAt,
        ],
      );
      return {
        issued: true,
        rawToken,
        expiresAt: row.expires_at,
        revokedPurposes: revoked.map((r) => r.purpose),
      };
    });
  }

  /** A retry of a delivery that already passed the limit must not be counted or blocked again. */
  private async isRetry(manager: EntityManager, request: IssueTokenRequest): Promise<boolean> {
    if (!request.deliveryJobId) return false;
    const rows = await queryRows(
      manager,
      `SELECT 1 FROM password_reset_tokens WHERE user_id = $1 AND delivery_job_id = $2 LIMIT 1`,
      [request.userId, request.deliveryJobId],
    );
    return rows.length > 0;
  }
}
