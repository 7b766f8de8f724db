import { Injectable, OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';

import { ACCOUNT_EMAIL_QUEUE } from '../queue/account-email.job';
import { INTAKE_DEPTH_SQL } from '../queue/reset-intake';
import { Metrics } from './metrics.service';

/** Gauges read at scrape time: the queue, the token table and the connection pool. */
@Injectable()
export class StateGauges implements OnModuleInit {
  constructor(
    private readonly metrics: Metrics,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.metrics.scrapeGauge(
      'account_recovery_queue_depth',
      'Email jobs waiting to be sent (new or waiting for a retry), forgot-password requests not yet queued included',
      async (gauge) => gauge.set((await this.queue()).depth),
    );
    this.metrics.scrapeGauge(
      'account_recovery_queue_oldest_job_age_seconds',
      'Age of the oldest email job or forgot-password request still waiting; grows when delivery is stuck',
      async (gauge) => gauge.set((await this.queue()).oldest),
    );
    this.metrics.scrapeGauge(
      'account_recovery_tokens_expired_unused_24h',
      'Links issued in the last 24 h that expired without being used',
      async (gauge) => {
        const [row] = (await this.dataSource.query(
          `SELECT count(*)::int AS n FROM password_reset_tokens
            WHERE created_at > now() - interval '24 hours'
              AND used_at IS NULL AND revoked_at IS NULL AND expires_at <= now()`,
        )) as { n: number }[];
        gauge.set(row.n);
      },
    );
    this.metrics.scrapeGauge(
      'account_recovery_db_pool_connections',
      'Database pool of the API: connections by state',
      async (gauge) => {
        const pool = (this.dataSource.driver as unknown as { master?: Pool }).master;
        if (!pool) return;
        gauge.set({ state: 'total' }, pool.totalCount);
        gauge.set({ state: 'idle' }, pool.idleCount);
        gauge.set({ state: 'waiting' }, pool.waitingCount);
      },
      ['state'],
    );
  }

  /**
   * Forgot-password requests not yet moved out of the intake count as waiting email: they
   * are (docs/architecture.md §3, "Intake").
   */
  private async queue(): Promise<{ depth: number; oldest: number }> {
    const [row] = (await this.dataSource.query(
      `WITH jobs AS (
         SELECT count(*)::int AS depth,
                COALESCE(extract(epoch FROM now() - min(created_on)), 0)::float AS oldest
           FROM pgboss.job WHERE name = $1 AND state IN ('created', 'retry')
       ), intake AS (${INTAKE_DEPTH_SQL})
       SELECT jobs.depth + intake.depth AS depth, greatest(jobs.oldest, intake.oldest) AS oldest
         FROM jobs, intake`,
      [ACCOUNT_EMAIL_QUEUE],
    )) as { depth: number; oldest: number }[];
    return row;
  }
}
