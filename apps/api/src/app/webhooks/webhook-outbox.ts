import { Pool } from 'pg';

import { advisoryLockKey } from './advisory-lock-key';
import { WebhookPayload } from './webhook-events';
import { PUBLISH_LOCK } from './webhook-queue';

/** An event claimed for delivery under a lease. */
export interface ClaimedEvent {
  id: string;
  message_id: string;
  type: string;
  payload: WebhookPayload;
}

/** How long a claim waits for a publisher of the same user to commit. */
const CLAIM_LOCK_WAIT = '10s';

/**
 * The outbox statements of a delivery. Each one is short and commits at once: no
 * transaction or row lock is held while a receiver is being called. A lease
 * (`lease_owner`, `locked_until`) on a user's pending events for one endpoint says who
 * delivers them; while it runs, nobody else claims that pair, so events keep their order.
 */
export class WebhookOutbox {
  constructor(private readonly pool: Pool) {}

  /**
   * Leases the pair's oldest `limit` pending events to `owner` for `leaseSeconds`, unless
   * someone else holds an unexpired lease on any of them: then nothing (that holder claims
   * again after its batch, and will find what was published meanwhile). A lease of `owner`
   * itself never blocks it: the owner is one run of a flush job (a fresh id per run).
   */
  async claim(
    endpoint: string,
    userId: string,
    owner: string,
    limit: number,
    leaseSeconds: number,
  ): Promise<ClaimedEvent[]> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL lock_timeout = '${CLAIM_LOCK_WAIT}'`);
      await client.query(`SELECT pg_advisory_xact_lock($1::bigint)`, [
        advisoryLockKey(PUBLISH_LOCK, userId),
      ]);
      const { rows } = await client.query<ClaimedEvent>(
        `WITH busy AS (
           SELECT 1 FROM webhook_events
            WHERE endpoint = $1 AND user_id = $2 AND delivered_at IS NULL
              AND locked_until > now() AND lease_owner IS DISTINCT FROM $3::uuid
            LIMIT 1
         ), head AS (
           SELECT id FROM webhook_events
            WHERE endpoint = $1 AND user_id = $2 AND delivered_at IS NULL
            ORDER BY id LIMIT $4
         )
         UPDATE webhook_events e
            SET lease_owner = $3::uuid, locked_until = now() + make_interval(secs => $5)
           FROM head
          WHERE e.id = head.id AND e.delivered_at IS NULL AND NOT EXISTS (SELECT 1 FROM busy)
         RETURNING e.id, e.message_id, e.type, e.payload`,
        [endpoint, userId, owner, limit, leaseSeconds],
      );
      await client.query('COMMIT');
      client.release();
      return rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      client.release(true);
      throw error;
    }
  }

  /** Extends the lease on `ids`; false when another owner took any of them over. */
  async renew(owner: string, ids: string[], leaseSeconds: number): Promise<boolean> {
    const { rowCount } = await this.pool.query(
      `UPDATE webhook_events SET locked_until = now() + make_interval(secs => $3)
        WHERE id = ANY($2::bigint[]) AND lease_owner = $1::uuid AND delivered_at IS NULL`,
      [owner, ids, leaseSeconds],
    );
    return rowCount === ids.length;
  }

  async markDelivered(id: string): Promise<void> {
    await this.pool.query(
      `UPDATE webhook_events
          SET delivered_at = now(), attempts = attempts + 1, last_attempt_at = now(),
              last_error = NULL, lease_owner = NULL, locked_until = NULL
        WHERE id = $1`,
      [id],
    );
  }

  async markFailed(id: string, error: string): Promise<void> {
    await this.pool.query(
      `UPDATE webhook_events
          SET attempts = attempts + 1, last_attempt_at = now(), last_error = $2
        WHERE id = $1`,
      [id, error],
    );
  }

  /** Gives the pair's events leased to `owner` back, for the next claim. */
  async release(endpoint: string, userId: string, owner: string): Promise<void> {
    await this.pool.query(
      `UPDATE webhook_events SET lease_owner = NULL, locked_until = NULL
        WHERE endpoint = $1 AND user_id = $2 AND delivered_at IS NULL AND lease_owner = $3::uuid`,
      [endpoint, userId, owner],
    );
  }
}
