import { ClaimedJob, JobSource, JobWorker } from './job-worker';

/** An in-memory queue: what the worker claims, completes and fails. */
function memorySource(ids: string[]): JobSource<string> & { completed: string[]; claims: number } {
  const waiting = [...ids];
  return {
    completed: [],
    claims: 0,
    async fetch(limit) {
      this.claims += 1;
      return waiting
        .splice(0, limit)
        .map((id): ClaimedJob<string> => ({ id, data: id, retryCount: 0 }));
    },
    async complete(id) {
      this.completed.push(id);
    },
    async completeMany(many) {
      this.completed.push(...many);
    },
    async fail() {
      throw new Error('not expected');
    },
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

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
    const worker = startWorker(source, async () => undefined, {
      concurrency: 2,
      pollIntervalMs: 10,
    });
    await sleep(100);
    expect(await worker.stop(1000)).toBe(true);
    expect([...source.completed].sort()).toEqual(['a', 'b', 'c']);
  });

  it('should claim nothing while the foreground is busy, then catch up', async () => {
    const source = memorySource(['a', 'b']);
    let busy = true;
    const worker = startWorker(source, async () => undefined, {
      concurrency: 4,
      pollIntervalMs: 10,
      yieldTo: { isBusy: () => busy },
    });
    await sleep(300);
    expect(source.claims).toBe(0);
    busy = false;
    await sleep(150);
    expect(await worker.stop(1000)).toBe(true);
    expect([...source.completed].sort()).toEqual(['a', 'b']);
  });

  it('should still claim about once a second during a long burst', async () => {
    const source = memorySource(['a']);
    const worker = startWorker(source, async () => undefined, {
      concurrency: 4,
      pollIntervalMs: 10,
      yieldTo: { isBusy: () => true },
    });
    await sleep(1300);
    expect(await worker.stop(1000)).toBe(true);
    expect(source.completed).toEqual(['a']);
    expect(source.claims).toBeLessThanOrEqual(2);
  });

  it('should tidy the queue after every so many claimed jobs, one tidy at a time', async () => {
    const source = memorySource(Array.from({ length: 25 }, (_, i) => `job-${i}`));
    let tidies = 0;
    const worker = startWorker(source, async () => undefined, {
      concurrency: 5,
      pollIntervalMs: 10,
      tidy: async () => {
        tidies += 1;
        await sleep(1000);
      },
      tidyEvery: 10,
    });
    await sleep(200);
    expect(source.completed).toHaveLength(25);
    // 25 claims cross the threshold twice; the second comes while the first still runs.
    expect(tidies).toBe(1);
    expect(await worker.stop(1000)).toBe(true);
  });
});
