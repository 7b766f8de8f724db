import PgBoss from 'pg-boss';

import { PGBOSS_SCHEMA } from './pg-boss-instance';

/** What one sweep saw and did. */
export interface SweepResult {
  /** Jobs among the oldest `limit` waiting ones (not claimed, not locked by another sweep). */
  waiting: number;
  /** Of those, completed by this sweep. */
  settled: number;
}

/**
 * One set-wise settlement of waiting jobs (docs/architecture.md §3, "Flood"): of the oldest
 * `limit` jobs waiting in `queue`, completes in ONE statement those that `condition` (an SQL
 * predicate on the job's `data` as `j.data`) says need no work, but only when at least
 * `minimum` are waiting, so that a quiet queue is never swept (its jobs keep their equal work).
 *
 * Written against pg-boss's job table (pg-boss 10: `state < 'active'` is created or retry; the
 * `(name, start_after)` index of waiting jobs is walked in order, so the cost is the batch,
 * not the backlog). Below `minimum` waiting, nothing is locked. Otherwise the rows are
 * locked `SKIP LOCKED`, like pg-boss's own claim: a job a worker claims meanwhile is not
 * touched, two sweeps never settle the same job, and a sweep that dies mid-statement (its
 * process killed) rolls back: nothing is lost or half-done.
 */
export async function sweepWaitingJobs(
  db: PgBoss.Db,
  queue: string,
  condition: string,
  limit: number,
  minimum: number,
): Promise<SweepResult> {
  // Counted first, without locks: the statement below locks the rows it looks at, and a
  // claim meanwhile skips them, so a quiet queue's jobs would wait for the next claim.
  const { rows: counted } = await db.executeSql(
    `SELECT count(*)::int AS waiting FROM (
       SELECT 1 FROM ${PGBOSS_SCHEMA}.job
        WHERE name = $1 AND state < 'active' AND start_after < now()
        LIMIT $2) w`,
    [queue, minimum],
  );
  const [{ waiting }] = counted as { waiting: number }[];
  if (waiting < minimum) return { waiting, settled: 0 };
  const { rows } = await db.executeSql(
    `WITH waiting AS (
       SELECT id, data FROM ${PGBOSS_SCHEMA}.job
        WHERE name = $1 AND state < 'active' AND start_after < now()
        ORDER BY start_after
        LIMIT $2
        FOR UPDATE SKIP LOCKED
     ), settled AS (
       UPDATE ${PGBOSS_SCHEMA}.job
          SET state = 'completed', started_on = now(), completed_on = now()
        WHERE name = $1
          AND id IN (SELECT j.id FROM waiting j WHERE ${condition})
          AND (SELECT count(*) FROM waiting) >= $3
        RETURNING 1
     )
     SELECT (SELECT count(*) FROM waiting)::int AS waiting,
            (SELECT count(*) FROM settled)::int AS settled`,
    [queue, limit, minimum],
  );
  const [row] = rows as SweepResult[];
  return { waiting: row.waiting, settled: row.settled };
}
