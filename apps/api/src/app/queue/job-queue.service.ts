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
import { Metrics } from '../metrics/metrics.service';
import { ACCOUNT_EMAIL_QUEUE, AccountEmailJob, TEMPLATE_OF } from './account-email.job';
import { AfterCommit } from './after-commit';
import { InsertBatcher } from './insert-batcher';
import { ClaimedJob, FetchedJob, JobSource, JobWorker } from './job-worker';
import { inTransaction, newBoss, preparedStatement } from './pg-boss-instance';
import { PGBOSS_SCHEMA, sweepWaitingJobs } from './waiting-jobs-sweep';

export type JobHandler = (job: ClaimedJob<AccountEmailJob>) => Promise<void>;

/** Retry and claim settings of a queue other than the email queue (see `defineQueue`). */
export interface QueueSettings {
  retryLimit: number;
  /** First retry delay; each later one doubles (with jitter). */
  retryDelaySeconds: number;
  /** A claim older than this is taken back and the job retried. */
  expireInSeconds: number;
  /**
   * pg-boss queue policy; `short` keeps at most one waiting job per `singletonKey` (a send
   * while one waits is dropped). Default `standard`.
   */
  policy?: 'standard' | 'short';
}

/** Claimed jobs between two vacuums of the job table (see vacuumJobs). */
const VACUUM_EVERY_JOBS = 5000;

/** Waiting email jobs one sweep looks at (the oldest), and how often it runs. */
const SWEEP_BATCH = 2000;
const SWEEP_INTERVAL_MS = 200;
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
  /** Queues besides the email queue: their settings, and their creation once started. */
  private readonly queueSettings = new Map<string, QueueSettings>();
  private readonly queuesReady = new Map<string, Promise<void>>();
  private readonly workers = new Map<string, Pick<JobWorker<unknown>, 'stop' | 'wake'>>();
  private readonly batcher = new InsertBatcher<AccountEmailJob>((jobs) =>
    this.boss.insert(
      jobs.map((data) => ({ name: ACCOUNT_EMAIL_QUEUE, data })),
      { db: preparedStatement(this.boss, 'account-recovery:insert-jobs') },
    ),
  );

  constructor(
    @Inject(DATABASE_URL) private readonly databaseUrl: string,
    @Inject(ConfigService) private readonly config: ConfigService<AppConfig, true>,
    private readonly metrics: Metrics,
    @InjectDataSource() dataSource: DataSource,
  ) {
    this.boss = this.createBoss();
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
    const policy = {
      retryLimit: mail.retryLimit,
      retryDelay: mail.retryDelaySeconds,
      retryBackoff: true,
      // A claimed job not acknowledged in time (its replica died) is retried. The worker
      // fails a job still running near this (JobWorker's deadline) instead of holding it.
      expireInSeconds: EMAIL_CLAIM_SECONDS,
    };
    await this.boss.createQueue(ACCOUNT_EMAIL_QUEUE, { name: ACCOUNT_EMAIL_QUEUE, ...policy });
    // Existing deployments pick up changed retry settings too.
    await this.boss.updateQueue(ACCOUNT_EMAIL_QUEUE, { name: ACCOUNT_EMAIL_QUEUE, ...policy });
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
   * only if it commits; without it, the job is durable when this resolves (concurrent
   * callers share one INSERT and one commit). Either way it is counted as queued only once it
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
    } else {
      await this.batcher.add(data);
      queued();
    }
  }

  /**
   * Starts this replica's email worker (unless MAIL_WORKER_CONCURRENCY is 0).
   * @param triage in a backlog, the jobs of a full claim that need no work (JobWorker)
   * @param sweep an SQL predicate on a waiting job's `j.data`: jobs that need no work, settled
   * set-wise while many are waiting (docs/architecture.md §3, "Flood"); `settled` counts them
   */
  async work(
    handler: JobHandler,
    triage?: (jobs: FetchedJob<AccountEmailJob>[]) => Promise<Set<string>>,
    sweep?: { condition: string; settled: (count: number) => void },
  ): Promise<void> {
    const concurrency = this.config.get('mail.workerConcurrency', { infer: true });
    if (concurrency === 0) return;
    await this.start();
    // A quiet queue (fewer waiting than two full claims) is never swept: its jobs keep the
    // equal work of AccountEmailWorker.handle.
    const minimum = 2 * concurrency;
    this.worker = new JobWorker<AccountEmailJob>(
      this.sourceFor<AccountEmailJob>(ACCOUNT_EMAIL_QUEUE),
      handler,
      {
        concurrency,
        pollIntervalMs: POLL_INTERVAL_MS,
        claimExpiryMs: EMAIL_CLAIM_SECONDS * 1000,
        safetyMarginMs: CLAIM_SAFETY_MARGIN_MS,
        triage,
        sweep: sweep
          ? async () => {
              const { waiting, settled } = await sweepWaitingJobs(
                this.boss.getDb(),
                ACCOUNT_EMAIL_QUEUE,
                sweep.condition,
                SWEEP_BATCH,
                minimum,
              );
              if (settled > 0) sweep.settled(settled);
              // A full window that was mostly settled: more of the same is waiting behind it.
              return waiting >= SWEEP_BATCH && settled >= SWEEP_BATCH / 4;
            }
          : undefined,
        sweepIntervalMs: SWEEP_INTERVAL_MS,
        tidy: () => this.vacuumJobs(),
        tidyEvery: VACUUM_EVERY_JOBS,
      },
    );
    this.worker.start();
  }

  /**
   * Another queue on the same pg-boss, with its own retry policy. Idempotent: the queue is
   * created once per process (and its settings updated, as for the email queue); call it
   * before `sendTo` or `workOn`. A failed creation (database down) is retried next call.
   */
  defineQueue(name: string, settings: QueueSettings): Promise<void> {
    if (name === ACCOUNT_EMAIL_QUEUE) throw new Error(`${name} is the email queue`);
    this.queueSettings.set(name, settings);
    let ready = this.queuesReady.get(name);
    if (!ready) {
      ready = this.createQueue(name, settings).catch((error: unknown) => {
        this.queuesReady.delete(name);
        throw error;
      });
      this.queuesReady.set(name, ready);
    }
    return ready;
  }

  private async createQueue(name: string, settings: QueueSettings): Promise<void> {
    await this.start();
    const policy = {
      name,
      retryLimit: settings.retryLimit,
      retryDelay: settings.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: settings.expireInSeconds,
      policy: settings.policy,
    };
    await this.boss.createQueue(name, policy);
    await this.boss.updateQueue(name, policy);
  }

  /**
   * Enqueues a job on a queue made with `defineQueue`. With `manager` the job is written in
   * that transaction and exists only if it commits; without it, it is durable on return.
   * With a `singletonKey` on a `short` queue, false when a job with that key was already
   * waiting (nothing was added).
   */
  async sendTo(
    name: string,
    data: object,
    manager?: EntityManager,
    options: { singletonKey?: string } = {},
  ): Promise<boolean> {
    const settings = this.queueSettings.get(name);
    if (!settings) throw new Error(`queue ${name} is not defined`);
    await this.defineQueue(name, settings);
    const id = await this.boss.send(name, data, {
      ...(manager ? { db: inTransaction(manager) } : {}),
      ...(options.singletonKey ? { singletonKey: options.singletonKey } : {}),
    });
    if (!id) {
      if (options.singletonKey) return false;
      throw new Error('the queue refused the job');
    }
    setImmediate(() => this.workers.get(name)?.wake());
    return true;
  }

  /**
   * Starts this replica's worker on a queue made with `defineQueue`: up to `concurrency`
   * jobs at once, each completed when `handler` resolves and failed (retried) when it throws.
   */
  async workOn<T extends object>(
    name: string,
    concurrency: number,
    handler: (job: ClaimedJob<T>) => Promise<void>,
  ): Promise<void> {
    const settings = this.queueSettings.get(name);
    if (!settings) throw new Error(`queue ${name} is not defined`);
    if (concurrency === 0 || this.workers.has(name)) return;
    await this.defineQueue(name, settings);
    if (this.workers.has(name)) return;
    const worker = new JobWorker<T>(this.sourceFor<T>(name), handler, {
      concurrency,
      pollIntervalMs: POLL_INTERVAL_MS,
      claimExpiryMs: settings.expireInSeconds * 1000,
      safetyMarginMs: Math.min(CLAIM_SAFETY_MARGIN_MS, (settings.expireInSeconds * 1000) / 4),
    });
    this.workers.set(name, worker);
    worker.start();
  }

  /** Claiming, completing and failing jobs of one queue, for a JobWorker. */
  private sourceFor<T extends object>(name: string): JobSource<T> {
    const boss = this.boss;
    return {
      fetch: async (limit) =>
        ((await boss.fetch<T>(name, { batchSize: limit, includeMetadata: true })) ?? []).map(
          (job) => ({ id: job.id, data: job.data, retryCount: job.retryCount }),
        ),
      complete: async (id) => {
        await boss.complete(name, id);
      },
      completeMany: async (ids) => {
        await boss.complete(name, ids);
      },
      // Only the message is kept: errors may carry SMTP transcripts with addresses.
      fail: async (id, error) => {
        await boss.fail(name, id, { message: error.message });
      },
    };
  }

  /**
   * Every claimed job leaves dead row versions in pg-boss's job table (created, then active,
   * then completed) and in its claim index, and each claim scans those until they are
   * vacuumed: after a flood of 40,000 requests a claim took 3.5 ms instead of 0.06 ms, and
   * autovacuum may wait a minute or more before it comes by. Vacuuming does not block the
   * queue (no lock that inserts or claims wait for).
   */
  private async vacuumJobs(): Promise<void> {
    await this.boss.getDb().executeSql(`VACUUM ${PGBOSS_SCHEMA}.job`, []);
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
    const others = [...this.workers].map(async ([name, worker]) => {
      if (!(await worker.stop(7000))) {
        this.logger.warn(`a ${name} job was still running at shutdown; it will be retried`);
      }
    });
    if (this.worker && !(await this.worker.stop(7000))) {
      // A job still running is retried by another replica once its claim expires.
      this.logger.warn('an email job was still running at shutdown; it will be retried');
    }
    await Promise.all(others);
  }

  /** Last step, after the HTTP server closed: nothing can enqueue any more. */
  async onApplicationShutdown(): Promise<void> {
    if (!this.started) return;
    await this.boss.stop({ graceful: false, wait: true, close: true }).catch((error: Error) => {
      this.logger.warn(`queue stop: ${error.message}`);
    });
  }
}
