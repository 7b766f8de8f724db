import { DataSource } from 'typeorm';

import { AppConfig } from '../config/app-config';
import { queryRows } from '../database/query-rows';

/** Rows deleted per statement: short transactions, no long lock on a busy table. */
const BATCH = 5000;

export interface PurgeResult {
  tokens: number;
  webhookEvents: number;
  /** Sign-in challenges used or expired, as long ago as links. */
  challenges: number;
  /** Authenticators never confirmed (an abandoned enrolment keeps an encrypted secret). */
  pendingFactors: number;
  /** Security events older than EVENTS_RETENTION_DAYS. */
  securityEvents: number;
}

/** An enrolment not confirmed within a day is abandoned. */
const PENDING_FACTOR_DAYS = 1;

/**
 * Deletes what is past its retention: links and sign-in challenges used, revoked or expired
 * for longer than TOKEN_RETENTION_DAYS (a link that can still be used is never touched,
 * whatever its age), authenticators left unconfirmed for a day, webhook events delivered
 * longer than WEBHOOK_RETENTION_DAYS ago (undelivered ones stay for an operator), and
 * security events older than EVENTS_RETENTION_DAYS. pg-boss purges its own finished jobs (JobQueue's options).
 */
export async function purgeExpired(
  dataSource: DataSource,
  retention: AppConfig['retention'],
): Promise<PurgeResult> {
  // LEAST ignores NULLs: the moment the link stopped working, whichever way it did.
  const tokens = await deleteInBatches(
    dataSource,
    `DELETE FROM password_reset_tokens WHERE id IN (
       SELECT id FROM password_reset_tokens
        WHERE LEAST(used_at, revoked_at, expires_at) < now() - make_interval(days => $1)
        LIMIT $2)`,
    retention.tokenDays,
  );
  const webhookEvents = await deleteInBatches(
    dataSource,
    `DELETE FROM webhook_events WHERE id IN (
       SELECT id FROM webhook_events
        WHERE delivered_at < now() - make_interval(days => $1)
        LIMIT $2)`,
    retention.webhookEventDays,
  );
  const challenges = await deleteInBatches(
    dataSource,
    `DELETE FROM mfa_challenges WHERE id IN (
       SELECT id FROM mfa_challenges
        WHERE LEAST(used_at, expires_at) < now() - make_interval(days => $1)
        LIMIT $2)`,
    retention.tokenDays,
  );
  const pendingFactors = await deleteInBatches(
    dataSource,
    `DELETE FROM mfa_factors WHERE id IN (
       SELECT id FROM mfa_factors
        WHERE confirmed_at IS NULL AND created_at < now() - make_interval(days => $1)
        LIMIT $2)`,
    PENDING_FACTOR_DAYS,
  );
  // The daily cap of code tries reads one day back; older tries only say who asked.
  await deleteInBatches(
    dataSource,
    `DELETE FROM reset_code_tries WHERE ctid IN (
       SELECT ctid FROM reset_code_tries WHERE tried_at < now() - make_interval(days => $1)
        LIMIT $2)`,
    1,
  );
  const securityEvents = await purgeSecurityEvents(dataSource, retention.eventDays);
  return { tokens, webhookEvents, challenges, pendingFactors, securityEvents };
}

/**
 * The audit trail's only deletion (docs/architecture.md §10): its trigger refuses every
 * DELETE that does not say `account_recovery.purging` in its own transaction, and any of an
 * event younger than 30 days (the least `days` may be), so each batch is a transaction that
 * sets it locally, and the setting dies with the batch.
 */
async function purgeSecurityEvents(dataSource: DataSource, days: number): Promise<number> {
  let total = 0;
  for (;;) {
    const affected = await dataSource.transaction(async (manager) => {
      await manager.query(`SET LOCAL account_recovery.purging = 'on'`);
      const rows = await queryRows(
        manager,
        `DELETE FROM security_events WHERE id IN (
           SELECT id FROM security_events
            WHERE occurred_at < now() - make_interval(days => $1)
            LIMIT $2)
         RETURNING 1`,
        [days, BATCH],
      );
      return rows.length;
    });
    total += affected;
    if (affected < BATCH) return total;
  }
}

async function deleteInBatches(dataSource: DataSource, sql: string, days: number): Promise<number> {
  let total = 0;
  for (;;) {
    const affected = (await queryRows(dataSource, `${sql} RETURNING 1`, [days, BATCH])).length;
    total += affected;
    if (affected < BATCH) return total;
  }
}

/**
 * True for the one caller per round: records the start of `task` unless another replica
 * started it less than `intervalSeconds` ago. One conditional write, so replicas that ask
 * at the same moment cannot both get true.
 */
export async function claimRound(
  dataSource: DataSource,
  task: string,
  intervalSeconds: number,
): Promise<boolean> {
  const rows = await queryRows(
    dataSource,
    `INSERT INTO maintenance_runs AS m (task, last_started_at) VALUES ($1, now())
     ON CONFLICT (task) DO UPDATE SET last_started_at = now()
      WHERE m.last_started_at <= now() - make_interval(secs => $2)
     RETURNING task`,
    [task, intervalSeconds],
  );
  return rows.length > 0;
}

export async function recordFinish(
  dataSource: DataSource,
  task: string,
  result: PurgeResult,
): Promise<void> {
  await dataSource.query(
    `UPDATE maintenance_runs SET last_finished_at = now(), last_result = $2::jsonb WHERE task = $1`,
    [task, JSON.stringify(result)],
  );
}
