import fc from 'fast-check';

import { InsertBatcher } from './insert-batcher';

/** What pg answers when the server refuses the connection: the database is unavailable. */
const unavailable = () =>
  Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
/** What PostgreSQL answers for a value its column refuses (inet: 22P02). */
const badValue = () =>
  Object.assign(new Error('invalid input syntax for type inet'), { code: '22P02' });

/** Settles every promise; `true` for the fulfilled ones. */
const outcomes = (promises: Promise<void>[]) =>
  Promise.allSettled(promises).then((all) => all.map((one) => one.status === 'fulfilled'));

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

  it('should reject every caller at once when the database is unavailable, and go on with the next', async () => {
    let fail = true;
    const writes: string[][] = [];
    const batcher = new InsertBatcher<string>(async (items) => {
      writes.push(items);
      if (fail) throw unavailable();
    });
    const both = [batcher.add('a'), batcher.add('b'), batcher.add('c')];
    await expect(Promise.all(both)).rejects.toThrow('ECONNREFUSED');
    expect(await outcomes(both)).toEqual([false, false, false]);
    // No write per item against a database that cannot take any.
    expect(writes).toEqual([['a', 'b', 'c']]);
    fail = false;
    await expect(batcher.add('d')).resolves.toBeUndefined();
  });

  it('should write a failed batch again item by item, so a bad item fails only its caller', async () => {
    const writes: string[][] = [];
    const written: string[] = [];
    const batcher = new InsertBatcher<string>(async (items) => {
      writes.push(items);
      if (items.includes('bad')) throw badValue();
      written.push(...items);
    });
    const calls = ['a', 'bad', 'b', 'c'].map((item) => batcher.add(item));
    expect(await outcomes(calls)).toEqual([true, false, true, true]);
    await expect(calls[1]).rejects.toThrow('invalid input syntax');
    expect(writes).toEqual([['a', 'bad', 'b', 'c'], ['a'], ['bad'], ['b'], ['c']]);
    expect(written).toEqual(['a', 'b', 'c']);
  });

  it('should stop the item-by-item writes when the database becomes unavailable meanwhile', async () => {
    const writes: string[][] = [];
    const batcher = new InsertBatcher<string>(async (items) => {
      writes.push(items);
      if (items.length > 1) throw badValue();
      if (items[0] === 'b') throw unavailable();
    });
    const calls = ['a', 'b', 'c', 'd'].map((item) => batcher.add(item));
    expect(await outcomes(calls)).toEqual([true, false, false, false]);
    await expect(calls[3]).rejects.toThrow('ECONNREFUSED');
    expect(writes).toEqual([['a', 'b', 'c', 'd'], ['a'], ['b']]);
  });

  it('should fail exactly the callers of bad items, whatever the mix (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.boolean(), { minLength: 1, maxLength: 40 }), async (bad) => {
        const written: number[] = [];
        const batcher = new InsertBatcher<number>(
          async (items) => {
            if (items.some((i) => bad[i])) throw badValue();
            written.push(...items);
          },
          7,
          1,
        );
        const calls = bad.map((_, i) => batcher.add(i));
        expect(await outcomes(calls)).toEqual(bad.map((isBad) => !isBad));
        expect(written.sort((x, y) => x - y)).toEqual(
          bad.flatMap((isBad, i) => (isBad ? [] : [i])),
        );
      }),
      { numRuns: 200 },
    );
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
