import { HashingQueue, HashingQueueFull } from './hashing-queue';

/** A job that finishes when the test says so. */
function gate(): { job: () => Promise<string>; open: (value: string) => void } {
  let open: (value: string) => void = () => undefined;
  const done = new Promise<string>((resolve) => (open = resolve));
  return { job: () => done, open };
}

describe('HashingQueue', () => {
  it('should run up to its concurrency, queue up to its limit and refuse the rest at once', async () => {
    const queue = new HashingQueue(2, 1);
    const gates = [gate(), gate(), gate()];
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      queue.run(() => {
        started.push(i);
        return g.job();
      }),
    );
    await Promise.resolve();
    expect([queue.running, queue.waiting]).toEqual([2, 1]);
    expect(started).toEqual([0, 1]);
    await expect(queue.run(async () => 'late')).rejects.toBeInstanceOf(HashingQueueFull);

    gates[1].open('b');
    await expect(runs[1]).resolves.toBe('b');
    // The finished job's slot went to the waiting one.
    expect(started).toEqual([0, 1, 2]);
    expect([queue.running, queue.waiting]).toEqual([2, 0]);
    gates[0].open('a');
    gates[2].open('c');
    await expect(Promise.all(runs)).resolves.toEqual(['a', 'b', 'c']);
    expect([queue.running, queue.waiting]).toEqual([0, 0]);
  });

  it('should free the slot of a job that fails', async () => {
    const queue = new HashingQueue(1, 0);
    await expect(queue.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(queue.run(async () => 'ok')).resolves.toBe('ok');
  });
});
