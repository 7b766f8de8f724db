import type { Pool } from 'pg';
import PgBoss from 'pg-boss';
import { EntityManager } from 'typeorm';

import { AppConfig } from '../config/app-config';
import { queryRows } from '../database/query-rows';
import { InsertBatcher } from './insert-batcher';
import { JobSource } from './job-worker';

/** pg-boss's default schema, where its tables live. */
export const PGBOSS_SCHEMA = 'pgboss';

/** pg-boss on the application's database, as every process of every role runs it. */
export function newBoss(
  databaseUrl: string,
  retention: Pick<AppConfig['retention'], 'jobArchiveAfterSeconds' | 'jobDeleteAfterHours'>,
  onError: (error: Error) => void,
): PgBoss {
  const boss = new PgBoss(<PgBoss.ConstructorOptions>{
    connectionString: databaseUrl,
    max: 4,
    // Passed through to pg.Pool: an unreachable database fails an enqueue in seconds (503)
    // instead of holding the request until the client gives up.
    connectionTimeoutMillis: 3000,
    application_name: 'account-recovery-queue',
    // Jobs carry addresses: finished ones leave the job table soon and the archive after
    // JOB_RETENTION_HOURS (docs/operations.md, "Retention").
    archiveCompletedAfterSeconds: retention.jobArchiveAfterSeconds,
    // Maintenance moves the jobs of a crashed replica (claim older than the job timeout)
    // back to retry; every 15 s keeps that recovery well under a minute.
    maintenanceIntervalSeconds: 15,
    deleteAfterHours: retention.jobDeleteAfterHours,
    // No cron schedules here. Without them a start has one step that can fail (its first
    // query), before it sets any timer: a failed start leaves nothing running behind.
    schedule: false,
  });
  // pg-boss reports connection trouble as events; without a listener Node would crash.
  boss.on('error', onError);
  return boss;
}

/** pg-boss's way of running its statements on the caller's transaction. */
export function inTransaction(manager: EntityManager): PgBoss.Db {
  return {
    executeSql: async (text: string, values: unknown[]) => ({
      rows: await queryRows(manager, text, values),
    }),
  };
}

/**
 * pg-boss's own pool, running its SQL as a named statement: PostgreSQL parses and plans it
 * once per connection instead of on every call. For statements whose text never changes
 * (pg-boss builds its insert once per schema).
 */
export function preparedStatement(boss: PgBoss, name: string): PgBoss.Db {
  const { pool } = boss.getDb() as PgBoss.Db & { pool: Pool };
  return {
    executeSql: (text, values) => pool.query({ name, text, values }),
  };
}

/**
 * Claiming, completing and failing jobs of one queue, for a JobWorker. Claims are pg-boss's
 * own, without priorities (none of our queues sets one): in (created_on, id) order, which the
 * index ensureQueue gives every queue's partition serves, so a claim costs its batch, not the
 * backlog. pg-boss swallows a failed claim (it answers none): the error is passed on here, so
 * the worker logs it and backs off. Completions are group-committed: the jobs that finish
 * while one completion is being written share the next UPDATE and commit (each job's
 * acknowledgement still resolves only once its own row is committed), so a busy worker pays
 * one statement per group instead of one per email.
 */
export function jobSource<T extends object>(boss: PgBoss, name: string): JobSource<T> {
  const completions = new InsertBatcher<string>(async (ids) => {
    await boss.complete(name, ids);
  });
  return {
    fetch: async (limit) => {
      let failure: unknown = null;
      const db: PgBoss.Db = {
        executeSql: (text, values) =>
          boss
            .getDb()
            .executeSql(text, values)
            .catch((error: unknown) => {
              failure = error;
              throw error;
            }),
      };
      const jobs = await boss.fetch<T>(name, {
        batchSize: limit,
        includeMetadata: true,
        priority: false,
        db,
      });
      if (failure) throw failure;
      return jobs.map((job) => ({ id: job.id, data: job.data, retryCount: job.retryCount }));
    },
    complete: (id) => completions.add(id),
    // Only the message is kept: errors may carry SMTP transcripts with addresses.
    fail: async (id, error) => {
      await boss.fail(name, id, { message: error.message });
    },
  };
}
