import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import PgBoss from 'pg-boss';
import { DataSource, EntityManager } from 'typeorm';

import { AppConfig } from '../config/app-config';
import { DATABASE_URL } from '../database/database-url';
import { queryRows } from '../database/query-rows';
import { Metrics } from '../metrics/metrics.service';
import { ACCOUNT_EMAIL_QUEUE, AccountEmailJob, TEMPLATE_OF } from './account-email.job';
import { AfterCommit } from './after-commit';
import { InsertBatcher } from './insert-batcher';
import { intakeMover } from './intake-move';
import { IntakeMover } from './intake-mover';
import { ClaimedJob, JobWorker } from './job-worker';
import { OtherQueues, QueueSettings } from './other-queues';
import { inTransaction, jobSource, newBoss, preparedStatement } from './pg-boss-instance';
import { ensureQueue } from './queue-tables';
import {
  INSERT_INTAKE_SQL,
  INTAKE_DEPTH_SQL,
  intakeColumns,
  ResetRequestJob,
} from './reset-intake';

export type { QueueSettings };

export type JobHandler = (job: ClaimedJob<AccountEmailJob>) => Promise<void>;

/** Requests written by one INSERT at most, and such writes in flight at once. */
const INTAKE_BATCH = 500;
const INTAKE_WRITES_IN_FLIGHT = 1;
/** How often, on average, a worker with free slots claims jobs (its own replica's too). */
const POLL_INTERVAL_MS = 300;
/** A claimed email job not acknowledged within this is handed out again (pg-boss expiry). */
const EMAIL_CLAIM_SECONDS = 30;
/** A job still running this long before its claim expires is failed and retried later. */
const CLAIM_SAFETY_MARGIN_MS = 5_000;
/**
 * After a failed start, callers within this long get that failure instead of a new attempt:
 * a database that refuses at once must not cost every request a fresh connection pool.
 */
const START_RETRY_INTERVAL_MS = 1000;

/**
 * pg-boss on the application's own database: jobs are rows, so a job enqueued inside a
 * transaction exists exactly when that transaction commits, and any replica's worker can
 * claim it (`SKIP LOCKED`). Retries back off exponentially with jitter.
 */
@Injectable()
export class JobQueue implements BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger(JobQueue.name);
  private boss: PgBoss;
  /** The start in progress or done; null before the first and after a failed one. */
  private started: Promise<void> | null = null;
  private lastStartFailure: { at: number; error: unknown } | null = null;
  private readonly afterCommit: AfterCommit;
  private worker: JobWorker<AccountEmailJob> | null = null;
  private mover: IntakeMover | null = null;
  /** The email queue's partition (ensureQueue), for its statistics. */
  private emailPartition: string | null = null;
  private readonly dataSource: DataSource;
  /** Queues besides the email queue (webhooks, maintenance). */
  private readonly others = new OtherQueues(
    () => this.boss,
    () => this.start(),
    { pollIntervalMs: POLL_INTERVAL_MS, safetyMarginMs: CLAIM_SAFETY_MARGIN_MS },
  );
  /**
   * Forgot-password requests go to the intake table, not to pg-boss: one lean row each,
   * group-committed (docs/architecture.md §3, "Intake"); the worker's IntakeMover turns
   * them into jobs.
   */
  private readonly intake = new InsertBatcher<ResetRequestJob>(
    async (requests) => {
      await preparedStatement(this.boss, 'account-recovery:intake').executeSql(
        INSERT_INTAKE_SQL,
        intakeColumns(requests),
      );
    },
    INTAKE_BATCH,
    INTAKE_WRITES_IN_FLIGHT,
  );

  constructor(
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
    @Inject(ConfigService) private readonly config: ConfigService<AppConfig, true>,
    private readonly metrics: Metrics,
    @InjectDataSource() dataSource: DataSource,
  ) {
    this.boss = this.createBoss();
    this.dataSource = dataSource;
    this.afterCommit = new AfterCommit(dataSource);
  }

  private createBoss(): PgBoss {
    return newBoss(this.databaseUrl, this.config.get('retention', { infer: true }), (error) =>
      this.logger.warn(`queue: ${error.message}`),
    );
  }

  /**
   * Starts pg-boss and creates the queue; idempotent once it succeeded. A failed start
   * (database unreachable) is not kept: a later caller, a request or the readiness probe,
   * tries again, so a process that met an outage at its first enqueue recovers by itself.
   */
  start(): Promise<void> {
    if (this.started) return this.started;
    const failure = this.lastStartFailure;
    if (failure && Date.now() - failure.at < START_RETRY_INTERVAL_MS) {
      return Promise.reject(failure.error);
    }
    const attempt = this.startOnce().then(
      () => {
        this.lastStartFailure = null;
      },
      (error: unknown) => {
        this.lastStartFailure = { at: Date.now(), error };
        if (this.started === attempt) this.started = null;
        throw error;
      },
    );
    this.started = attempt;
    return attempt;
  }

  private async startOnce(): Promise<void> {
    await this.startBoss();
    const mail = this.config.get('mail', { infer: true });
    this.emailPartition = await ensureQueue(this.boss, {
      name: ACCOUNT_EMAIL_QUEUE,
      retryLimit: mail.retryLimit,
      retryDelay: mail.retryDelaySeconds,
      retryBackoff: true,
      // A claimed job not acknowledged in time (its replica died) is retried. The worker
      // fails a job still running near this (JobWorker's deadline) instead of holding it.
      expireInSeconds: EMAIL_CLAIM_SECONDS,
    });
  }

  /**
   * pg-boss marks itself as starting before its first query and never clears the mark when
   * that query fails: the same instance would then report every later start as done. A
   * failed instance is closed and replaced, so the next attempt really starts.
   */
  private async startBoss(): Promise<void> {
    const boss = this.boss;
    try {
      await boss.start();
    } catch (error) {
      this.boss = this.createBoss();
      // Its stop() is a no-op before a completed start; the pool it opened is closed here.
      const db = boss.getDb() as PgBoss.Db & { close?: () => Promise<void> };
      await db.close?.().catch(() => undefined);
      throw error;
    }
  }

  /**
   * For readiness: the queue is started (a failed start is retried here) and its own pool
   * reaches the database.
   */
  async probe(): Promise<void> {
    await this.start();
    await this.boss.getDb().executeSql('SELECT 1', []);
  }

  /**
   * Enqueues an email. With `manager` the job is written in that transaction and exists
   * only if it commits; without it, it is durable when this resolves: a forgot-password
   * request as a row of the intake (concurrent callers share one INSERT and one commit),
   * which the worker moves into the queue. Either way it is counted as queued only once it
   * is durable: after the caller's commit.
   */
  async enqueue(data: AccountEmailJob, manager?: EntityManager): Promise<void> {
    await this.start();
    // No wake-up of this replica's worker: the job is claimed on the worker's own rhythm,
    // so a known address's work does not start right after its request (JobWorker).
    const queued = () =>
      this.metrics.emails.inc({ template: TEMPLATE_OF[data.kind], outcome: 'queued' });
    if (manager) {
      if (!(await this.boss.send(ACCOUNT_EMAIL_QUEUE, data, { db: inTransaction(manager) }))) {
        throw new Error('the queue refused the job');
      }
      this.afterCommit.run(manager, queued);
    } else if (data.kind === 'reset-request') {
      await this.intake.add(data);
      queued();
    } else {
      if (!(await this.boss.send(ACCOUNT_EMAIL_QUEUE, data))) {
        throw new Error('the queue refused the job');
      }
      queued();
    }
  }

  /**
   * Starts this replica's email worker (unless MAIL_WORKER_CONCURRENCY is 0), and its mover
   * of the intake (docs/architecture.md §3, "Intake"). A move that takes fewer than two full
   * claims (`2 × MAIL_WORKER_CONCURRENCY`) is quiet: every request becomes a job.
   */
  async work(handler: JobHandler): Promise<void> {
    const concurrency = this.config.get('mail.workerConcurrency', { infer: true });
    if (concurrency === 0) return;
    await this.start();
    this.mover = intakeMover(this.dataSource, this.boss, {
      busyAt: 2 * concurrency,
      intervalMs: POLL_INTERVAL_MS,
      onDropped: (count) => this.metrics.resetRequests.inc({ outcome: 'no_account' }, count),
      partition: this.emailPartition,
    });
    this.mover.start();
    this.worker = new JobWorker<AccountEmailJob>(
      jobSource<AccountEmailJob>(this.boss, ACCOUNT_EMAIL_QUEUE),
      handler,
      {
        concurrency,
        pollIntervalMs: POLL_INTERVAL_MS,
        claimExpiryMs: EMAIL_CLAIM_SECONDS * 1000,
        safetyMarginMs: CLAIM_SAFETY_MARGIN_MS,
        // As the triage that preceded the intake did: in a backlog, each claim takes half
        // the slots instead of one claim statement per freed slot.
        backlogClaimBatch: Math.ceil(concurrency / 2),
      },
    );
    this.worker.start();
  }

  /** See OtherQueues.define: another queue on the same pg-boss, its own retry policy. */
  defineQueue(name: string, settings: QueueSettings): Promise<void> {
    if (name === ACCOUNT_EMAIL_QUEUE) throw new Error(`${name} is the email queue`);
    return this.others.define(name, settings);
  }

  /** See OtherQueues.send. */
  sendTo(
    name: string,
    data: object,
    manager?: EntityManager,
    options: { singletonKey?: string } = {},
  ): Promise<boolean> {
    return this.others.send(name, data, manager, options);
  }

  /** See OtherQueues.work. */
  workOn<T extends object>(
    name: string,
    concurrency: number,
    handler: (job: ClaimedJob<T>) => Promise<void>,
  ): Promise<void> {
    return this.others.work(name, concurrency, handler);
  }

  /**
   * True once no request waits in the intake and no email job is waiting or running (used by
   * the CLI before it exits).
   */
  async waitUntilIdle(timeoutMs: number): Promise<boolean> {
    await this.start();
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const [intake] = await queryRows<{ depth: number }>(this.dataSource, INTAKE_DEPTH_SQL);
      if (
        intake.depth === 0 &&
        (await this.boss.getQueueSize(ACCOUNT_EMAIL_QUEUE, { before: 'completed' })) === 0
      )
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
    // A move in progress commits or rolls back; none starts after this. Stopped beside the
    // claims, so the jobs in hand get their whole bound.
    const mover = this.mover?.stop();
    const others = this.others.stop(7000, (name) =>
      this.logger.warn(`a ${name} job was still running at shutdown; it will be retried`),
    );
    if (this.worker && !(await this.worker.stop(7000))) {
      // A job still running is retried by another replica once its claim expires.
      this.logger.warn('an email job was still running at shutdown; it will be retried');
    }
    await Promise.all([mover, others]);
  }

  /** Last step, after the HTTP server closed: nothing can enqueue any more. */
  async onApplicationShutdown(): Promise<void> {
    if (!this.started) return;
    await this.boss.stop({ graceful: false, wait: true, close: true }).catch((error: Error) => {
      this.logger.warn(`queue stop: ${error.message}`);
    });
  }
}
