import PgBoss from 'pg-boss';
import { EntityManager } from 'typeorm';

import { ClaimedJob, JobWorker } from './job-worker';
import { inTransaction, jobSource } from './pg-boss-instance';
import { ensureQueue } from './queue-tables';

/** Retry and claim settings of a queue other than the email queue (see `OtherQueues.define`). */
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

/**
 * The queues besides the email queue (webhook deliveries, maintenance) on JobQueue's pg-boss:
 * each with its own retry policy and worker, woken by its own sends (their timing tells nobody
 * anything, unlike the email queue's: see JobWorker).
 */
export class OtherQueues {
  private readonly queueSettings = new Map<string, QueueSettings>();
  private readonly queuesReady = new Map<string, Promise<void>>();
  private readonly workers = new Map<string, Pick<JobWorker<unknown>, 'stop' | 'wake'>>();

  /**
   * @param boss the current pg-boss (JobQueue replaces it after a failed start)
   * @param start JobQueue's start (idempotent)
   */
  constructor(
    private readonly boss: () => PgBoss,
    private readonly start: () => Promise<void>,
    private readonly timing: { pollIntervalMs: number; safetyMarginMs: number },
  ) {}

  /**
   * Another queue on the same pg-boss, with its own retry policy. Idempotent: the queue is
   * created once per process (and its settings updated, as for the email queue); call it
   * before `send` or `work`. A failed creation (database down) is retried next call.
   */
  define(name: string, settings: QueueSettings): Promise<void> {
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
    const boss = this.boss();
    await ensureQueue(boss, {
      name,
      retryLimit: settings.retryLimit,
      retryDelay: settings.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: settings.expireInSeconds,
      policy: settings.policy,
    });
  }

  /**
   * Enqueues a job on a queue made with `define`. With `manager` the job is written in
   * that transaction and exists only if it commits; without it, it is durable on return.
   * With a `singletonKey` on a `short` queue, false when a job with that key was already
   * waiting (nothing was added).
   */
  async send(
    name: string,
    data: object,
    manager?: EntityManager,
    options: { singletonKey?: string } = {},
  ): Promise<boolean> {
    const settings = this.queueSettings.get(name);
    if (!settings) throw new Error(`queue ${name} is not defined`);
    await this.define(name, settings);
    const id = await this.boss().send(name, data, {
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
   * Starts this replica's worker on a queue made with `define`: up to `concurrency`
   * jobs at once, each completed when `handler` resolves and failed (retried) when it throws.
   */
  async work<T extends object>(
    name: string,
    concurrency: number,
    handler: (job: ClaimedJob<T>) => Promise<void>,
  ): Promise<void> {
    const settings = this.queueSettings.get(name);
    if (!settings) throw new Error(`queue ${name} is not defined`);
    if (concurrency === 0 || this.workers.has(name)) return;
    await this.define(name, settings);
    if (this.workers.has(name)) return;
    const worker = new JobWorker<T>(jobSource<T>(this.boss(), name), handler, {
      concurrency,
      pollIntervalMs: this.timing.pollIntervalMs,
      claimExpiryMs: settings.expireInSeconds * 1000,
      safetyMarginMs: Math.min(this.timing.safetyMarginMs, (settings.expireInSeconds * 1000) / 4),
    });
    this.workers.set(name, worker);
    worker.start();
  }

  /** Stops every worker (see JobWorker.stop); `stillRunning` hears of each that timed out. */
  async stop(timeoutMs: number, stillRunning: (name: string) => void): Promise<void> {
    await Promise.all(
      [...this.workers].map(async ([name, worker]) => {
        if (!(await worker.stop(timeoutMs))) stillRunning(name);
      }),
    );
  }
}
