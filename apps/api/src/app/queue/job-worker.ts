import { Logger } from '@nestjs/common';

export interface ClaimedJob<T> {
  id: string;
  data: T;
  retryCount: number;
  /**
   * Aborted when the job's time is up: shortly before its claim expires and the queue hands
   * it to another worker. Work that would send something must stop once it fires.
   */
  signal: AbortSignal;
  /**
   * The claim that brought this job found nothing else waiting. Work meant to look the same
   * for every job (see AccountEmailWorker) can afford to be equal then; in a backlog, where
   * one job's cost cannot be told from the others', it can be cheap.
   */
  drained: boolean;
}

/** A job as the queue hands it over, before the worker adds its deadline. */
export type FetchedJob<T> = Omit<ClaimedJob<T>, 'signal' | 'drained'>;

export interface JobSource<T> {
  fetch(limit: number): Promise<FetchedJob<T>[]>;
  complete(id: string): Promise<void>;
  fail(id: string, error: Error): Promise<void>;
}

export interface JobWorkerOptions {
  /** Jobs running at once; never more are claimed than there are free slots. */
  concurrency: number;
  /**
   * How often, on average, a worker with free slots looks for jobs. Each wait is drawn
   * between half and one and a half times this, so the moment a job starts tells nothing
   * about the moment it was enqueued, and the rhythm has no phase to aim at.
   */
  pollIntervalMs: number;
  /**
   * How long a claim lasts (the queue's `expireInSeconds`): a job not acknowledged by then
   * is handed out again, so it must be over well before.
   */
  claimExpiryMs: number;
  /**
   * Kept free at the end of a claim: a job's signal aborts this long before the claim
   * expires, and the job is failed (retried later) at that moment if it is still running,
   * so the queue never retries a job this worker still holds.
   */
  safetyMarginMs: number;
  /**
   * In a backlog (the last claim was full), claim only once this many slots are free (1 by
   * default): claims of one or two jobs would cost a claim statement per job.
   */
  backlogClaimBatch?: number;
}

/**
 * Claims jobs on a fixed rhythm and runs at most `concurrency` of them at once, completing
 * or failing each one on its own (one bad address must not fail the others). It claims only
 * as many jobs as it has free slots and starts each one at once, so no job waits in the
 * process; a job still running when its deadline comes is failed, not left to expire.
 *
 * Claims are paced by the clock, not by this replica's own enqueue: a wake-up on enqueue
 * would start a known address's work right after the request that asked for it.
 */
export class JobWorker<T> {
  private readonly logger = new Logger(JobWorker.name);
  private readonly inFlight = new Set<Promise<void>>();
  private running = false;
  /** Ends the current pause early (a stop, or a wake-up). */
  private wakeUp: (() => void) | null = null;
  private loop: Promise<void> | null = null;

  constructor(
    private readonly source: JobSource<T>,
    private readonly handle: (job: ClaimedJob<T>) => Promise<void>,
    private readonly options: JobWorkerOptions,
  ) {
    if (options.safetyMarginMs >= options.claimExpiryMs) {
      throw new Error('the safety margin must be shorter than the claim');
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /**
   * Claims at once instead of at the next tick. For queues whose timing tells nobody
   * anything (webhooks); the email queue is never woken (see the class comment).
   */
  wake(): void {
    this.wakeUp?.();
  }

  /** Claims nothing more and waits (up to `timeoutMs`) for the jobs in hand. */
  async stop(timeoutMs: number): Promise<boolean> {
    this.running = false;
    this.wake();
    // The bound covers the loop too: with every slot busy it waits for a job to finish,
    // which may take until that job's deadline, far beyond a shutdown's few seconds.
    const drained = (async () => {
      await this.loop;
      await Promise.allSettled([...this.inFlight]);
      return true;
    })();
    const timeout = new Promise<false>((resolve) =>
      setTimeout(() => resolve(false), timeoutMs).unref(),
    );
    return Promise.race([drained, timeout]);
  }

  private async run(): Promise<void> {
    let failures = 0;
    let backlog = false;
    const batch = Math.min(this.options.backlogClaimBatch ?? 1, this.options.concurrency);
    while (this.running) {
      const capacity = this.options.concurrency - this.inFlight.size;
      if (capacity <= 0 || (backlog && capacity < batch)) {
        await Promise.race([...this.inFlight]);
        continue;
      }
      // Taken before the claim: the queue's own clock starts after this, never before.
      const claimedAt = Date.now();
      let jobs: FetchedJob<T>[];
      let drained: boolean;
      try {
        jobs = await this.source.fetch(capacity);
        drained = jobs.length < capacity;
        backlog = !drained;
        failures = 0;
      } catch (error) {
        // Database unreachable: back off, log once per outage, keep the loop alive.
        if (failures === 0) this.logger.warn(`cannot claim jobs: ${(error as Error).message}`);
        failures += 1;
        await this.pause(Math.min(500 * failures, 5000));
        continue;
      }
      // A source that returns more than asked would overrun the slots: hand the rest back
      // to the queue at once (a failure, retried by any worker) rather than keep them.
      for (const extra of jobs.splice(capacity)) {
        this.settle(extra.id, this.source.fail(extra.id, new Error('claimed beyond capacity')));
      }
      for (const job of jobs) this.runOne(job, claimedAt, drained);
      // Full: wait for a slot (top of the loop). Otherwise the next claim is on the rhythm.
      if (drained) await this.pause(this.options.pollIntervalMs * (0.5 + Math.random()));
    }
  }

  private runOne(job: FetchedJob<T>, claimedAt: number, drained: boolean): void {
    const deadline = claimedAt + this.options.claimExpiryMs - this.options.safetyMarginMs;
    const left = deadline - Date.now();
    if (left <= 0) {
      // Only after the event loop stalled for most of a claim; retried like any failure.
      this.settle(job.id, this.source.fail(job.id, new Error('claim too old to start')));
      return;
    }
    const controller = new AbortController();
    const handled = Promise.resolve().then(() =>
      this.handle({ ...job, signal: controller.signal, drained }),
    );
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => {
      timer = setTimeout(() => {
        controller.abort(new Error('the job ran out of time before its claim expired'));
        resolve('expired');
      }, left);
    });
    // The timer must not outlive the job (nor keep a stopping process alive).
    handled.then(
      () => clearTimeout(timer),
      () => clearTimeout(timer),
    );
    const acknowledged = Promise.race([handled, expired]).then(
      (outcome) =>
        outcome === 'expired'
          ? this.source.fail(job.id, controller.signal.reason as Error)
          : this.source.complete(job.id),
      (error: Error) => this.source.fail(job.id, error),
    );
    // The slot stays taken until the handler has really finished, even after a deadline
    // failed the job: `concurrency` bounds the work in progress, not the acknowledgements.
    const run = Promise.allSettled([
      handled,
      acknowledged.catch((error: Error) => this.notAcknowledged(job.id, error)),
    ]).then(() => undefined);
    this.track(run);
  }

  /** Tracks an acknowledgement that is not a job run (it takes no slot). */
  private settle(id: string, acknowledgement: Promise<void>): void {
    acknowledgement.catch((error: Error) => this.notAcknowledged(id, error));
  }

  /** If even the acknowledgement fails (database gone), the claim expires and the job is retried. */
  private notAcknowledged(id: string, error: Error): void {
    this.logger.warn(`job ${id} not acknowledged: ${error.message}`);
  }

  private track(run: Promise<void>): void {
    const tracked = run.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  /** Sleeps, unless woken or stopped. */
  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        this.wakeUp = null;
        resolve();
      };
      const timer = setTimeout(finish, ms);
      this.wakeUp = finish;
    });
  }
}
