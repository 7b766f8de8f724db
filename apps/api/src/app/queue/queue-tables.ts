import PgBoss from 'pg-boss';

import {
  HOT_TABLE_AUTOVACUUM,
  QUEUE_PARTITIONS_SQL,
  quoteIdentifier,
} from '../database/autovacuum';
import { PGBOSS_SCHEMA } from './pg-boss-instance';

/**
 * Creates a queue (idempotent), brings its policy up to date (existing deployments pick up
 * changed retry settings too) and gives its job partition the autovacuum settings of the hot
 * tables. The migration `TuneAutovacuumForHotTables` sets them on partitions that existed
 * then; on a fresh database pg-boss creates its tables after the migrations, so here they are
 * set once per new partition (a catalog change that blocks no insert or claim).
 */
export async function ensureQueue(boss: PgBoss, queue: PgBoss.Queue): Promise<void> {
  await boss.createQueue(queue.name, queue);
  await boss.updateQueue(queue.name, queue);
  const db = boss.getDb();
  const { rows } = (await db.executeSql(
    `SELECT partition_name, reloptions FROM (${QUEUE_PARTITIONS_SQL}) p WHERE p.name = $1`,
    [queue.name],
  )) as { rows: { partition_name: string; reloptions: string[] | null }[] };
  const [partition] = rows;
  if (!partition || partition.reloptions?.some((o) => o.startsWith('autovacuum_vacuum_threshold')))
    return;
  await db.executeSql(
    `ALTER TABLE ${PGBOSS_SCHEMA}.${quoteIdentifier(partition.partition_name)} SET (${HOT_TABLE_AUTOVACUUM})`,
    [],
  );
}
