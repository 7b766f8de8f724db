import PgBoss from 'pg-boss';

import { FetchedJob } from './job-worker';
import { PGBOSS_SCHEMA } from './pg-boss-instance';

/**
 * Claims up to `limit` of the oldest waiting jobs of `queue`: pg-boss 10's own claim
 * (`fetch`) with the same effect on the row (active, started now, the retry counted when the
 * job ran before), but in the order of its `(name, start_after)` index of waiting jobs, like
 * the sweep (waiting-jobs-sweep.ts). pg-boss orders by `priority DESC, created_on, id`, which
 * no index has: every claim read and sorted the whole backlog (EXPLAIN ANALYZE, 3,500
 * waiting, a claim of 8: 5.9 ms, seq scan and sort; this statement 0.4 ms, the index walked
 * for 8 rows), so in a backlog each email cost a share of a sort of all the others
 * (docs/architecture.md §3, "Flood"). Our queues set no priority, so the order differs only
 * for a retried job, which now queues by the time its retry is due.
 *
 * For queues without pg-boss's `singleton` or `stately` policy only (their claim keeps one
 * job per key; the email queue is `standard`). Locked `SKIP LOCKED`: two workers never get
 * the same job, and a claim that dies mid-statement rolls back.
 */
export async function claimWaitingJobs<T>(
  db: PgBoss.Db,
  queue: string,
  limit: number,
): Promise<FetchedJob<T>[]> {
  const { rows } = await db.executeSql(
    `WITH next AS (
       SELECT id FROM ${PGBOSS_SCHEMA}.job
        WHERE name = $1 AND state < 'active' AND start_after < now()
        ORDER BY start_after
        LIMIT $2
        FOR UPDATE SKIP LOCKED
     )
     UPDATE ${PGBOSS_SCHEMA}.job j
        SET state = 'active',
            started_on = now(),
            retry_count = CASE WHEN j.started_on IS NOT NULL THEN j.retry_count + 1
                               ELSE j.retry_count END
       FROM next
      WHERE j.name = $1 AND j.id = next.id
      RETURNING j.id, j.data, j.retry_count AS "retryCount"`,
    [queue, limit],
  );
  return rows as FetchedJob<T>[];
}
