import { FetchedJob, JobSource, JobWorker, JobWorkerOptions } from './job-worker';

interface MemorySource extends JobSource<string> {
  completed: string[];
  failed: { id: string; message: string }[];
  /** The `limit` of every claim, in order. */
  limits: number[];
}

/** An in-memory queue: what the worker claims, completes and fails. */
function memorySource(ids: string[], options: { fetchDelayMs?: number } = {}): MemorySource {
  const waiting = [...ids];
  return {
    completed: [],
    failed: [],
    limits: [],
    async fetch(limit) {
      this.limits.push(limit);
      if (options.fetchDelayMs) await sleep(options.fetchDelayMs);
      return waiting
        .splice(0, limit)
        .map((id): FetchedJob<string> => ({ id, data: id, retryCount: 0 }));
    },
    async complete(id) {
      this.completed.push(id);
    },
    async fail(id, error) {
      this.failed.push({ id, message: error.message });
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Waits for a condition instead of a fixed time: these run on a busy machine. */
async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}

const BASE: JobWorkerOptions = {
  concurrency: 2,
  pollIntervalMs: 10,
  claimExpiryMs: 30_000,
  safetyMarginMs: 5_000,
};

describe('JobWorker', () => {
  const started: JobWorker<string>[] = [];
  /** Stopped after each test, also when an expectation failed halfway. */
  function startWorker(
    ...args: ConstructorParameters<typeof JobWorker<string>>
  ): JobWorker<string> {
    const worker = new JobWorker<string>(...args);
    started.push(worker);
    worker.start();
    return worker;
  }
  afterEach(async () => {
    await Promise.all(started.splice(0).map((worker) => worker.stop(1000)));
  });

  it('should run every job and complete each', async () => {
    const source = memorySource(['a', 'b', 'c']);
    const worker = startWorker(source, async () => undefined, BASE);
    await until(() => source.completed.length === 3);
    expect(await worker.stop(1000)).toBe(true);
    expect([...source.completed].sort()).toEqual(['a', 'b', 'c']);
  });

  it('should claim no more jobs than it has free slots, and start each one at once', async () => {
    const source = memorySource(Array.from({ length: 12 }, (_, i) => `job-${i}`));
    let running = 0;
    let mostAtOnce = 0;
    const claimedAt = new Map<string, number>();
    const waits: number[] = [];
    const fetch = source.fetch.bind(source);
    source.fetch = async (limit) => {
      const jobs = await fetch(limit);
      for (const job of jobs) claimedAt.set(job.id, Date.now());
      return jobs;
    };
    const worker = startWorker(
      source,
      async ({ id }) => {
        waits.push(Date.now() - (claimedAt.get(id) ?? 0));
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        await sleep(30);
        running -= 1;
      },
      { ...BASE, concurrency: 3 },
    );
    await until(() => source.completed.length === 12);
    expect(await worker.stop(1000)).toBe(true);
    expect(mostAtOnce).toBe(3);
    expect(Math.max(...source.limits)).toBeLessThanOrEqual(3);
    // Every claimed job started within the tick it was claimed in: none waited for a slot.
    expect(Math.max(...waits)).toBeLessThan(20);
  });

  it('should fail a job still running at its deadline, abort its signal, and keep its slot', async () => {
    const source = memorySource(['slow', 'next']);
    let release: () => void = () => undefined;
    const seen: { id: string; aborted: boolean }[] = [];
    const worker = startWorker(
      source,
      async ({ id, signal }) => {
        if (id === 'slow') {
          await new Promise<void>((resolve) => (release = resolve));
        }
        seen.push({ id, aborted: signal.aborted });
      },
      { ...BASE, concurrency: 1, claimExpiryMs: 200, safetyMarginMs: 100 },
    );
    await until(() => source.failed.length > 0);
    await sleep(50);
    // Failed at claim + 100 ms, before the claim (200 ms) expired; the queue retries it.
    expect(source.failed.map((f) => f.id)).toEqual(['slow']);
    expect(source.completed).toEqual([]);
    // Its handler still runs, so its slot is still taken: 'next' has not started.
    expect(seen).toEqual([]);
    release();
    await until(() => source.completed.length === 1);
    expect(seen).toEqual([
      { id: 'slow', aborted: true },
      { id: 'next', aborted: false },
    ]);
    expect(source.completed).toEqual(['next']);
    expect(await worker.stop(1000)).toBe(true);
  });

  it('should not start a job whose claim is already too old, and fail it', async () => {
    const source = memorySource(['late'], { fetchDelayMs: 150 });
    let ran = false;
    const worker = startWorker(
      source,
      async () => {
        ran = true;
      },
      { ...BASE, concurrency: 1, claimExpiryMs: 200, safetyMarginMs: 100 },
    );
    await until(() => source.failed.length === 1);
    expect(await worker.stop(1000)).toBe(true);
    expect(ran).toBe(false);
    expect(source.failed).toEqual([{ id: 'late', message: 'claim too old to start' }]);
  });

  it('should fail a job whose handler throws, and go on with the others', async () => {
    const source = memorySource(['bad', 'good']);
    const worker = startWorker(
      source,
      async ({ id }) => {
        if (id === 'bad') throw new Error('smtp down');
      },
      BASE,
    );
    await until(() => source.completed.length + source.failed.length === 2);
    expect(await worker.stop(1000)).toBe(true);
    expect(source.failed).toEqual([{ id: 'bad', message: 'smtp down' }]);
    expect(source.completed).toEqual(['good']);
  });

  it('should tell each job whether its claim drained the queue', async () => {
    const source = memorySource(['a', 'b', 'c']);
    const drained = new Map<string, boolean>();
    const worker = startWorker(
      source,
      async (job) => {
        drained.set(job.id, job.drained);
      },
      BASE,
    );
    await until(() => source.completed.length === 3);
    expect(await worker.stop(1000)).toBe(true);
    // Two slots: the first claim took two of three (more were waiting), the next one the last.
    expect(Object.fromEntries(drained)).toEqual({ a: false, b: false, c: true });
  });

  it('should claim on a jittered rhythm when idle, not on a fixed beat', async () => {
    const source = memorySource([]);
    const claims: number[] = [];
    const fetch = source.fetch.bind(source);
    source.fetch = async (limit) => {
      claims.push(Date.now());
      return fetch(limit);
    };
    const worker = startWorker(source, async () => undefined, { ...BASE, pollIntervalMs: 40 });
    await until(() => claims.length >= 12);
    expect(await worker.stop(1000)).toBe(true);
    const gaps = claims.slice(1).map((at, i) => at - claims[i]);
    // Waits are drawn from 20 to 60 ms: never below half the interval, and not all alike.
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(19);
    expect(Math.max(...gaps) - Math.min(...gaps)).toBeGreaterThan(5);
  });

  it('should claim in batches of half its slots while working through a backlog', async () => {
    const source = memorySource(Array.from({ length: 40 }, (_, i) => `job-${i}`));
    const worker = startWorker(
      source,
      async () => {
        await sleep(Math.random() * 20);
      },
      { ...BASE, concurrency: 8, backlogClaimBatch: 4 },
    );
    await until(() => source.completed.length === 40);
    expect(await worker.stop(1000)).toBe(true);
    const claimsWhileBacklogged = source.limits.slice(0, -1).filter((limit) => limit > 0);
    expect(Math.min(...claimsWhileBacklogged)).toBeGreaterThanOrEqual(4);
    expect(Math.max(...source.limits)).toBeLessThanOrEqual(8);
  });

  it('should stop within its bound even while every slot is busy', async () => {
    const source = memorySource(['stuck']);
    let release = () => undefined as void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const worker = startWorker(source, () => held, { ...BASE, concurrency: 1 });
    await until(() => source.limits.length === 1);
    const stopped = Date.now();
    expect(await worker.stop(100)).toBe(false);
    expect(Date.now() - stopped).toBeLessThan(2000);
    release();
  });
});
