import PgBoss from 'pg-boss';

import {
  HOT_TABLE_AUTOVACUUM,
  QUEUE_PARTITIONS_SQL,
  quoteIdentifier,
} from '../database/autovacuum';
import { PGBOSS_SCHEMA } from './pg-boss-instance';

/**
 * Creates a queue (idempotent), brings its policy up to date (existing deployments pick up
 * changed retry settings too), gives its job partition an index in the order pg-boss claims
 * in, and the autovacuum settings of the hot tables. The migration `TuneAutovacuumForHotTables` sets them on partitions that existed
 * then; on a fresh database pg-boss creates its tables after the migrations, so here they are
 * set once per new partition (a catalog change that blocks no insert or claim). Returns the
 * partition (schema-qualified, quoted), or null for a queue pg-boss gave none.
 */
export async function ensureQueue(boss: PgBoss, queue: PgBoss.Queue): Promise<string | null> {
  await boss.createQueue(queue.name, queue);
  await boss.updateQueue(queue.name, queue);
  const db = boss.getDb();
  const { rows } = (await db.executeSql(
    `SELECT partition_name, reloptions FROM (${QUEUE_PARTITIONS_SQL}) p WHERE p.name = $1`,
    [queue.name],
  )) as { rows: { partition_name: string; reloptions: string[] | null }[] };
  const [partition] = rows;
  if (!partition) return null;
  const table = `${PGBOSS_SCHEMA}.${quoteIdentifier(partition.partition_name)}`;
  // pg-boss's claim without priorities (`fetch(..., { priority: false })`, our queues set
  // none) orders waiting jobs by (created_on, id), which none of its indexes has: without
  // this one every claim read and sorted the whole backlog (EXPLAIN ANALYZE, 3,500 waiting,
  // a claim of 8: 5.9 ms, seq scan and sort; with it 0.4 ms, the index walked for 8 rows).
  // start_after is a key column too, so the claim's `start_after < now()` is checked in the
  // index: priced as an index condition, this index stays the planner's choice when the
  // table's statistics (always stale in a queue) say few jobs wait. Without it the planner
  // then took pg-boss's (name, start_after) index and sorted every waiting job on each claim
  // (bench drain, 14,000 waiting: 17,000 index entries read per claim).
  // IF NOT EXISTS: once per partition; on a new one it is built before any job waits.
  await db.executeSql(
    `CREATE INDEX IF NOT EXISTS ${quoteIdentifier(`${partition.partition_name}_ics`)}
       ON ${table} (name, created_on, id, start_after) WHERE state < 'active'`,
    [],
  );
  // Its predecessor, without start_after.
  await db.executeSql(
    `DROP INDEX IF EXISTS ${PGBOSS_SCHEMA}.${quoteIdentifier(`${partition.partition_name}_ic`)}`,
    [],
  );
  if (!partition.reloptions?.some((o) => o.startsWith('autovacuum_vacuum_threshold'))) {
    await db.executeSql(`ALTER TABLE ${table} SET (${HOT_TABLE_AUTOVACUUM})`, []);
  }
  return table;
}
