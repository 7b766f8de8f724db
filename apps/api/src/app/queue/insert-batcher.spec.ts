import { InsertBatcher } from './insert-batcher';

describe('InsertBatcher', () => {
  it('should write items that arrive together in one write and settle each after it', async () => {
    const writes: number[][] = [];
    let release: () => void = () => undefined;
    const batcher = new InsertBatcher<number>(
      async (items) => {
        writes.push(items);
        if (writes.length === 1) await new Promise<void>((resolve) => (release = resolve));
      },
      500,
      1,
    );

    const first = batcher.add(1);
    await new Promise((r) => setImmediate(r));
    // While the first write is in flight, later callers queue up for the next one.
    const rest = [batcher.add(2), batcher.add(3), batcher.add(4)];
    let settled = false;
    void Promise.all(rest).then(() => (settled = true));
    await new Promise((r) => setImmediate(r));
    expect(settled).toBe(false);

    release();
    await first;
    await Promise.all(rest);
    expect(writes).toEqual([[1], [2, 3, 4]]);
  });

  it('should reject every caller of a failed write and go on with the next', async () => {
    let fail = true;
    const batcher = new InsertBatcher<string>(async () => {
      if (fail) throw new Error('database down');
    });
    await expect(Promise.all([batcher.add('a'), batcher.add('b')])).rejects.toThrow(
      'database down',
    );
    fail = false;
    await expect(batcher.add('c')).resolves.toBeUndefined();
  });

  it('should split a burst into batches of at most maxBatch', async () => {
    const sizes: number[] = [];
    const batcher = new InsertBatcher<number>(
      async (items) => {
        sizes.push(items.length);
      },
      3,
      1,
    );
    await Promise.all(Array.from({ length: 7 }, (_, i) => batcher.add(i)));
    expect(sizes).toEqual([3, 3, 1]);
  });
});
