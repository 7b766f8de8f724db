import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import PgBoss from 'pg-boss';
import { EntityManager } from 'typeorm';

import { AppConfig } from '../config/app-config';
import { DATABASE_URL } from '../database/database-url';
import { queryRows } from '../database/query-rows';
import { Metrics } from '../metrics/metrics.service';
import { ACCOUNT_EMAIL_QUEUE, AccountEmailJob, TEMPLATE_OF } from './account-email.job';
import { InsertBatcher } from './insert-batcher';
import { ClaimedJob, JobWorker } from './job-worker';

export type JobHandler = (job: ClaimedJob<AccountEmailJob>) => Promise<void>;

/** How often an idle worker looks for jobs enqueued by other replicas (or due retries). */
const POLL_INTERVAL_MS = 200;

/**
 * pg-boss on the application's own database: jobs are rows, so a job enqueued inside a
 * transaction exists exactly when that transaction commits, and any replica's worker can
 * claim it (`SKIP LOCKED`). Retries back off exponentially with jitter.
 */
@Injectable()
export class JobQueue implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(JobQueue.name);
  private readonly boss: PgBoss;
  private started: Promise<void> | null = null;
  private worker: JobWorker<AccountEmailJob> | null = null;
  private readonly batcher = new InsertBatcher<AccountEmailJob>((jobs) =>
    this.boss.insert(jobs.map((data) => ({ name: ACCOUNT_EMAIL_QUEUE, data }))),
  );

  constructor(
    @Inject(DATABASE_URL) databaseUrl: string,
    @Inject(ConfigService) private readonly config: ConfigService<AppConfig, true>,
    private readonly metrics: Metrics,
  ) {
    this.boss = new PgBoss(<PgBoss.ConstructorOptions>{
      connectionString: databaseUrl,
      max: 4,
      // Passed through to pg.Pool: an unreachable database fails an enqueue in seconds (503)
      // instead of holding the request until the client gives up.
      connectionTimeoutMillis: 3000,
      application_name: 'account-recovery-queue',
      // Delivered mail needs no long history; keep addresses in the queue tables briefly.
      archiveCompletedAfterSeconds: 3600,
      deleteAfterDays: 2,
    });
    // pg-boss reports connection trouble as events; without a listener Node would crash.
    this.boss.on('error', (error: Error) => this.logger.warn(`queue: ${error.message}`));
  }

  /** Idempotent: the first caller starts pg-boss and creates the queue. */
  start(): Promise<void> {
    this.started ??= this.startOnce();
    return this.started;
  }

  private async startOnce(): Promise<void> {
    await this.boss.start();
    const mail = this.config.get('mail', { infer: true });
    const policy = {
      retryLimit: mail.retryLimit,
      retryDelay: mail.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: 120,
    };
    await this.boss.createQueue(ACCOUNT_EMAIL_QUEUE, { name: ACCOUNT_EMAIL_QUEUE, ...policy });
    // Existing deployments pick up changed retry settings too.
    await this.boss.updateQueue(ACCOUNT_EMAIL_QUEUE, { name: ACCOUNT_EMAIL_QUEUE, ...policy });
  }

  /**
   * Enqueues an email. With `manager` the job is written in that transaction and exists
   * only if it commits; without it, the job is durable when this resolves (concurrent
   * callers share one INSERT and one commit).
   */
  async enqueue(data: AccountEmailJob, manager?: EntityManager): Promise<void> {
    await this.start();
    if (manager) {
      const db = {
        executeSql: async (text: string, values: unknown[]) => ({
          rows: await queryRows(manager, text, values),
        }),
      };
      if (!(await this.boss.send(ACCOUNT_EMAIL_QUEUE, data, { db }))) {
        throw new Error('the queue refused the job');
      }
    } else {
      await this.batcher.add(data);
    }
    this.metrics.emails.inc({ template: TEMPLATE_OF[data.kind], outcome: 'queued' });
    // Jobs from this replica are claimed at once instead of at the next poll.
    setImmediate(() => this.worker?.wake());
  }

  /** Starts this replica's email worker (unless MAIL_WORKER_CONCURRENCY is 0). */
  async work(handler: JobHandler): Promise<void> {
    const concurrency = this.config.get('mail.workerConcurrency', { infer: true });
    if (concurrency === 0) return;
    await this.start();
    const boss = this.boss;
    this.worker = new JobWorker<AccountEmailJob>(
      {
        fetch: async (limit) =>
          (
            (await boss.fetch<AccountEmailJob>(ACCOUNT_EMAIL_QUEUE, {
              batchSize: limit,
              includeMetadata: true,
            })) ?? []
          ).map((job) => ({ id: job.id, data: job.data, retryCount: job.retryCount })),
        complete: async (id) => {
          await boss.complete(ACCOUNT_EMAIL_QUEUE, id);
        },
        // Only the message is kept: errors may carry SMTP transcripts with addresses.
        fail: async (id, error) => {
          await boss.fail(ACCOUNT_EMAIL_QUEUE, id, { message: error.message });
        },
      },
      handler,
      { concurrency, pollIntervalMs: POLL_INTERVAL_MS },
    );
    this.worker.start();
  }

  /** True once no email job is waiting or running (used by the CLI before it exits). */
  async waitUntilIdle(timeoutMs: number): Promise<boolean> {
    await this.start();
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if ((await this.boss.getQueueSize(ACCOUNT_EMAIL_QUEUE, { before: 'completed' })) === 0)
        return true;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    return false;
  }

  /**
   * First step of a graceful stop, while HTTP requests still drain: claim no new job and
   * let the ones in hand finish (they need the database pools, still open here).
   */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.worker && !(await this.worker.stop(7000))) {
      // A job still running is retried by another replica once its claim expires.
      this.logger.warn('an email job was still running at shutdown; it will be retried');
    }
  }

  /** Last step, after the HTTP server closed: nothing can enqueue any more. */
  async onApplicationShutdown(): Promise<void> {
    if (!this.started) return;
    await this.boss.stop({ graceful: false, wait: true, close: true }).catch((error: Error) => {
      this.logger.warn(`queue stop: ${error.message}`);
    });
  }
}
