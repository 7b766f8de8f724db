import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { inetAddress } from '../common/http/client-ip';
import { queryPrepared } from '../database/query-rows';
import { EventOrigin } from '../events/event-context';
import { Metrics } from '../metrics/metrics.service';
import { MfaKeys } from '../mfa/mfa-keys';
import { generateResetCode } from '../mfa/one-time-codes';
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
  /**
   * Record the request in the security events (a person's request by address): known
   * addresses as `reset.requested` (and `reset.email_suppressed` when refused), unknown
   * ones counted as `reset.requested_unknown`, in the statement that decides.
   */
  audit?: EventOrigin;
}

/** The address and name read under the row lock: the only ones a link may be sent to. */
export interface Recipient {
  email: string;
  displayName: string | null;
  /** The person's stored locale, read under the same lock; null: none (or not one we ship). */
  locale: string | null;
}

export type IssueTokenResult =
  | {
      issued: true;
      rawToken: string;
      /** The 8-digit code sent beside a reset link (code recovery); null for invitations. */
      code: string | null;
      expiresAt: Date;
      revokedPurposes: TokenPurpose[];
      recipient: Recipient;
      /** Whose link it is (for the events that follow, `reset.email_sent`). */
      userId: string | null;
    }
  | { issued: false; reason: IssueTokenRefusal };

/** Why no link was issued: nothing is sent then. */
export type IssueTokenRefusal = 'no-user' | 'rate-limited' | 'superseded' | 'already-reset';

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
    private readonly keys: MfaKeys,
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

  /**
   * The whole issue is the database function `issue_link` (migration
   * CreateIssueLinkFunction, last changed by IssueLinkReturnsLocale), one statement and one
   * implicit transaction: lock the user's row and read the address and locale under it,
   * read the user's links, decide, then revoke the earlier links and insert the new one. One
   * round trip instead of five (docs/architecture.md §3, step 4); the migration says why its
   * statements keep the order and the snapshots of the separate ones.
   */
  private async issueInTransaction(request: IssueTokenRequest): Promise<IssueTokenResult> {
    const byId = 'id' in request.user;
    const rawToken = generateRawToken();
    const code = request.purpose === 'reset' ? generateResetCode() : null;
    const rows = await queryPrepared<IssueLinkRow>(
      this.dataSource,
      'account-recovery:issue-link',
      ISSUE_LINK_SQL,
      [
        byId ? (request.user as { id: string }).id : null,
        byId ? null : (request.user as { email: string }).email,
        request.requestedAt,
        request.deliveryJobId,
        request.limit?.perHour ?? null,
        request.limit?.cooldownSeconds ?? null,
        request.equalWorkIfUnknown === true,
        hashToken(rawToken),
        request.purpose,
        request.ttlSeconds,
        // `inet` (the token row and the event): a job queued before the check may carry a zone.
        inetAddress(request.ip),
        request.userAgent,
        code === null ? null : this.keys.hashResetCode(code),
        request.audit !== undefined,
        request.audit?.actor ?? 'system',
      ],
    );
    const [row] = rows;
    if (!row) throw new Error('issue_link returned no row');
    if (row.outcome !== 'issued') return { issued: false, reason: row.outcome };
    if (row.email === null || row.expires_at === null) {
      throw new Error('issue_link issued a link without its recipient or expiry');
    }
    return {
      issued: true,
      rawToken,
      code,
      expiresAt: row.expires_at,
      revokedPurposes: row.revoked_purposes ?? [],
      recipient: { email: row.email, displayName: row.display_name, locale: row.locale },
      userId: row.user_id,
    };
  }
}

/** The one row `issue_link` returns; recipient and expiry only when a link was issued. */
interface IssueLinkRow {
  outcome: 'issued' | IssueTokenRefusal;
  email: string | null;
  display_name: string | null;
  locale: string | null;
  expires_at: Date | null;
  revoked_purposes: TokenPurpose[] | null;
  user_id: string | null;
}

/**
 * `issue_link` and its security events in one statement, so in one transaction: the
 * function's own (docs/architecture.md §10). A data-modifying CTE rather than a new version
 * of the function: the function stays what the timing of unknown addresses was measured
 * on, and both outcomes write the same one or two rows, so the event does not tell known
 * from unknown either. `r` is MATERIALIZED: the function runs once, whatever reads it.
 *
 * The user's id is read by address in the statement's snapshot (the function does not
 * return it): an account created or renamed in the instant between the statement's start
 * and the function's lock leaves `user_id` NULL on its event, never someone else's.
 * $14: record at all; $15: the actor.
 */
const ISSUE_LINK_SQL = `
  WITH r AS MATERIALIZED (
    SELECT l.outcome, l.email, l.display_name, l.locale, l.expires_at, l.revoked_purposes,
           CASE WHEN l.outcome = 'no-user' THEN NULL
                ELSE COALESCE($1::uuid, (SELECT u.id FROM users u
                                          WHERE u.email = COALESCE(l.email, $2::text))) END
             AS user_id
      FROM issue_link($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) AS l
  ), recorded AS (
    INSERT INTO security_events (type, user_id, actor, ip, user_agent, details)
    SELECT e.type, r.user_id, $15, $11::inet, $12::text, e.details
      FROM r CROSS JOIN LATERAL (VALUES
        (CASE WHEN r.outcome = 'no-user' THEN 'reset.requested_unknown' ELSE 'reset.requested' END,
         CASE WHEN r.outcome = 'no-user' THEN '{"count": 1}'::jsonb ELSE '{}'::jsonb END),
        (CASE WHEN r.outcome IN ('rate-limited', 'superseded', 'already-reset')
              THEN 'reset.email_suppressed' END,
         jsonb_build_object('reason', replace(r.outcome, '-', '_')))
      ) AS e (type, details)
     WHERE $14::boolean AND e.type IS NOT NULL
  )
  SELECT outcome, email, display_name, locale, expires_at, revoked_purposes, user_id FROM r`;
