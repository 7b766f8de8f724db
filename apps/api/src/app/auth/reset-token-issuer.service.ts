import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { DataSource, EntityManager } from 'typeorm';

import { Metrics } from '../metrics/metrics.service';
import { TokenPurpose } from './password-reset-token.entity';
import { generateRawToken, hashToken } from './reset-token.crypto';

export interface IssueTokenRequest {
  /**
   * Whose link: a user by id (invitations, service-forced resets), or the account whose
   * address is, at the moment its row is locked, this normalised one (a person's request by
   * address: after an email change the request names no account any more, so nothing is sent).
   */
  user: { id: string } | { email: string };
  purpose: TokenPurpose;
  ttlSeconds: number;
  ip: string | null;
  userAgent: string | null;
  deliveryJobId: string | null;
  /** When the person (or service) asked; orders links by request, not by delivery. */
  requestedAt: Date;
  /** Per-address limit on reset emails; omitted for invitations and service-forced resets. */
  limit?: { perHour: number; cooldownSeconds: number };
  /**
   * When no account matches, still run every statement an issue runs (on an id that matches
   * nothing, with nothing written): the database work then does not tell known addresses
   * from unknown ones.
   */
  equalWorkIfUnknown?: boolean;
}

/** A user id no row has: the statements of an issue for an address without an account. */
const NO_USER = '00000000-0000-0000-0000-000000000000';

/** The address and name read under the row lock: the only ones a link may be sent to. */
export interface Recipient {
  email: string;
  displayName: string | null;
}

export type IssueTokenResult =
  | {
      issued: true;
      rawToken: string;
      expiresAt: Date;
      revokedPurposes: TokenPurpose[];
      recipient: Recipient;
    }
  | { issued: false; reason: IssueTokenRefusal };

/** Why no link was issued: nothing is sent then. */
export type IssueTokenRefusal = 'no-user' | 'rate-limited' | 'superseded' | 'already-reset';

interface LockedUser {
  id: string;
  email: string;
  display_name: string | null;
  /** The password changed after the request was made. */
  changed_since: boolean;
}

interface IssueState {
  /** An earlier attempt of this delivery issued a link. */
  retry: boolean;
  /** ...and that link was used. */
  used: boolean;
  /** A link of another, newer request exists. */
  newer: boolean;
  /** Reset emails (deliveries) in the last hour, and whether the last is within the cooldown. */
  emails: number;
  cooling: boolean;
}

/**
 * Issues links. One transaction per issue, serialised per user by a row lock, so two
 * concurrent requests cannot both slip under the per-address limit, and the newest link
 * always revokes every earlier unused one. The recipient is read by the locking statement
 * itself: an email change (which takes the same lock and revokes every open link) is either
 * committed before, and then the link goes to the new address, or waits until this link
 * exists, and then revokes it.
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
      const user = await this.lockUser(manager, request);
      if (!user && !request.equalWorkIfUnknown) return { issued: false, reason: 'no-user' };
      const userId = user?.id ?? NO_USER;
      const state = await this.readState(manager, userId, request);
      // The person has reset since asking (with this request's link or another way): a link
      // now, from a retry or a late first attempt, would be one too many.
      if (user && (user.changed_since || state.used)) {
        return { issued: false, reason: 'already-reset' };
      }
      // Jobs run in parallel, so an older request can reach this point after a newer one.
      // The newer link stays; the older request is answered by it (no second email).
      if (user && state.newer) return { issued: false, reason: 'superseded' };
      // A retry that already passed the limit is not counted or blocked again.
      if (user && request.limit && !state.retry) {
        if (state.emails >= request.limit.perHour || state.cooling) {
          return { issued: false, reason: 'rate-limited' };
        }
      }

      const rawToken = generateRawToken();
      // Revoking the earlier links and inserting the new one in one statement: both see the
      // same snapshot, so the new link is not among those revoked. For an address without an
      // account the same statement runs on NO_USER and inserts nothing (equal work).
      const rows = await prepared<{ purpose: TokenPurpose | null; expires_at: Date | null }>(
        manager,
        'issuer:write',
        `WITH revoked AS (
           UPDATE password_reset_tokens SET revoked_at = now()
            WHERE user_id = $1 AND used_at IS NULL AND revoked_at IS NULL
            RETURNING purpose
         ), issued AS (
           INSERT INTO password_reset_tokens
                  (user_id, token_hash, purpose, created_at, expires_at, requested_ip, user_agent, delivery_job_id)
           SELECT $1, $2, $3, LEAST($8::timestamptz, now()), now() + make_interval(secs => $4), $5, $6, $7
            WHERE $9::boolean
           RETURNING expires_at
         )
         SELECT purpose, NULL::timestamptz AS expires_at FROM revoked
         UNION ALL SELECT NULL, expires_at FROM issued`,
        [
          userId,
          hashToken(rawToken),
          request.purpose,
          request.ttlSeconds,
          request.ip,
          request.userAgent,
          request.deliveryJobId,
          request.requestedAt,
          user !== null,
        ],
      );
      const expiresAt = rows.find((row) => row.expires_at !== null)?.expires_at;
      if (!user || !expiresAt) return { issued: false, reason: 'no-user' };
      return {
        issued: true,
        rawToken,
        expiresAt,
        revokedPurposes: rows.flatMap((row) => (row.purpose ? [row.purpose] : [])),
        recipient: { email: user.email, displayName: user.display_name },
      };
    });
  }

  /** Locks the user's row and reads what the link depends on, in one statement. */
  private async lockUser(
    manager: EntityManager,
    request: IssueTokenRequest,
  ): Promise<LockedUser | null> {
    const byId = 'id' in request.user;
    const [user] = await prepared<LockedUser>(
      manager,
      byId ? 'issuer:lock-by-id' : 'issuer:lock-by-email',
      `SELECT id, email, display_name,
              COALESCE(password_changed_at > $2, false) AS changed_since
         FROM users WHERE ${byId ? 'id = $1' : 'email = $1'} FOR UPDATE`,
      [
        byId ? (request.user as { id: string }).id : (request.user as { email: string }).email,
        request.requestedAt,
      ],
    );
    // PostgreSQL re-checks the condition on the row it waited for, so an address changed
    // meanwhile already yields no row; compared again here so that never depends on it.
    if (!user || (!byId && user.email !== (request.user as { email: string }).email)) return null;
    return user;
  }

  /**
   * Everything the decision reads, in one statement (one round trip instead of three):
   * what earlier attempts of this delivery did, whether a newer request already has its
   * link, and the per-address usage of the last hour. Without a delivery id there is no
   * earlier attempt (`delivery_job_id = NULL` matches nothing).
   */
  private async readState(
    manager: EntityManager,
    userId: string,
    request: IssueTokenRequest,
  ): Promise<IssueState> {
    const [state] = await prepared<IssueState>(
      manager,
      'issuer:state',
      `SELECT count(*) FILTER (WHERE delivery_job_id = $2) > 0 AS retry,
              COALESCE(bool_or(used_at IS NOT NULL) FILTER (WHERE delivery_job_id = $2), false) AS used,
              COALESCE(bool_or(created_at > $3 AND delivery_job_id IS DISTINCT FROM $2), false) AS newer,
              count(DISTINCT COALESCE(delivery_job_id, id))
                FILTER (WHERE purpose = 'reset' AND created_at > now() - interval '1 hour')::int AS emails,
              COALESCE(max(created_at) FILTER (WHERE purpose = 'reset' AND created_at > now() - interval '1 hour')
                > now() - make_interval(secs => $4), false) AS cooling
         FROM password_reset_tokens WHERE user_id = $1`,
      [userId, request.deliveryJobId, request.requestedAt, request.limit?.cooldownSeconds ?? 0],
    );
    return state;
  }
}

/**
 * A statement of the issue on the transaction's own connection (TypeORM's
 * `QueryRunner.connect()`), as a named statement of `pg`: PostgreSQL parses and plans it once
 * per pooled connection instead of at every issue. Each name has one text.
 */
async function prepared<T>(
  manager: EntityManager,
  name: string,
  text: string,
  values: unknown[],
): Promise<T[]> {
  if (!manager.queryRunner) throw new Error('the issuer runs its statements in a transaction');
  const client = (await manager.queryRunner.connect()) as PoolClient;
  const result = await client.query<T & object>({ name, text, values });
  return result.rows;
}
