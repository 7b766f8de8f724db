import { Logger } from '@nestjs/common';

export interface ClaimedJob<T> {
  id: string;
  data: T;
  retryCount: number;
}

/** Something busier than background work, which the worker gives way to (ForegroundLoad). */
export interface Foreground {
  isBusy(): boolean;
}

/** While the foreground is busy the worker looks again this often... */
const YIELD_STEP_MS = 50;
/** ...but claims a batch at least this often, so mail keeps flowing during a long flood. */
const MAX_YIELD_MS = 1000;

export interface JobSource<T> {
  fetch(limit: number): Promise<ClaimedJob<T>[]>;
  complete(id: string): Promise<void>;
  /** Completes many at once (one statement); used for jobs a triage settled. */
  completeMany(ids: string[]): Promise<void>;
  fail(id: string, error: Error): Promise<void>;
}

/**
 * Claims jobs and runs up to `concurrency` of them at once, completing or failing each one
 * on its own (one bad address must not fail the others). Polls when idle; `wake()` skips
 * the wait when this replica has just enqueued something.
 */
export class JobWorker<T> {
  private readonly logger = new Logger(JobWorker.name);
  private readonly inFlight = new Set<Promise<void>>();
  private running = false;
  private wakeUp: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private tidying = false;

  constructor(
    private readonly source: JobSource<T>,
    private readonly handle: (job: ClaimedJob<T>) => Promise<void>,
    private readonly options: {
      concurrency: number;
      pollIntervalMs: number;
      /**
       * Looks at a whole claimed batch first and returns the ids of jobs already settled
       * (nothing to do), so cheap jobs cost one query per batch instead of several each.
       */
      triage?: (jobs: ClaimedJob<T>[]) => Promise<Set<string>>;
      /** Claimed per fetch for triage: a multiple of the free slots. */
      fetchFactor?: number;
      /**
       * Jobs wait (up to MAX_YIELD_MS between claims) while this is busy: during a burst
       * the requests get the cores, and the queue absorbs the work until it is over.
       */
      yieldTo?: Foreground;
      /**
       * Called (not awaited) after every `tidyEvery` jobs claimed: the queue tables are
       * left with that many dead rows, which every claim scans until they are vacuumed.
       */
      tidy?: () => Promise<void>;
      tidyEvery?: number;
    },
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  wake(): void {
    this.wakeUp?.();
  }

  /** Claims nothing more and waits (up to `timeoutMs`) for the jobs in hand. */
  async stop(timeoutMs: number): Promise<boolean> {
    this.running = false;
    this.wake();
    await this.loop;
    const drained = Promise.allSettled([...this.inFlight]).then(() => true);
    const timeout = new Promise<false>((resolve) =>
      setTimeout(() => resolve(false), timeoutMs).unref(),
    );
    return Promise.race([drained, timeout]);
  }

  /** True while the loop waits for jobs (a wake() would start a claim at once). */
  get idle(): boolean {
    return this.wakeUp !== null;
  }

  private async run(): Promise<void> {
    let failures = 0;
    let lastClaim = Date.now();
    let claimedSinceTidy = 0;
    while (this.running) {
      if (this.options.yieldTo?.isBusy() && Date.now() - lastClaim < MAX_YIELD_MS) {
        // Not wakeable: every enqueue wakes the worker, and during a burst that is every
        // request.
        await new Promise((resolve) => setTimeout(resolve, YIELD_STEP_MS));
        continue;
      }
      const capacity = this.options.concurrency - this.inFlight.size;
      if (capacity <= 0) {
        await Promise.race([...this.inFlight]);
        continue;
      }
      let jobs: ClaimedJob<T>[];
      const limit = capacity * (this.options.triage ? (this.options.fetchFactor ?? 4) : 1);
      try {
        lastClaim = Date.now();
        jobs = await this.source.fetch(limit);
        claimedSinceTidy += jobs.length;
        if (this.options.tidy && claimedSinceTidy >= (this.options.tidyEvery ?? 5000)) {
          claimedSinceTidy = 0;
          this.tidyInBackground(this.options.tidy);
        }
        if (this.options.triage && jobs.length > 0) {
          const settled = await this.options.triage(jobs);
          if (settled.size > 0) {
            await this.source.completeMany([...settled]);
            jobs = jobs.filter((job) => !settled.has(job.id));
          }
        }
        failures = 0;
      } catch (error) {
        // Database unreachable: back off, log once per outage, keep the loop alive.
        if (failures === 0) this.logger.warn(`cannot claim jobs: ${(error as Error).message}`);
        failures += 1;
        await this.pause(Math.min(500 * failures, 5000));
        continue;
      }
      for (const job of jobs) this.runOne(job);
      if (jobs.length === 0) await this.pause(this.options.pollIntervalMs);
    }
  }

  /** One tidy at a time; its failure (no privilege, database gone) only costs speed. */
  private tidyInBackground(tidy: () => Promise<void>): void {
    if (this.tidying) return;
    this.tidying = true;
    tidy()
      .catch((error: Error) => this.logger.debug(`queue tidy skipped: ${error.message}`))
      .finally(() => (this.tidying = false));
  }

  private runOne(job: ClaimedJob<T>): void {
    const run = this.handle(job)
      .then(
        () => this.source.complete(job.id),
        (error: Error) => this.source.fail(job.id, error),
      )
      // If even that fails (database gone), the claim expires and the job is retried.
      .catch((error: Error) => this.logger.warn(`job ${job.id} not acknowledged: ${error.message}`))
      .finally(() => {
        this.inFlight.delete(run);
      });
    this.inFlight.add(run);
  }

  private pause(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.wakeUp = () => {
        this.wakeUp = null;
        done();
      };
    });
  }
}
