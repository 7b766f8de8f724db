import { MigrationInterface, QueryRunner } from 'typeorm';

import {
  HOT_TABLE_AUTOVACUUM,
  PGBOSS_SCHEMA,
  QUEUE_PARTITIONS_SQL,
  quoteIdentifier,
} from '../autovacuum';

/**
 * Autovacuum settings for the tables that churn (see `HOT_TABLE_AUTOVACUUM`), instead of the
 * VACUUM the worker used to issue every 5,000 claimed jobs: the job partitions of the queues
 * that exist (on a fresh database pg-boss creates its tables after the migrations; JobQueue
 * sets the same on each partition it creates), reset links and the webhook outbox.
 */
export class TuneAutovacuumForHotTables1764000000050 implements MigrationInterface {
  name = 'TuneAutovacuumForHotTables1764000000050';

  async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of await this.tables(queryRunner)) {
      await queryRunner.query(`ALTER TABLE ${table} SET (${HOT_TABLE_AUTOVACUUM})`);
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const names = HOT_TABLE_AUTOVACUUM.split(',').map((setting) => setting.split('=')[0].trim());
    for (const table of await this.tables(queryRunner)) {
      await queryRunner.query(`ALTER TABLE ${table} RESET (${names.join(', ')})`);
    }
  }

  private async tables(queryRunner: QueryRunner): Promise<string[]> {
    const tables = ['password_reset_tokens', 'webhook_events'];
    const [{ present }] = (await queryRunner.query(
      `SELECT to_regclass('${PGBOSS_SCHEMA}.queue') IS NOT NULL AS present`,
    )) as { present: boolean }[];
    if (!present) return tables;
    const partitions = (await queryRunner.query(QUEUE_PARTITIONS_SQL)) as {
      partition_name: string;
    }[];
    return [
      ...tables,
      ...partitions.map((p) => `${PGBOSS_SCHEMA}.${quoteIdentifier(p.partition_name)}`),
    ];
  }
}
